/**
 * The common definition of kidnapping and its typology (issue 3, DESIGN.md M1;
 * ECOSOC 2002/16 §1, 2004/20 §7(e)). Pure: no I/O, no Node-only API; the
 * server, the CLI and the web app all import it, so a case's statistical class
 * is *derived* from its recorded elements and every State counts the same way.
 *
 * 2002/16 §1: kidnapping "consists in unlawfully detaining a person or persons
 * against their will for the purpose of demanding for their liberation an
 * illicit gain or any other economic gain or other material benefit, or in
 * order to oblige someone to do or not do something". Its minimum elements are
 * therefore (1) a detention, (2) against the will of the person held, (3) one
 * of the §1 purposes. The ICCS places it in 0202 Acts against liberty:
 * 02021 Abduction of a minor; 02022 Deprivation of liberty → 020221
 * Kidnapping, 020222 Illegal restraint, 020223 Hijacking; 02029 Other acts
 * against liberty.
 *
 * The rules, applied in this order (each decision leaves a reason):
 *
 * R1  Collusion. againstWill false means the "victim" colluded with the
 *     supposed kidnappers (a simulated or self-kidnapping): nobody was deprived
 *     of liberty against their will, so it is not an act against liberty
 *     (iccs null); any demand made on the family is fraud or extortion and is
 *     counted in its own class. Type `simulated`. Collusion wins over R2: a
 *     self-kidnapping where nobody was held is `simulated`, not `virtual`.
 *     A minor who goes along with an adult does not collude: a minor cannot
 *     consent to being taken from their lawful custodian, so againstWill is
 *     recorded true unless the kidnapping itself was a pretence.
 * R2  No detention. victimDetained false means nobody was actually held (a
 *     virtual kidnapping: a demand for a person who is in fact free): not an
 *     act against liberty (iccs null), it is extortion or fraud. Type
 *     `virtual`, also when the callers claim to be a political or criminal
 *     group.
 * R3  Movement is not an element. §1 says "detaining", not "taking away", so
 *     victimMoved never makes or unmakes a kidnapping; holding the victim at
 *     home (as in most tiger kidnappings) is still kidnapping. (The ICCS text of
 *     020221 speaks of "detainment and taking away", but its 020222 exclusions
 *     send every detention for a gain demanded for liberation to 020221: the
 *     purpose decides, as §1 says.) Movement decides one thing only: see R5.
 * R4  A parent or guardian (takenByParentOrGuardian true; the victim is then a
 *     minor, age unknown included) taking or keeping the child from the person
 *     with lawful custody is abduction of a minor (02021), not counted as
 *     kidnapping, type `family_custody`, whether the child was moved or kept
 *     beyond a visit (retention). Pressure on the other parent
 *     (compel_third_party) is what custody disputes are about and stays in
 *     02021 — counting it as kidnapping would swamp kidnapping figures with
 *     family cases. Exception: when the parent or guardian demands ransom or
 *     another economic gain for the child's return, every element of §1 is met
 *     and the specific purpose prevails: 020221, kidnapping, type from the
 *     purpose (`ransom`).
 * R5  A minor (victimAgeYears < 18, the CRC age) taken by anyone else: with a
 *     §1 purpose it is kidnapping (020221; ICCS puts kidnapping before
 *     abduction of a minor). Without an established §1 purpose (none or
 *     unknown), a minor taken away from their custodian (victimMoved true) is
 *     abduction of a minor (02021), which needs no purpose; a minor held where
 *     they were found, e.g. among the hostages of a robbery, is illegal
 *     restraint (020222) like an adult. An unknown age establishes nothing:
 *     the general rule R6 applies (no presumption of minority).
 * R6  The purpose decides. A detention against the will with purpose ransom,
 *     other_economic_gain (another economic gain or material benefit as the
 *     price of liberation, e.g. cash withdrawn in an express kidnapping) or
 *     compel_third_party (to oblige someone to do or not do something) is
 *     kidnapping (020221). With purpose none it is illegal restraint (020222),
 *     whether or not the victim was moved (the issue: illegal restraint
 *     includes detention without moving the victim; a deprivation of liberty
 *     without the §1 purpose has no other class among 02022x).
 * R7  Unknown purpose never inflates kidnapping counts: a detention whose
 *     purpose is not established is illegal restraint (020222) — or abduction
 *     of a minor under R4/R5 — until it is, and the reasons say so; classify
 *     again when the purpose is established.
 * R8  Hostage-taking. ICCS lists "hostage taking" under 020222, but §1 names
 *     "to oblige someone to do or not do something" as a kidnapping purpose,
 *     which is exactly the hostage-taker's demand (cf. the 1979 Hostages
 *     Convention). Ariadne follows §1 and the recorded purpose: a hostage held
 *     to compel a third party or for a gain is kidnapping (020221); a hostage
 *     held without such a demand (a human shield, a siege without demands) or
 *     with the purpose unknown is illegal restraint (020222). National
 *     figures coded from ICCS inclusions alone may count the first group under
 *     020222; the reasons flag every such case.
 * R9  Another crime. When the holding serves another crime (context robbery or
 *     sexual_exploitation) and there is no §1 purpose, the detention is
 *     counted as illegal restraint (or abduction of a minor) and the other
 *     crime in its own class; type `part_of_another_crime`. If a gain is
 *     demanded for the victim's liberation, it has become a kidnapping in its
 *     own right and the type comes from the purpose.
 *
 * The operational type, once R1/R2 have not applied: a parent's or guardian's
 * abduction (02021 under R4) is `family_custody`; otherwise the context
 * decides — express_atm → `express`, tiger → `tiger`, political →
 * `political_ideological`, criminal_groups → `between_criminal_groups`,
 * robbery and sexual_exploitation → `part_of_another_crime` (R9) — and where
 * the context does not (none, hostage, or a kidnapping under R4/R9) the
 * purpose does: ransom or other economic gain → `ransom` (for ransom or
 * extortion), anything else → `other`.
 *
 * Contradictions are refused, not guessed at (see `findContradictions`):
 * movement without detention; contexts that describe someone actually held
 * (express_atm, tiger, hostage, custody_dispute, robbery, sexual_exploitation)
 * with nobody held — unless the whole thing was a pretence (againstWill false);
 * custody_dispute without a parent or guardian; a parent or guardian taking an
 * adult, or taking nobody; express and tiger kidnappings without their
 * purpose. `classify` throws on a contradictory record: call `parseIncident`
 * first.
 */
