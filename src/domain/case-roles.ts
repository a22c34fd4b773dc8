/**
 * The case-role table: what each role on a case's team may do on the case and its
 * records. Beside the permission table (roles.ts), which says who may be put on a team
 * at all, this is the one place that says what the lead, the crisis team and a member
 * may do; the server checks it (src/capabilities/cases/access.ts) and sends each user
 * their abilities on a case, which the web app shows and never decides.
 *
 * Someone who is not on the team has no ability: the case does not exist for them.
 * Someone on the team without an ability is answered the same way (404): the thing
 * they may not do does not exist for them either.
 */

import type { Role } from "./roles.ts";

/** The roles on a case's team. */
export const CASE_ROLES = ["lead", "crisis_team", "member"] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

export const CASE_ABILITIES = [
  /** See the case, its team, persons and records; export it. */
  "case.read",
  /** Add persons, organised groups, vehicles, selectors, attachments. */
  "case.records",
  /** Charges, legal provisions, stages, verdicts. */
  "case.prosecution",
  /** Move the case along its lifecycle (outcome, reopening). */
  "case.transition",
  /** Put colleagues on the team, change their place, take them off. */
  "case.team",
  /** Read the crisis log and follow it live. */
  "crisis_log.read",
  /** Append to the crisis log (contacts, demands, proofs of life, decisions). */
  "crisis_log.write",
  /** Record a rescue operation (evidence: it stays as recorded). */
  "rescue.record",
  /** Ask partner States about the case's persons and selectors (hit/no-hit). */
  "hits.ask",
  /** Decide what a follow-up of a hit on the case discloses, or refuse it. */
  "hits.decide",
] as const;
export type CaseAbility = (typeof CASE_ABILITIES)[number];

const MEMBER = ["case.read", "case.records", "case.prosecution", "hits.ask"] as const satisfies CaseAbility[];
const CRISIS_TEAM = [
  ...MEMBER,
  "case.transition",
  "crisis_log.read",
  "crisis_log.write",
  "rescue.record",
  "hits.decide",
] as const satisfies CaseAbility[];

/** The table. Each role's abilities, in the order of CASE_ABILITIES. */
export const CASE_ROLE_ABILITIES: Readonly<Record<CaseRole, readonly CaseAbility[]>> = {
  lead: CASE_ABILITIES.filter((a) => a === "case.team" || (CRISIS_TEAM as readonly string[]).includes(a)),
  crisis_team: CASE_ABILITIES.filter((a) => (CRISIS_TEAM as readonly string[]).includes(a)),
  member: CASE_ABILITIES.filter((a) => (MEMBER as readonly string[]).includes(a)),
};

/**
 * Least privilege inside a case: abilities that the place on the team is not enough for.
 * Below the lead, who answers for the whole case, only an account holding one of these
 * roles may use them: prosecution records (charges, legal provisions, stages, verdicts,
 * sentences) are written by prosecutors, not by every investigator on the team.
 */
export const QUALIFIED_BY: Readonly<Partial<Record<CaseAbility, readonly Role[]>>> = {
  "case.prosecution": ["prosecutor"],
};

function qualifies(caseRole: CaseRole, ability: CaseAbility, accountRoles: readonly Role[]): boolean {
  const needed = QUALIFIED_BY[ability];
  return caseRole === "lead" || needed === undefined || needed.some((r) => accountRoles.includes(r));
}

/** The abilities of someone with this place on the team and these account roles. */
export function abilitiesOf(role: CaseRole, accountRoles: readonly Role[]): CaseAbility[] {
  return CASE_ROLE_ABILITIES[role].filter((a) => qualifies(role, a, accountRoles));
}

/** May someone with this place on the team and these account roles do this? */
export function mayOnCase(role: CaseRole, ability: CaseAbility, accountRoles: readonly Role[]): boolean {
  return CASE_ROLE_ABILITIES[role].includes(ability) && qualifies(role, ability, accountRoles);
}

/** The places on a team in which an account with these roles holds an ability: for set-based checks in SQL (`case_role IN …`). */
export function rolesWith(ability: CaseAbility, accountRoles: readonly Role[]): CaseRole[] {
  return CASE_ROLES.filter((r) => mayOnCase(r, ability, accountRoles));
}

/** What a refusal says: the thing the user may not do on the case does not exist for them. */
export const ABILITY_OBJECT: Readonly<Record<CaseAbility, string>> = {
  "case.read": "case",
  "case.records": "case",
  "case.prosecution": "case",
  "case.transition": "case",
  "case.team": "case team",
  "crisis_log.read": "crisis log",
  "crisis_log.write": "crisis log",
  "rescue.record": "rescue form",
  "hits.ask": "case",
  "hits.decide": "follow-up",
};
