/**
 * Synthetic demo cases, deterministic by seed (faker), for the sandbox, for
 * training and for benchmarks. Every case goes through the real use cases, so
 * it is classified, audited and chained like any other. Names come from many
 * languages and scripts; every person is invented.
 */
import { ar, base, en, es_MX, Faker, fr, pt_BR, ru, zh_CN } from "@faker-js/faker";
import { transliterate } from "transliteration";
import {
  addCharge,
  addGroup,
  addSelector,
  addVehicle,
  recordRescue,
} from "../../capabilities/case-records/records.ts";
import { createCase, setTeamMember, transitionCase } from "../../capabilities/cases/cases.ts";
import { appendCrisisLog } from "../../capabilities/cases/crisis-log.ts";
import { addPerson } from "../../capabilities/cases/persons.ts";
import { CASE_STATUSES, type CaseStatus, OUTCOMES, type Outcome } from "../../domain/case-lifecycle.ts";
import type {
  ChargeInput,
  GroupInput,
  RescueInput,
  SelectorInput,
  VehicleInput,
} from "../../domain/case-records.ts";
import type { CreateCaseInput, PersonInput } from "../../domain/cases.ts";
import type { IncidentInput } from "../../domain/definition.ts";
import type { Ctx } from "../../platform/context.ts";

const LOCALES = [
  { faker: [es_MX, en, base], script: "latin" },
  { faker: [ar, en, base], script: "arabic" },
  { faker: [ru, en, base], script: "cyrillic" },
  { faker: [zh_CN, en, base], script: "han" },
  { faker: [fr, en, base], script: "latin" },
  { faker: [pt_BR, en, base], script: "latin" },
] as const;

/** Scenario templates across the typology: the elements decide the class, as for real cases. */
const SCENARIOS: { title: string; elements: IncidentInput; outcomes?: readonly Outcome[] }[] = [
  {
    title: "Kidnapping for ransom on a rural road",
    elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
  },
  {
    title: "Express kidnapping: victim driven between cash machines",
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "other_economic_gain",
      context: "express_atm",
    },
  },
  {
    title: "Tiger kidnapping: family held while the employee opened the vault",
    elements: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "compel_third_party",
      context: "tiger",
    },
  },
  {
    title: "Virtual kidnapping: ransom call, nobody held",
    elements: { victimDetained: false, victimMoved: false, againstWill: true, purpose: "ransom" },
    // Nobody was held: the only plausible ending is that the "victim" is found never held.
    outcomes: ["found_simulated"],
  },
  {
    title: "Simulated kidnapping reported by the family",
    elements: { victimDetained: true, victimMoved: true, againstWill: false, purpose: "ransom" },
    outcomes: ["found_simulated"],
  },
  {
    title: "Hostages taken to force the release of prisoners",
    elements: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "compel_third_party",
      context: "hostage",
    },
  },
  {
    title: "Politically motivated abduction of an official",
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "compel_third_party",
      context: "political",
    },
  },
  {
    title: "Rival group member held over a drug debt",
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "other_economic_gain",
      context: "criminal_groups",
    },
  },
  {
    title: "Child taken abroad by a parent",
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      victimAgeYears: 6,
      takenByParentOrGuardian: true,
      context: "custody_dispute",
    },
  },
  {
    title: "Shop staff held during an armed robbery",
    elements: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "none",
      context: "robbery",
    },
  },
];

/** Endings of a case in which someone was really held. */
const REAL_OUTCOMES = OUTCOMES.filter((o) => o !== "found_simulated");

/** The forward path of a case, one status after another (the lifecycle's own order). */
const ORDER: readonly CaseStatus[] = CASE_STATUSES;

export interface DemoCase {
  create: CreateCaseInput;
  persons: PersonInput[];
  demandUsd: number;
  target: { status: CaseStatus; outcome: Outcome };
  group: GroupInput | null;
  vehicle: VehicleInput | null;
  selectors: SelectorInput[];
  /** Recorded when the case ends in a rescue. */
  rescue: RescueInput | null;
  /** Brought against the suspect once the case reaches prosecution. */
  charge: ChargeInput | null;
}