import { z } from "zod";
import type { FieldError } from "./errors.ts";

/** The age of majority used for "minor" (Convention on the Rights of the Child, art. 1). */
export const AGE_OF_MAJORITY = 18;
export const MAX_AGE_YEARS = 130;

/** The ICCS classes this module speaks of, with their labels. */
export const ICCS = {
  actsAgainstLiberty: { code: "0202", label: "Acts against liberty" },
  abductionOfMinor: { code: "02021", label: "Abduction of a minor" },
  deprivationOfLiberty: { code: "02022", label: "Deprivation of liberty" },
  kidnapping: { code: "020221", label: "Kidnapping" },
  illegalRestraint: { code: "020222", label: "Illegal restraint" },
  hijacking: { code: "020223", label: "Hijacking" },
  otherActsAgainstLiberty: { code: "02029", label: "Other acts against liberty" },
} as const;

/** The classes `classify` can return (null: not an act against liberty). */
export type IccsCode =
  | typeof ICCS.kidnapping.code
  | typeof ICCS.illegalRestraint.code
  | typeof ICCS.abductionOfMinor.code;

export const ICCS_LABELS: Readonly<Record<IccsCode, string>> = {
  "020221": ICCS.kidnapping.label,
  "020222": ICCS.illegalRestraint.label,
  "02021": ICCS.abductionOfMinor.label,
};

