/**
 * Worked examples of the common definition (2002/16 §1) and typology: the test
 * of `classify`. Each says, in plain words, why the answer is what it is; the
 * rule numbers are those of the doc comment in src/domain/definition.ts.
 * Persons and places are synthetic.
 */
import type { Classification, IncidentInput } from "../../src/domain/definition.ts";

export interface WorkedExample {
  name: string;
  reasoning: string;
  input: IncidentInput;
  expected: Pick<Classification, "iccs" | "kidnapping" | "type">;
}

export interface Refusal {
  name: string;
  input: unknown;
  /** The field path the refusal must name. */
  path: string;
}

const adult = { victimDetained: true, victimMoved: true, againstWill: true, victimAgeYears: 34 } as const;

export const EXAMPLES: WorkedExample[] = [
  // ── Kidnapping for ransom (R6) ─────────────────────────────────────────
  {
    name: "classic kidnapping for ransom",
    reasoning:
      "A businessman is forced into a car, held in a safe house and his family is asked for money: detention, against his will, gain demanded for liberation — every §1 element.",
    input: { ...adult, purpose: "ransom", takenByParentOrGuardian: false, context: "none" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "ransom kidnapping without moving the victim",
    reasoning:
      "A woman is held in her own flat while the kidnappers phone her brother for money. §1 requires detention, not movement (R3), and ICCS sends detention for a gain demanded for liberation to 020221.",
    input: { ...adult, victimMoved: false, purpose: "ransom" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "held until the victim signs over property",
    reasoning:
      "A landowner is held until he signs his land over: another material benefit as the price of liberation is a §1 purpose; the type is 'for ransom or extortion'.",
    input: { ...adult, purpose: "other_economic_gain" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "held to make a witness withdraw testimony",
    reasoning:
      "A witness's wife is held until he withdraws his testimony: 'to oblige someone to do or not do something' is a §1 purpose, so kidnapping; no context gives the type, and it is not for gain, so 'other'.",
    input: { ...adult, purpose: "compel_third_party" },
    expected: { iccs: "020221", kidnapping: true, type: "other" },
  },
  {
    name: "ransom kidnapping, age unknown",
    reasoning:
      "The age of the victim is not recorded. Age does not matter for an adult-or-unknown ransom kidnapping: §1 is met.",
    input: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  // ── Express and tiger ──────────────────────────────────────────────────
  {
    name: "express kidnapping at cash machines",
    reasoning:
      "A taxi passenger is driven from ATM to ATM for three hours and forced to withdraw cash: the victim's own money is the price of release (other economic gain), so kidnapping; type express. ICCS lists express kidnapping under 020221.",
    input: { ...adult, purpose: "other_economic_gain", context: "express_atm" },
    expected: { iccs: "020221", kidnapping: true, type: "express" },
  },
  {
    name: "express kidnapping that turns into a quick ransom demand",
    reasoning:
      "After the cash limit is reached, the kidnappers also phone the family for money: still express, still kidnapping.",
    input: { ...adult, purpose: "ransom", context: "express_atm" },
    expected: { iccs: "020221", kidnapping: true, type: "express" },
  },
  {
    name: "tiger kidnapping, family held at home",
    reasoning:
      "A bank manager's husband is held at home while she is made to open the vault: held to oblige someone to act (§1), not moved — movement is not an element (R3). Type tiger.",
    input: { ...adult, victimMoved: false, purpose: "compel_third_party", context: "tiger" },
    expected: { iccs: "020221", kidnapping: true, type: "tiger" },
  },
  {
    name: "tiger kidnapping of a child",
    reasoning:
      "A cash-in-transit guard's 9-year-old son is taken to a flat until the guard hands over the van's contents: a minor taken by strangers for a §1 purpose is kidnapping, which comes before abduction of a minor (R5). Type tiger.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "other_economic_gain",
      victimAgeYears: 9,
      context: "tiger",
    },
    expected: { iccs: "020221", kidnapping: true, type: "tiger" },
  },
  // ── Virtual and simulated (R1, R2) ─────────────────────────────────────
  {
    name: "virtual kidnapping by phone",
    reasoning:
      "Callers claim to hold a student who is in fact at a lecture, and demand a transfer. Nobody was held: not an act against liberty (the call is extortion or fraud). Type virtual.",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: 20,
      context: "none",
    },
    expected: { iccs: null, kidnapping: false, type: "virtual" },
  },
  {
    name: "virtual kidnapping in the name of a cartel",
    reasoning:
      "The callers say they are a cartel holding a relative; nobody was held. The claimed context does not make it a detention: null, type virtual (not between criminal groups).",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "ransom",
      context: "criminal_groups",
    },
    expected: { iccs: null, kidnapping: false, type: "virtual" },
  },
  {
    name: "virtual kidnapping claimed by an armed group",
    reasoning:
      "A message says an armed movement holds an aid worker and demands a prisoner release; the aid worker is safe. Nobody held: null, virtual.",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "compel_third_party",
      context: "political",
    },
    expected: { iccs: null, kidnapping: false, type: "virtual" },
  },
  {
    name: "self-kidnapping to extort the family",
    reasoning:
      "A man hides at a friend's house and has the friend demand money from his parents. He colluded (againstWill false) and nobody held him: collusion wins over 'nobody held' (R1), so simulated, not virtual.",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: false,
      purpose: "ransom",
      victimAgeYears: 27,
    },
    expected: { iccs: null, kidnapping: false, type: "simulated" },
  },
  {
    name: "simulated kidnapping with a real-looking captivity",
    reasoning:
      "A woman stays, willingly, tied up in a flat for photos sent to her employer with a ransom demand. She was 'held' but with her agreement: not against her will, so not an act against liberty.",
    input: { ...adult, againstWill: false, purpose: "ransom" },
    expected: { iccs: null, kidnapping: false, type: "simulated" },
  },
  {
    name: "teenager fakes his own kidnapping",
    reasoning:
      "A 16-year-old and his friends pretend he has been taken, to get money from his parents. He colluded in a pretence: simulated, null. (A minor who merely goes along with an adult does not collude — see 'teenager taken away by an adult'.)",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: false,
      purpose: "ransom",
      victimAgeYears: 16,
    },
    expected: { iccs: null, kidnapping: false, type: "simulated" },
  },
  {
    name: "simulated express kidnapping to defraud a bank",
    reasoning:
      "An account holder stages an express kidnapping to claim the withdrawals back from her bank. The context describes the pretence; collusion decides: null, simulated.",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: false,
      purpose: "other_economic_gain",
      context: "express_atm",
    },
    expected: { iccs: null, kidnapping: false, type: "simulated" },
  },
  // ── Parents and guardians (R4) ─────────────────────────────────────────
  {
    name: "parental abduction in a custody dispute",
    reasoning:
      "A father without custody takes his 6-year-old daughter abroad. A parent taking a child from the custodial parent is abduction of a minor, a class apart, not counted as kidnapping; type family/custody.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 6,
      takenByParentOrGuardian: true,
      context: "custody_dispute",
    },
    expected: { iccs: "02021", kidnapping: false, type: "family_custody" },
  },
  {
    name: "wrongful retention after a visit",
    reasoning:
      "A mother keeps her 9-year-old son after an agreed holiday instead of returning him. Not moved against the arrangement, but kept from the custodial parent: retention is abduction of a minor too.",
    input: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 9,
      takenByParentOrGuardian: true,
      context: "custody_dispute",
    },
    expected: { iccs: "02021", kidnapping: false, type: "family_custody" },
  },
  {
    name: "parent takes the child to force the other parent's hand",
    reasoning:
      "A father takes his son and says he will bring him back when the mother withdraws her custody application. Compelling the other parent is what custody disputes are about: it stays 02021 (R4), not kidnapping, otherwise family cases would swamp kidnapping figures.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "compel_third_party",
      victimAgeYears: 7,
      takenByParentOrGuardian: true,
      context: "custody_dispute",
    },
    expected: { iccs: "02021", kidnapping: false, type: "family_custody" },
  },
  {
    name: "parent holds the child for ransom",
    reasoning:
      "A mother without custody takes her daughter and demands money from the father for her return. A gain demanded for liberation meets every element of §1: kidnapping (020221) prevails over abduction of a minor; type from the purpose, ransom.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: 11,
      takenByParentOrGuardian: true,
      context: "custody_dispute",
    },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "guardian takes a child, age not recorded, purpose unknown",
    reasoning:
      "A grandmother who is legal guardian of a child leaves the country with him in breach of a court order; the age is not in the record and nobody knows why yet. A taking by a guardian concerns a minor; abduction of a minor needs no purpose, so 02021 without waiting for the purpose.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "unknown",
      takenByParentOrGuardian: true,
    },
    expected: { iccs: "02021", kidnapping: false, type: "family_custody" },
  },
  // ── Minors taken by others (R5) ────────────────────────────────────────
  {
    name: "child kidnapped for ransom by strangers",
    reasoning:
      "An 8-year-old is taken outside school and the parents are asked for money. A §1 purpose makes it kidnapping whatever the age; kidnapping comes before abduction of a minor.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: 8,
      context: "none",
    },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "child taken by a stranger, purpose unknown",
    reasoning:
      "A 10-year-old is taken from a park; no demand has been received yet. Abduction of a minor needs no purpose and is established; kidnapping is not presumed (R7). Reclassify if a demand comes.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "unknown",
      victimAgeYears: 10,
    },
    expected: { iccs: "02021", kidnapping: false, type: "other" },
  },
  {
    name: "teenager taken away by an adult",
    reasoning:
      "A 15-year-old goes off with a 24-year-old man against her parents' wishes. A minor cannot consent to being taken from her custodians, so againstWill is true; no §1 purpose: abduction of a minor.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 15,
    },
    expected: { iccs: "02021", kidnapping: false, type: "other" },
  },
  {
    name: "child taken for sexual exploitation",
    reasoning:
      "A 12-year-old is taken away to be sexually abused. Sexual exploitation is not a §1 purpose: abduction of a minor (the sexual offences are counted in their own ICCS classes); type 'as part of another crime'.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 12,
      context: "sexual_exploitation",
    },
    expected: { iccs: "02021", kidnapping: false, type: "part_of_another_crime" },
  },
  {
    name: "minor among the people held during a robbery",
    reasoning:
      "A 14-year-old is locked in the back room of a shop with the staff while it is robbed. Held where found, not taken from her custodian: illegal restraint like the adults (R5); type 'as part of another crime'.",
    input: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 14,
      context: "robbery",
    },
    expected: { iccs: "020222", kidnapping: false, type: "part_of_another_crime" },
  },
  {
    name: "17-year-old locked in by an employer",
    reasoning:
      "A 17-year-old domestic worker is locked in the employer's house with no demand made on anyone. A minor held where found, no §1 purpose: illegal restraint.",
    input: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 17,
    },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  {
    name: "18-year-old taken away without a purpose",
    reasoning:
      "At 18 the victim is an adult: abduction of a minor cannot apply, and without a §1 purpose it is illegal restraint even though she was moved.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 18,
    },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  // ── No purpose, unknown purpose (R6, R7) ──────────────────────────────
  {
    name: "adult held by a partner, no demand",
    reasoning:
      "A man locks his partner in their flat for two days; nothing is demanded of anyone. Deprivation of liberty without a §1 purpose: illegal restraint (false imprisonment).",
    input: { ...adult, victimMoved: false, purpose: "none" },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  {
    name: "adult taken away, purpose not yet known",
    reasoning:
      "A man is seen being pushed into a van; no demand yet. Counting it as kidnapping on a presumption would inflate the figures: illegal restraint until the purpose is established (R7).",
    input: { ...adult, purpose: "unknown" },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  {
    name: "adult taken away, age and purpose unknown",
    reasoning:
      "Nothing establishes a minor (no presumption of minority) and nothing establishes a §1 purpose: illegal restraint.",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "unknown",
      victimAgeYears: null,
    },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  // ── Hostage-taking (R8) ────────────────────────────────────────────────
  {
    name: "hostages held to compel the authorities",
    reasoning:
      "Gunmen hold bank customers and demand a plane and the release of prisoners. 'To oblige someone to do or not do something' is a §1 purpose: counted as kidnapping although ICCS lists hostage-taking under 020222 (R8; the reasons say so). Type other.",
    input: { ...adult, victimMoved: false, purpose: "compel_third_party", context: "hostage" },
    expected: { iccs: "020221", kidnapping: true, type: "other" },
  },
  {
    name: "hostage held as a shield, no demand",
    reasoning:
      "A fleeing suspect holds a passer-by at knifepoint as a shield and makes no demand. No §1 purpose: illegal restraint, where ICCS puts hostage-taking.",
    input: { ...adult, victimMoved: false, purpose: "none", context: "hostage" },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  {
    name: "hostage held for money",
    reasoning:
      "Hostage-takers demand cash for the hostages' release: a gain for liberation, kidnapping; type ransom.",
    input: { ...adult, victimMoved: false, purpose: "ransom", context: "hostage" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
  {
    name: "hostage situation, demands not yet known",
    reasoning:
      "A barricade incident is under way and the negotiators do not yet know what is wanted: illegal restraint until a §1 purpose is established (R7, R8).",
    input: { ...adult, victimMoved: false, purpose: "unknown", context: "hostage" },
    expected: { iccs: "020222", kidnapping: false, type: "other" },
  },
  // ── Political, criminal groups ─────────────────────────────────────────
  {
    name: "political kidnapping to free prisoners",
    reasoning:
      "An armed group takes an official and demands the release of its members: held to compel a government, a §1 purpose; type political or ideological.",
    input: { ...adult, purpose: "compel_third_party", context: "political" },
    expected: { iccs: "020221", kidnapping: true, type: "political_ideological" },
  },
  {
    name: "political detention without a demand",
    reasoning:
      "A journalist is taken by an armed movement and held; no demand is made on anyone. Without a §1 purpose it is illegal restraint (ICCS includes forced disappearance there); type political or ideological.",
    input: { ...adult, purpose: "none", context: "political" },
    expected: { iccs: "020222", kidnapping: false, type: "political_ideological" },
  },
  {
    name: "rival gang member held for ransom",
    reasoning:
      "A gang holds a rival's lieutenant and demands money from his group: §1 is met; type between criminal groups.",
    input: { ...adult, purpose: "ransom", context: "criminal_groups" },
    expected: { iccs: "020221", kidnapping: true, type: "between_criminal_groups" },
  },
  {
    name: "dealer held until a drug debt is paid",
    reasoning:
      "A dealer is held until his associates settle a debt: an illicit gain demanded for liberation is a §1 purpose ('illicit gain' is named in §1).",
    input: { ...adult, purpose: "other_economic_gain", context: "criminal_groups" },
    expected: { iccs: "020221", kidnapping: true, type: "between_criminal_groups" },
  },
  {
    name: "gang member held and beaten as punishment",
    reasoning:
      "A member is held for a night and beaten; nothing is demanded: illegal restraint (the assault is counted in its own class).",
    input: { ...adult, victimMoved: false, purpose: "none", context: "criminal_groups" },
    expected: { iccs: "020222", kidnapping: false, type: "between_criminal_groups" },
  },
  // ── As part of another crime (R9) ─────────────────────────────────────
  {
    name: "householders tied up during a robbery",
    reasoning:
      "Burglars tie up a couple in their home while they empty it. The holding serves the robbery, no gain is demanded for their liberation: illegal restraint plus the robbery in its own class; type as part of another crime.",
    input: { ...adult, victimMoved: false, purpose: "none", context: "robbery" },
    expected: { iccs: "020222", kidnapping: false, type: "part_of_another_crime" },
  },
  {
    name: "adult taken away for sexual exploitation",
    reasoning:
      "A woman is taken to a house and sexually exploited; no demand on anyone. Sexual exploitation is not a §1 purpose: illegal restraint; type as part of another crime.",
    input: { ...adult, purpose: "none", context: "sexual_exploitation" },
    expected: { iccs: "020222", kidnapping: false, type: "part_of_another_crime" },
  },
  {
    name: "robbery that turns into a ransom demand",
    reasoning:
      "Robbers find little cash, take the owner away and phone his wife for money. The demand for his liberation makes it a kidnapping in its own right (R9); type from the purpose, ransom.",
    input: { ...adult, purpose: "ransom", context: "robbery" },
    expected: { iccs: "020221", kidnapping: true, type: "ransom" },
  },
];

export const REFUSALS: Refusal[] = [
  {
    name: "moved but not detained",
    input: { victimDetained: false, victimMoved: true, againstWill: true, purpose: "ransom" },
    path: "victimMoved",
  },
  {
    name: "express kidnapping with nobody held (that is virtual)",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "ransom",
      context: "express_atm",
    },
    path: "context",
  },
  {
    name: "tiger kidnapping with nobody held (that is virtual)",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "compel_third_party",
      context: "tiger",
    },
    path: "context",
  },
  {
    name: "hostage-taking with nobody held",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      context: "hostage",
    },
    path: "context",
  },
  {
    name: "custody dispute without a parent or guardian",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 5,
      takenByParentOrGuardian: false,
      context: "custody_dispute",
    },
    path: "context",
  },
  {
    name: "custody dispute with the parent flag left out (default false)",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 5,
      context: "custody_dispute",
    },
    path: "context",
  },
  {
    name: "parent or guardian taking an adult",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 18,
      takenByParentOrGuardian: true,
    },
    path: "takenByParentOrGuardian",
  },
  {
    name: "parent or guardian taking nobody",
    input: {
      victimDetained: false,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 5,
      takenByParentOrGuardian: true,
    },
    path: "takenByParentOrGuardian",
  },
  {
    name: "express kidnapping without its purpose",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      context: "express_atm",
    },
    path: "purpose",
  },
  {
    name: "tiger kidnapping with the purpose unknown",
    input: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "unknown",
      context: "tiger",
    },
    path: "purpose",
  },
  {
    name: "negative age",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: -1,
    },
    path: "victimAgeYears",
  },
  {
    name: "age that is not a whole number",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: 7.5,
    },
    path: "victimAgeYears",
  },
  {
    name: "age over 130",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: 131,
    },
    path: "victimAgeYears",
  },
  {
    name: "age as a string",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      victimAgeYears: "34",
    },
    path: "victimAgeYears",
  },
  {
    name: "unknown field",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      nationality: "XX",
    },
    path: "nationality",
  },
  {
    name: "purpose missing",
    input: { victimDetained: true, victimMoved: true, againstWill: true },
    path: "purpose",
  },
  {
    name: "purpose not in the list",
    input: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "revenge" },
    path: "purpose",
  },
  {
    name: "context not in the list",
    input: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      context: "piracy",
    },
    path: "context",
  },
  {
    name: "victimDetained given as a string",
    input: { victimDetained: "yes", victimMoved: true, againstWill: true, purpose: "ransom" },
    path: "victimDetained",
  },
  { name: "not an object", input: [1, 2, 3], path: "" },
];