/** Synthetic wallets and accounts: valid in form, invented, never a real holder's. */
const DEMO_WALLETS = [
  { asset: "BTC", value: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" },
  { asset: "ETH", value: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
  { asset: "ETH", value: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359" },
] as const;
const GROUP_NAMES = ["Los Sintéticos", "Banda del Norte (demo)", "Clan Ficticio", "Red Ejemplo"];
const PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";

const titleCase = (s: string) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** Where a node's demo cases happen: its first-level regions, its phone numbers, its map. */
interface CountryProfile {
  country: string;
  regions: readonly string[];
  phone: (f: Faker) => string;
  latitude: [number, number];
  longitude: [number, number];
}

const PROFILES: Record<string, CountryProfile> = {
  COL: {
    country: "COL",
    regions: ["Antioquia", "Valle del Cauca", "Cundinamarca", "Cauca", "Norte de Santander", "Bolívar"],
    phone: (f) =>
      `+57 3${f.helpers.arrayElement(["00", "10", "15", "20"])} ${f.string.numeric(3)} ${f.string.numeric(4)}`,
    latitude: [1.5, 10.5],
    longitude: [-77.5, -72.5],
  },
  MEX: {
    country: "MEX",
    regions: ["Ciudad de México", "Estado de México", "Jalisco", "Guerrero", "Tamaulipas", "Chiapas"],
    phone: (f) =>
      `+52 ${f.helpers.arrayElement(["55", "33", "81"])} ${f.string.numeric(4)} ${f.string.numeric(4)}`,
    latitude: [15, 30],
    longitude: [-114, -88],
  },
  ESP: {
    country: "ESP",
    regions: ["Madrid", "Cataluña", "Andalucía", "Comunitat Valenciana", "País Vasco", "Galicia"],
    phone: (f) => `+34 6${f.string.numeric(2)} ${f.string.numeric(3)} ${f.string.numeric(3)}`,
    latitude: [36.2, 43.5],
    longitude: [-8.8, 3.2],
  },
};

/** The profile of a node's country (the Colombian one for a node without its own). */
export function demoProfile(nodeId: string): CountryProfile {
  return PROFILES[nodeId] ?? (PROFILES.COL as CountryProfile);
}

/** The i-th demo case of a seed in a country: the same seed always gives the same cases. */
export function demoCase(seed: number, i: number, country = "COL"): DemoCase {
  const profile = demoProfile(country);
  const pick = new Faker({ locale: [en, base] });
  pick.seed([seed, i]);
  const scenario = SCENARIOS[i % SCENARIOS.length] ?? SCENARIOS[0];
  if (!scenario) throw new Error("no scenarios");
  const loc = LOCALES[pick.number.int({ min: 0, max: LOCALES.length - 1 })] ?? LOCALES[0];
  const f = new Faker({ locale: [...loc.faker] });
  f.seed([seed, i, 1]);
  const person = (role: PersonInput["role"], age?: number): PersonInput => {
    const sex = f.helpers.arrayElement(["female", "male"] as const);
    const given = f.person.firstName(sex);
    const family = f.person.lastName(sex);
    const names: PersonInput["names"] = [{ given, family, script: loc.script }];
    if (loc.script !== "latin")
      names.push({
        given: titleCase(transliterate(given)),
        family: titleCase(transliterate(family)),
        script: "latin",
      });
    return {
      role,
      names,
      sex,
      nationalities: [profile.country],
      documents: [],
      phones: [{ number: profile.phone(f) }],
      ibans: [],
      addresses: [],
      ...(age !== undefined ? { ageRange: { min: age, max: age + 4 } } : {}),
    };
  };
  const age = scenario.elements.victimAgeYears ?? pick.number.int({ min: 19, max: 75 });
  const reported = pick.date.between({ from: "2025-01-01T00:00:00Z", to: "2026-11-01T00:00:00Z" });
  const occurred = new Date(reported.getTime() - pick.number.int({ min: 1, max: 72 }) * 3_600_000);
  // Where the demo story has got to: any status, equally often.
  const status = ORDER[pick.number.int({ min: 0, max: ORDER.length - 1 })] ?? "reported";
  const outcome = pick.helpers.arrayElement(scenario.outcomes ?? REAL_OUTCOMES);
  const resolved = ORDER.indexOf(status) >= ORDER.indexOf("resolved");
  const prosecuted = ORDER.indexOf(status) >= ORDER.indexOf("in_prosecution");
  const wallet = pick.helpers.arrayElement(DEMO_WALLETS);
  const plate = `${pick.string.fromCharacters(PLATE_LETTERS, 3)}${pick.string.numeric(3)}`;
  const rescueStart = new Date(reported.getTime() + pick.number.int({ min: 2, max: 96 }) * 3_600_000);
  const real = scenario.elements.victimDetained && scenario.elements.againstWill;
  return {
    create: {
      title: `${scenario.title} (demo ${i + 1})`,
      occurredAt: occurred.toISOString(),
      reportedAt: reported.toISOString(),
      place: {
        country: profile.country,
        region: pick.helpers.arrayElement([...profile.regions]),
        latitude: pick.number.float({
          min: profile.latitude[0],
          max: profile.latitude[1],
          fractionDigits: 4,
        }),
        longitude: pick.number.float({
          min: profile.longitude[0],
          max: profile.longitude[1],
          fractionDigits: 4,
        }),
      },
      elements: {
        victimAgeYears: age,
        takenByParentOrGuardian: false,
        context: "none",
        ...scenario.elements,
      } as CreateCaseInput["elements"],
      tlp: "amber",
      handling: ["H0"],
    },
    persons: [person("victim", age), person("family_contact"), person("suspect")],
    demandUsd: pick.number.int({ min: 5, max: 500 }) * 1000,
    target: { status, outcome },
    group:
      scenario.elements.context === "criminal_groups" || pick.datatype.boolean(0.3)
        ? { name: pick.helpers.arrayElement(GROUP_NAMES), aliases: [], countries: [profile.country] }
        : null,
    vehicle: real
      ? {
          plate,
          plateCountry: profile.country,
          make: pick.vehicle.manufacturer(),
          colour: pick.vehicle.color(),
          use: "abduction",
        }
      : null,
    selectors: scenario.elements.purpose === "ransom" ? [{ kind: "crypto_wallet", ...wallet }] : [],
    rescue:
      resolved && outcome === "rescued"
        ? {
            startedAt: rescueStart.toISOString(),
            endedAt: new Date(rescueStart.getTime() + 90 * 60_000).toISOString(),
            unit: "Synthetic anti-kidnapping unit",
            result: "victims_freed",
            victimsFreed: 1,
            suspectsArrested: pick.number.int({ min: 0, max: 3 }),
            casualties: { victims: 0, officers: 0, suspects: 0 },
            summary: "Dawn entry on the place of captivity; the victim was freed (synthetic demo entry).",
          }
        : null,
    charge: prosecuted
      ? status === "closed"
        ? {
            offence: "Kidnapping (synthetic demo charge)",
            legalProvision: "Código Penal, art. 169",
            court: "Juzgado Penal del Circuito Especializado (demo)",
            stage: "final",
            verdict: "convicted",
            sentence: { custodialMonths: pick.number.int({ min: 20, max: 50 }) * 12 },
            appeal: "none",
          }
        : {
            offence: "Kidnapping (synthetic demo charge)",
            legalProvision: "Código Penal, art. 169",
            stage: "charged",
            appeal: "none",
          }
      : null,
  };
}

/** Create `count` demo cases led by `leadCtx`'s user, with the given colleagues on each team. */
/**
 * For the sandbox's hit/no-hit demonstration: the suspect of another node's first demo
 * case as this node would have recorded them — one letter of the family name lost, the
 * same phone — so that asking the other node about them gives a hit.
 */
export function sharedSuspect(of: { seed: number; nodeId: string }): PersonInput {
  const suspect = demoCase(of.seed, 0, of.nodeId).persons.find((p) => p.role === "suspect");
  if (!suspect) throw new Error("the demo case has no suspect");
  const latin = suspect.names.find((n) => n.script === "latin") ?? suspect.names[0];
  const family = latin?.family ?? "";
  // A typist's slip: the second-to-last letter dropped ("Hernández" → "Hernánde" + "z" = "Hernándz").
  const misspelt = family.length > 4 ? family.slice(0, -2) + family.slice(-1) : family;
  return {
    ...suspect,
    names: [{ given: latin?.given, family: misspelt, script: "latin" }],
  };
}

export async function seedDemoCases(
  leadCtx: Ctx,
  opts: {
    count: number;
    seed: number;
    team?: { userId: string; caseRole: "crisis_team" | "member" }[];
    onProgress?: (done: number) => void;
    /** Put this other node's first suspect, as recorded here, on the first case (the sandbox's hit demo). */
    shareSuspectOf?: { seed: number; nodeId: string } | undefined;
  },
): Promise<number> {
  for (let i = 0; i < opts.count; i++) {
    const d = demoCase(opts.seed, i, leadCtx.config.nodeId);
    if (i === 0 && opts.shareSuspectOf) d.persons.push(sharedSuspect(opts.shareSuspectOf));
    const c = await createCase(leadCtx, d.create);
    for (const m of opts.team ?? []) await setTeamMember(leadCtx, c.id, m.userId, m.caseRole);
    let suspectId: string | undefined;
    for (const p of d.persons) {
      const added = await addPerson(leadCtx, c.id, p);
      if (p.role === "suspect") suspectId = added.id;
    }
    if (d.group) await addGroup(leadCtx, c.id, d.group);
    if (d.vehicle) await addVehicle(leadCtx, c.id, d.vehicle);
    for (const sel of d.selectors) await addSelector(leadCtx, c.id, sel);
    await appendCrisisLog(leadCtx, c.id, {
      occurredAt: d.create.reportedAt,
      entry: {
        kind: "contact",
        channel: "phone",
        direction: "incoming",
        summary: "Caller claims to hold the victim (synthetic demo entry).",
      },
    });
    await appendCrisisLog(leadCtx, c.id, {
      occurredAt: d.create.reportedAt,
      entry: {
        kind: "demand",
        summary: "Demand for release (synthetic)",
        amount: { value: d.demandUsd, currency: "USD" },
      },
    });
    for (const status of ORDER.slice(1, ORDER.indexOf(d.target.status) + 1)) {
      if (status === "resolved" && d.rescue) await recordRescue(leadCtx, c.id, d.rescue);
      if (status === "in_prosecution" && d.charge) {
        await addCharge(leadCtx, c.id, suspectId ? { ...d.charge, personId: suspectId } : d.charge);
      }
      await transitionCase(
        leadCtx,
        c.id,
        status === "resolved" ? { to: status, outcome: d.target.outcome } : { to: status },
      );
    }
    opts.onProgress?.(i + 1);
  }
  return opts.count;
}