export const PURPOSES = ["ransom", "other_economic_gain", "compel_third_party", "none", "unknown"] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CONTEXTS = [
  "none",
  "express_atm",
  "tiger",
  "hostage",
  "political",
  "criminal_groups",
  "custody_dispute",
  "sexual_exploitation",
  "robbery",
] as const;
export type Context = (typeof CONTEXTS)[number];

export const OPERATIONAL_TYPES = [
  "ransom",
  "express",
  "tiger",
  "virtual",
  "simulated",
  "political_ideological",
  "between_criminal_groups",
  "family_custody",
  "part_of_another_crime",
  "other",
] as const;
export type OperationalType = (typeof OPERATIONAL_TYPES)[number];

export const OPERATIONAL_TYPE_LABELS: Readonly<Record<OperationalType, string>> = {
  ransom: "For ransom or extortion",
  express: "Express kidnapping",
  tiger: "Tiger kidnapping",
  virtual: "Virtual kidnapping",
  simulated: "Simulated or self-kidnapping",
  political_ideological: "Political or ideological",
  between_criminal_groups: "Between criminal groups",
  family_custody: "Family or custody",
  part_of_another_crime: "As part of another crime",
  other: "Other",
};

/** The input fields, described once for the CLI's help, the web form and the API documentation. */
export const INCIDENT_FIELDS = [
  {
    name: "victimDetained",
    type: "boolean",
    required: true,
    description:
      "someone was actually held; false when nobody was (a virtual kidnapping, or a self-kidnapping where the 'victim' was free)",
  },
  {
    name: "victimMoved",
    type: "boolean",
    required: true,
    description: "the victim was taken away to another place (recorded; not an element of 2002/16 §1)",
  },
  {
    name: "againstWill",
    type: "boolean",
    required: true,
    description:
      "false only when the 'victim' colluded (a simulated or self-kidnapping); a minor going along with someone does not collude",
  },
  {
    name: "purpose",
    type: PURPOSES.join(" | "),
    required: true,
    description:
      "why the victim was held: a ransom or other economic gain demanded for their liberation, to compel a third party, none of these, or unknown",
  },
  {
    name: "victimAgeYears",
    type: `whole number 0-${MAX_AGE_YEARS} | null`,
    required: false,
    description: "the victim's age in years; omit or null when unknown",
  },
  {
    name: "takenByParentOrGuardian",
    type: "boolean",
    required: false,
    description: "a parent or guardian took or kept the child (default false)",
  },
  {
    name: "context",
    type: CONTEXTS.join(" | "),
    required: false,
    description:
      "the circumstances (default none): express_atm, held while forced to withdraw cash; tiger, held to force someone to commit a robbery or open a vault; hostage; political, a political or ideological aim; criminal_groups, the victim belongs to a criminal group; custody_dispute, a parent or guardian in a custody dispute; robbery or sexual_exploitation, held as part of that crime",
  },
] as const;

const FIELD_NAMES = INCIDENT_FIELDS.map((f) => f.name);

type RawIssue = { code?: string; input?: unknown; keys?: readonly string[] };

function fieldError(field: string, expected: string) {
  return {
    error: (iss: RawIssue) =>
      iss.input === undefined ? `${field} is required: ${expected}` : `${field} must be ${expected}`,
  };
}

const AGE_MESSAGE = `victimAgeYears must be a whole number of years from 0 to ${MAX_AGE_YEARS}, or null when unknown`;

