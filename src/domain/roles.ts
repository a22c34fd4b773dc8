/**
 * Roles and permissions of a national node (DESIGN.md §1, §3, M15).
 *
 * This file is the single policy table: every authorization decision in the
 * server is a set-membership check against `permissionsOf(roles)`. The web app
 * receives the computed permission set and never decides on its own.
 */

export const ROLES = [
  "admin",
  "investigator",
  "crisis_manager",
  "analyst",
  "prosecutor",
  "central_authority",
  "fiu_officer",
  "victim_support",
  "statistics_focal_point",
  "liaison_officer",
  "auditor",
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read one's own account, preferences and computed permissions. */
  "self.read",
  /** Change one's own preferences (language). */
  "self.update",
  /** Create, list and revoke one's own API tokens. */
  "tokens.own",
  /** List and view staff accounts. */
  "users.read",
  /** Create accounts, change roles, disable, reset second factor, unlock. */
  "users.manage",
  /** Read the audit trail. */
  "audit.read",
  /** Run the audit-chain verification. */
  "audit.verify",
  /** See whether the node's hash chains and hashes verify, and ask for a fresh verification (no content). */
  "integrity.check",
  /** Scrape operational metrics. */
  "system.monitor",
  /** Open a kidnapping case (the opener leads its team). */
  "cases.create",
  /** Serve on case teams: see and work the cases one is a member of, and no other. */
  "cases.work",
  /** Import, approve and suspend the peer nodes this node exchanges with. */
  "federation.manage",
  /** Send notices and requests to peer nodes, read what they sent, follow deliveries. */
  "federation.exchange",
  /** See counts over all of the node's cases, never a case, a person or a reference. */
  "cases.statistics",
  /** Prepare, review and submit the node's annual return to the Secretariat (the statistics focal point). */
  "statistics.returns",
  /** Produce the global report from the returns received and the historical series. */
  "statistics.report",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERYONE: readonly Permission[] = ["self.read", "self.update", "tokens.own"];
/** Roles that may be put on a case team. Membership of the team, not the role, opens a case. */
const CASEWORK: readonly Permission[] = [...EVERYONE, "cases.work"];

/** The policy table: which role holds which permission. */
export const POLICY: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    ...EVERYONE,
    "users.read",
    "users.manage",
    "system.monitor",
    "federation.manage",
    "integrity.check",
  ],
  investigator: [...CASEWORK, "cases.create"],
  crisis_manager: [...CASEWORK, "cases.create"],
  analyst: [...CASEWORK, "cases.statistics"],
  prosecutor: CASEWORK,
  central_authority: CASEWORK,
  fiu_officer: CASEWORK,
  victim_support: CASEWORK,
  statistics_focal_point: [...EVERYONE, "cases.statistics", "statistics.returns", "statistics.report"],
  // A notice from a peer about a victim held here is a case here: the liaison officer opens it.
  liaison_officer: [...CASEWORK, "cases.create", "federation.exchange"],
  // Separation of duties: the auditor reads the trail, the administrator does not.
  auditor: [...EVERYONE, "users.read", "audit.read", "audit.verify", "integrity.check"],
};

/**
 * Separation of duties: pairs of roles one account may never hold together. The
 * administrator manages accounts and the auditor checks what everyone did, the
 * administrator included: one person holding both could cover their own tracks.
 * Checked when an account is created or its roles change, and at every start of a node
 * (one that finds an account breaking a rule refuses to start and names it).
 */
export const INCOMPATIBLE_ROLES: readonly (readonly [Role, Role])[] = [["admin", "auditor"]];

/** The first rule these roles break, or null. */
export function separationBreach(roles: readonly string[]): readonly [Role, Role] | null {
  return INCOMPATIBLE_ROLES.find(([a, b]) => roles.includes(a) && roles.includes(b)) ?? null;
}

/** The refusal, in words (the field is the caller's). */
export function separationRefusal(pair: readonly [Role, Role]): string {
  return `${pair[0]} and ${pair[1]} may not be held by one account (separation of duties)`;
}

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of POLICY[role]) out.add(p);
  return out;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