/** The recorded elements of one incident. Contradictions are refused with the fields at fault. */
export const incidentElementsSchema = z
  .strictObject(
    {
      victimDetained: z.boolean(fieldError("victimDetained", "true or false")),
      victimMoved: z.boolean(fieldError("victimMoved", "true or false")),
      againstWill: z.boolean(fieldError("againstWill", "true or false")),
      purpose: z.enum(PURPOSES, fieldError("purpose", `one of ${PURPOSES.join(", ")}`)),
      victimAgeYears: z
        .number({ error: () => AGE_MESSAGE })
        .int(AGE_MESSAGE)
        .min(0, AGE_MESSAGE)
        .max(MAX_AGE_YEARS, AGE_MESSAGE)
        .nullable()
        .optional(),
      takenByParentOrGuardian: z
        .boolean({ error: () => "takenByParentOrGuardian must be true or false (default false)" })
        .default(false),
      context: z
        .enum(CONTEXTS, { error: () => `context must be one of ${CONTEXTS.join(", ")} (default none)` })
        .default("none"),
    },
    {
      error: (iss: RawIssue) =>
        iss.code === "unrecognized_keys"
          ? `unknown field(s) ${(iss.keys ?? []).join(", ")}: the fields are ${FIELD_NAMES.join(", ")}`
          : iss.code === "invalid_type"
            ? "the incident must be a JSON object"
            : undefined,
    },
  )
  .superRefine((elements, ctx) => {
    for (const e of findContradictions(elements))
      ctx.addIssue({ code: "custom", path: [e.path], message: e.message });
  });

/** What the caller sends (optional fields may be missing). */
export type IncidentInput = z.input<typeof incidentElementsSchema>;
/** The elements after parsing (defaults applied). */
export type IncidentElements = z.output<typeof incidentElementsSchema>;

export interface Classification {
  iccs: IccsCode | null;
  /** Counted as kidnapping under 2002/16 §1: always `iccs === "020221"`. */
  kidnapping: boolean;
  type: OperationalType;
  /** Which element decided what, in the order the rules were applied. */
  reasons: string[];
}

export type ParseResult = { ok: true; elements: IncidentElements } | { ok: false; errors: FieldError[] };

const GAIN_PURPOSES: ReadonlySet<Purpose> = new Set(["ransom", "other_economic_gain"]);
const SECTION1_PURPOSES: ReadonlySet<Purpose> = new Set([
  "ransom",
  "other_economic_gain",
  "compel_third_party",
]);
/** Contexts that describe someone actually held. */
const HOLDING_CONTEXTS: ReadonlySet<Context> = new Set([
  "express_atm",
  "tiger",
  "hostage",
  "custody_dispute",
  "robbery",
  "sexual_exploitation",
]);

/** Elements that cannot all be true of one incident, each with the field to correct and why. */
export function findContradictions(e: IncidentElements): FieldError[] {
  const out: FieldError[] = [];
  const age = e.victimAgeYears ?? null;
  if (e.victimMoved && !e.victimDetained)
    out.push({
      path: "victimMoved",
      message:
        "victimMoved is true but victimDetained is false: a victim cannot be taken away without being held; if nobody was held (a virtual kidnapping), victimMoved is false",
    });
  if (e.againstWill && !e.victimDetained && HOLDING_CONTEXTS.has(e.context)) {
    const virtual =
      e.context === "express_atm" || e.context === "tiger"
        ? "; with nobody held this is a virtual kidnapping: record context none"
        : "";
    out.push({
      path: "context",
      message: `context ${e.context} describes someone actually held, but victimDetained is false${virtual}`,
    });
  }
  if (e.context === "custody_dispute" && !e.takenByParentOrGuardian)
    out.push({
      path: "context",
      message:
        "context custody_dispute needs takenByParentOrGuardian true; a child taken by anyone else is not a custody dispute (use context none)",
    });
  if (e.takenByParentOrGuardian && age !== null && age >= AGE_OF_MAJORITY)
    out.push({
      path: "takenByParentOrGuardian",
      message: `takenByParentOrGuardian is true but victimAgeYears is ${age}: a taking by a parent or guardian concerns a minor (under ${AGE_OF_MAJORITY})`,
    });
  if (e.takenByParentOrGuardian && !e.victimDetained)
    out.push({
      path: "takenByParentOrGuardian",
      message:
        "takenByParentOrGuardian is true but victimDetained is false: a parent or guardian who took or kept a child holds the child",
    });
  if (e.context === "express_atm" && !GAIN_PURPOSES.has(e.purpose))
    out.push({
      path: "purpose",
      message: `context express_atm means the victim was held while forced to withdraw cash, so purpose is other_economic_gain (or ransom), not ${e.purpose}`,
    });
  if (e.context === "tiger" && !SECTION1_PURPOSES.has(e.purpose))
    out.push({
      path: "purpose",
      message: `context tiger means someone was held to force another person to commit a robbery or open a vault, so purpose is compel_third_party (or a gain), not ${e.purpose}`,
    });
  return out;
}

/** Validate one incident: schema errors and contradictions, each with the field at fault and why. */
export function parseIncident(input: unknown): ParseResult {
  const r = incidentElementsSchema.safeParse(input);
  if (r.success) return { ok: true, elements: r.data };
  const errors: FieldError[] = [];
  for (const issue of r.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.push({
          path: key,
          message: `${key} is not a field of the incident; the fields are ${FIELD_NAMES.join(", ")}`,
        });
    } else errors.push({ path: issue.path.map(String).join("."), message: issue.message });
  }
  return { ok: false, errors };
}

export class ContradictoryIncidentError extends Error {
  readonly fields: FieldError[];
  constructor(fields: FieldError[]) {
    super(`contradictory incident: ${fields.map((f) => f.message).join("; ")}`);
    this.name = "ContradictoryIncidentError";
    this.fields = fields;
  }
}

const PURPOSE_IS_KIDNAPPING: Readonly<
  Record<"ransom" | "other_economic_gain" | "compel_third_party", string>
> = {
  ransom: "purpose is ransom: a gain was demanded for the victim's liberation",
  other_economic_gain:
    "purpose is other_economic_gain: another economic gain or material benefit was the price of liberation",
  compel_third_party:
    "purpose is compel_third_party: the victim was held to oblige someone to do or not do something",
};

const MOVED_DOES_NOT_DECIDE =
  "victimMoved is true: the victim was taken away; movement is recorded but is not an element of 2002/16 §1, so it does not decide the class";
const HELD_IN_PLACE_DOES_NOT_DECIDE =
  "victimMoved is false: the victim was held where they were; movement is not an element of 2002/16 §1, so it does not decide the class";

function byPurpose(purpose: Purpose): OperationalType {
  return GAIN_PURPOSES.has(purpose) ? "ransom" : "other";
}

function typeReason(type: OperationalType, why: string): string {
  return `${why}, so the type is ${type}`;
}

/**
 * Derive the ICCS class, whether it counts as kidnapping, the operational type
 * and the reasons from the recorded elements (rules R1–R9 above). Throws
 * `ContradictoryIncidentError` on a record `parseIncident` would refuse.
 */
export function classify(elements: IncidentElements): Classification {
  const contradictions = findContradictions(elements);
  if (contradictions.length > 0) throw new ContradictoryIncidentError(contradictions);
  const e = elements;
  const reasons: string[] = [];
  const age = e.victimAgeYears ?? null;

  // R1: collusion.
  if (!e.againstWill) {
    reasons.push(
      'againstWill is false: the "victim" colluded, so nobody was deprived of liberty against their will and it is not an act against liberty (ICCS 0202); a demand made on others is fraud or extortion, counted in its own class',
    );
    if (!e.victimDetained)
      reasons.push(
        "victimDetained is also false: the collusion decides the type, simulated rather than virtual",
      );
    reasons.push(typeReason("simulated", "the kidnapping was a pretence by the supposed victim"));
    return { iccs: null, kidnapping: false, type: "simulated", reasons };
  }

  // R2: nobody held.
  if (!e.victimDetained) {
    reasons.push(
      "victimDetained is false: nobody was held, so it is not an act against liberty (ICCS 0202); the demand is extortion or fraud, counted in its own class",
    );
    if (e.context !== "none")
      reasons.push(
        `context is ${e.context}: the claim was made in that name, but nobody was held, so the type is virtual`,
      );
    else reasons.push(typeReason("virtual", "a demand was made for a person who was not held"));
    return { iccs: null, kidnapping: false, type: "virtual", reasons };
  }

  reasons.push(
    "victimDetained is true and againstWill is true: a person was held against their will, a deprivation of liberty (ICCS 0202)",
  );
  const section1 = SECTION1_PURPOSES.has(e.purpose);
  let iccs: IccsCode;

  if (e.takenByParentOrGuardian) {
    // R4: a parent or guardian.
    if (age === null)
      reasons.push(
        "victimAgeYears is unknown, but takenByParentOrGuardian is true: a taking by a parent or guardian concerns a minor in their charge",
      );
    if (GAIN_PURPOSES.has(e.purpose)) {
      iccs = "020221";
      reasons.push(
        `takenByParentOrGuardian is true, but purpose is ${e.purpose}: a parent or guardian who demands a gain for the child's return meets every element of 2002/16 §1, so it is kidnapping (ICCS 020221), which takes precedence over abduction of a minor`,
      );
    } else {
      iccs = "02021";
      reasons.push(
        "takenByParentOrGuardian is true: a parent or guardian taking or keeping a minor from the person with lawful custody is abduction of a minor (ICCS 02021), a class apart that is not counted as kidnapping",
      );
      if (e.purpose === "compel_third_party")
        reasons.push(
          "purpose is compel_third_party: pressure on the other parent or guardian is what a custody dispute is about, so it stays abduction of a minor and is not counted as kidnapping",
        );
      else if (e.purpose === "unknown")
        reasons.push(
          "purpose is unknown: abduction of a minor needs no purpose, so the class stands; it becomes kidnapping only if a ransom or other economic gain is established",
        );
      else reasons.push("purpose is none: no demand was made for the child's return");
      reasons.push(
        e.victimMoved
          ? "victimMoved is true: the child was taken away from the person with custody"
          : "victimMoved is false: keeping a child from the person with custody (retention) is abduction as much as taking them away",
      );
    }
  } else if (age !== null && age < AGE_OF_MAJORITY) {
    // R5: a minor taken by someone other than a parent or guardian.
    reasons.push(
      `victimAgeYears is ${age} and takenByParentOrGuardian is false: a minor, held by someone other than a parent or guardian`,
    );
    if (section1) {
      iccs = "020221";
      reasons.push(
        `${PURPOSE_IS_KIDNAPPING[e.purpose as keyof typeof PURPOSE_IS_KIDNAPPING]}, the purpose element of 2002/16 §1, so it is kidnapping (ICCS 020221), which comes before abduction of a minor`,
      );
      reasons.push(e.victimMoved ? MOVED_DOES_NOT_DECIDE : HELD_IN_PLACE_DOES_NOT_DECIDE);
    } else {
      reasons.push(
        e.purpose === "unknown"
          ? "purpose is unknown: the purpose element of 2002/16 §1 is not established, so it is not counted as kidnapping until it is"
          : "purpose is none: without the purpose element of 2002/16 §1 it is not kidnapping",
      );
      if (e.victimMoved) {
        iccs = "02021";
        reasons.push(
          "victimMoved is true: a minor taken away from their custodian is abduction of a minor (ICCS 02021), which needs no purpose",
        );
      } else {
        iccs = "020222";
        reasons.push(
          "victimMoved is false: a minor held where they were found, not taken from their custodian, is illegal restraint (ICCS 020222), as for an adult",
        );
      }
    }
  } else {
    // R6/R7: the general rule — the purpose decides.
    reasons.push(
      age === null
        ? "victimAgeYears is unknown and takenByParentOrGuardian is false: nothing establishes a minor, so the general rule applies"
        : `victimAgeYears is ${age}: an adult, so abduction of a minor does not apply`,
    );
    if (section1) {
      iccs = "020221";
      reasons.push(
        `${PURPOSE_IS_KIDNAPPING[e.purpose as keyof typeof PURPOSE_IS_KIDNAPPING]}, the purpose element of 2002/16 §1, so it is kidnapping (ICCS 020221)`,
      );
    } else if (e.purpose === "unknown") {
      iccs = "020222";
      reasons.push(
        "purpose is unknown: the purpose element of 2002/16 §1 is not established, so it is counted as illegal restraint (ICCS 020222), not kidnapping, until it is; classify again when the purpose is known",
      );
    } else {
      iccs = "020222";
      reasons.push(
        "purpose is none: without the purpose element of 2002/16 §1 the deprivation of liberty is not kidnapping but illegal restraint (ICCS 020222)",
      );
    }
    reasons.push(e.victimMoved ? MOVED_DOES_NOT_DECIDE : HELD_IN_PLACE_DOES_NOT_DECIDE);
  }

  // R8: hostage-taking, flagged because ICCS lists it under 020222.
  if (e.context === "hostage")
    reasons.push(
      iccs === "020221"
        ? `context is hostage: ICCS lists hostage-taking under illegal restraint, but a hostage held with purpose ${e.purpose} meets every element of 2002/16 §1, so it is counted as kidnapping`
        : "context is hostage: a hostage held without a demand that meets 2002/16 §1 is illegal restraint, where ICCS lists hostage-taking",
    );

  const type = operationalType(e, iccs, reasons);
  return { iccs, kidnapping: iccs === "020221", type, reasons };
}

function operationalType(e: IncidentElements, iccs: IccsCode, reasons: string[]): OperationalType {
  const fromPurpose = (why: string): OperationalType => {
    const t = byPurpose(e.purpose);
    reasons.push(
      typeReason(
        t,
        t === "ransom"
          ? `${why}; purpose is ${e.purpose}: held for ransom or extortion`
          : `${why}; purpose is ${e.purpose}: neither ransom nor extortion`,
      ),
    );
    return t;
  };
  if (e.takenByParentOrGuardian && iccs === "02021") {
    reasons.push(typeReason("family_custody", "a parent or guardian took or kept the child"));
    return "family_custody";
  }
  switch (e.context) {
    case "express_atm":
      reasons.push(
        typeReason("express", "context is express_atm: the victim was held while forced to withdraw cash"),
      );
      return "express";
    case "tiger":
      reasons.push(
        typeReason(
          "tiger",
          "context is tiger: the victim was held to force someone else to commit a robbery or open a vault",
        ),
      );
      return "tiger";
    case "political":
      reasons.push(
        typeReason("political_ideological", "context is political: a political or ideological aim"),
      );
      return "political_ideological";
    case "criminal_groups":
      reasons.push(
        typeReason(
          "between_criminal_groups",
          "context is criminal_groups: the victim belongs to a criminal group",
        ),
      );
      return "between_criminal_groups";
    case "robbery":
    case "sexual_exploitation":
      if (iccs !== "020221") {
        reasons.push(
          typeReason(
            "part_of_another_crime",
            `context is ${e.context}: the holding served another crime, which is counted in its own class`,
          ),
        );
        return "part_of_another_crime";
      }
      return fromPurpose(
        `context is ${e.context}, but a demand for the victim's liberation made it a kidnapping in its own right`,
      );
    case "custody_dispute":
      return fromPurpose("context is custody_dispute, but the demand made it a kidnapping");
    case "hostage":
      return fromPurpose("context is hostage");
    case "none":
      return fromPurpose("context is none");
  }
}
