/**
 * The counting rules of the national annual return (issue 6, DESIGN.md M10;
 * ECOSOC 2002/16 §5, 2003/28 §4–6). Pure: no I/O. The same rules run in SQL
 * over a whole node (`src/engines/statistics/compute.ts`); a test proves that
 * both give the same tables.
 *
 * C1  Reporting year. A case is counted in the year of its date of recording
 *     (`reportedAt`, UTC), whatever the year it happened in.
 * C2  Incidents and victims apart. An incident is a case; a victim is a person
 *     of the case with the role `victim`. An incident with no victim recorded
 *     still had one: it counts one victim whose sex and citizenship are
 *     unknown (age from the incident's elements, if recorded).
 * C3  Class. Every incident and victim is classified by the case's derived
 *     ICCS code (`none` when it is not an act against liberty: virtual or
 *     simulated kidnappings) and operational type, and by the outcome
 *     (`pending` while unresolved).
 * C4  Age at the incident: from the date of birth at the date the incident
 *     occurred (`occurredAt`, else `reportedAt`); else, when the case has one
 *     victim, the age recorded in its elements (`victimAgeYears`); else an age
 *     range that lies wholly inside one group; else `unknown`.
 * C5  Citizenship relative to the node's country: `national` if any of the
 *     victim's nationalities is the node's country (dual nationals included),
 *     `foreign` if nationalities are recorded and none is, else `unknown`.
 * C6  Region: the first-level region of the place; `unknown` when not
 *     recorded; `abroad` when the place is in another country.
 * C7  Ransom. Demanded: the crisis log holds a demand, or the purpose is
 *     ransom. Paid: the outcome is `released_after_payment`. The amount
 *     demanded is the amount of the case's latest demand that states one,
 *     summed per currency (no conversion). The amount paid is not recorded in
 *     this release and is not reported.
 * C8  Persons, by the year of each event (date of recording, UTC), for every
 *     case of the node whatever its own year: arrested — suspects arrested in
 *     the rescue operations started in the year; prosecuted — distinct persons
 *     (a charge without a person counts as one) with a charge recorded in the
 *     year; convicted — distinct persons convicted (verdict `convicted`, not
 *     overturned on appeal) with the verdict date (else the charge's last
 *     update) in the year.
 */

export const AGE_GROUPS = ["0-14", "15-17", "18-29", "30-44", "45-59", "60+", "unknown"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export const SEXES = ["female", "male", "other", "unknown"] as const;
export type Sex = (typeof SEXES)[number];
export const CITIZENSHIPS = ["national", "foreign", "unknown"] as const;
export type Citizenship = (typeof CITIZENSHIPS)[number];
export const JUSTICE_STAGES = ["arrested", "prosecuted", "convicted"] as const;
export type JusticeStage = (typeof JUSTICE_STAGES)[number];
export const RANSOM_STATUSES = ["demanded", "paid"] as const;

/** The dimensions a table can be broken down by. */
export type Dim =
  | "ICCS"
  | "TYPE"
  | "OUTCOME"
  | "REGION"
  | "SEX"
  | "AGE"
  | "CITIZENSHIP"
  | "RANSOM"
  | "CURRENCY"
  | "STAGE";
export type Measure = "incidents" | "victims" | "ransom_amount_demanded" | "persons";

/** One victim as the case records them. Dates are ISO `YYYY-MM-DD`. */
export interface VictimFact {
  sex: string;
  dateOfBirth: string | null;
  ageMin: number | null;
  ageMax: number | null;
  nationalities: readonly string[];
}

/** What the counting rules need of one case. Instants are ISO 8601 strings or Dates. */
export interface CaseFact {
  id: string;
  reportedAt: string | Date;
  occurredAt: string | Date | null;
  iccs: string | null;
  opType: string;
  outcome: string | null;
  country: string;
  region: string | null;
  /** `elements.victimAgeYears`. */
  elementAge: number | null;
  /** `elements.purpose`. */
  purpose: string | null;
  victims: readonly VictimFact[];
  /** The crisis log's demand entries, in order (amount null when none was stated). */
  demands: readonly { amount: { value: number; currency: string } | null }[];
  rescues: readonly { startedAt: string | Date; suspectsArrested: number }[];
  charges: readonly {
    /** The accused person's id, or null (the charge then counts as one person). */
    personId: string | null;
    chargeId: string;
    recordedAt: string | Date;
    updatedAt: string | Date;
    verdict: string | null;
    verdictDate: string | null;
    appeal: string;
  }[];
}

export interface TableCell {
  key: string[];
  /** Null once withheld by small-cell suppression. */
  value: number | null;
}

export interface StatTable {
  id: string;
  title: string;
  measure: Measure;
  dims: Dim[];
  /** The measure counted over everything, independently of the cells. */
  total: number;
  cells: TableCell[];
}

export interface NationalReturn {
  country: string;
  year: number;
  tables: StatTable[];
}

// ---- Classifiers --------------------------------------------------------------------------------

export function ageGroup(age: number | null | undefined): AgeGroup {
  if (age === null || age === undefined || !Number.isFinite(age) || age < 0) return "unknown";
  if (age <= 14) return "0-14";
  if (age <= 17) return "15-17";
  if (age <= 29) return "18-29";
  if (age <= 44) return "30-44";
  if (age <= 59) return "45-59";
  return "60+";
}

const isoDay = (d: string | Date): string =>
  (typeof d === "string" ? new Date(d) : d).toISOString().slice(0, 10);

/** Whole years between a date of birth and a day (both `YYYY-MM-DD`), as PostgreSQL's age(). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Rule C4. */
export function victimAgeGroup(
  v: VictimFact,
  c: Pick<CaseFact, "occurredAt" | "reportedAt" | "elementAge">,
  victimsInCase: number,
): AgeGroup {
  if (v.dateOfBirth) {
    const age = ageOn(v.dateOfBirth, isoDay(c.occurredAt ?? c.reportedAt));
    if (age >= 0) return ageGroup(age);
  }
  if (victimsInCase === 1 && c.elementAge !== null) return ageGroup(c.elementAge);
  if (v.ageMin !== null && v.ageMax !== null && ageGroup(v.ageMin) === ageGroup(v.ageMax))
    return ageGroup(v.ageMin);
  return "unknown";
}

/** Rule C5. */
export function citizenship(nationalities: readonly string[], nodeCountry: string): Citizenship {
  if (nationalities.includes(nodeCountry)) return "national";
  return nationalities.length > 0 ? "foreign" : "unknown";
}

export function sexOf(s: string): Sex {
  return (SEXES as readonly string[]).includes(s) ? (s as Sex) : "unknown";
}

/** Rule C6. */
export function regionOf(c: Pick<CaseFact, "country" | "region">, nodeCountry: string): string {
  if (c.country !== nodeCountry) return "abroad";
  return c.region ?? "unknown";
}

export const yearOf = (d: string | Date): number =>
  (typeof d === "string" ? new Date(d) : d).getUTCFullYear();
const dayYear = (d: string): number => Number(d.slice(0, 4));

// ---- The tables --------------------------------------------------------------------------------

/** Which tables a return holds, in order: the SQL computation produces exactly these. */
export const TABLE_SPECS: readonly { id: string; title: string; measure: Measure; dims: Dim[] }[] = [
  { id: "incidents_by_iccs", title: "Incidents by ICCS class", measure: "incidents", dims: ["ICCS"] },
  { id: "incidents_by_type", title: "Incidents by operational type", measure: "incidents", dims: ["TYPE"] },
  {
    id: "incidents_by_iccs_type",
    title: "Incidents by ICCS class and operational type",
    measure: "incidents",
    dims: ["ICCS", "TYPE"],
  },
  { id: "incidents_by_outcome", title: "Incidents by outcome", measure: "incidents", dims: ["OUTCOME"] },
  {
    id: "incidents_by_region",
    title: "Incidents by first-level region",
    measure: "incidents",
    dims: ["REGION"],
  },
  {
    id: "incidents_by_ransom",
    title: "Incidents with a ransom demanded or paid",
    measure: "incidents",
    dims: ["RANSOM"],
  },
  {
    id: "ransom_amount_demanded",
    title: "Ransom demanded, by currency",
    measure: "ransom_amount_demanded",
    dims: ["CURRENCY"],
  },
  { id: "victims_by_iccs", title: "Victims by ICCS class", measure: "victims", dims: ["ICCS"] },
  { id: "victims_by_type", title: "Victims by operational type", measure: "victims", dims: ["TYPE"] },
  { id: "victims_by_outcome", title: "Victims by outcome", measure: "victims", dims: ["OUTCOME"] },
  { id: "victims_by_sex", title: "Victims by sex", measure: "victims", dims: ["SEX"] },
  { id: "victims_by_age", title: "Victims by age group at the incident", measure: "victims", dims: ["AGE"] },
  {
    id: "victims_by_sex_age",
    title: "Victims by sex and age group",
    measure: "victims",
    dims: ["SEX", "AGE"],
  },
  {
    id: "victims_by_citizenship",
    title: "Victims by citizenship",
    measure: "victims",
    dims: ["CITIZENSHIP"],
  },
  { id: "victims_by_region", title: "Victims by first-level region", measure: "victims", dims: ["REGION"] },
  {
    id: "persons_by_stage",
    title: "Persons arrested, prosecuted and convicted",
    measure: "persons",
    dims: ["STAGE"],
  },
];

/** Tables whose cells need not add up to the total (a case can fall in several cells or none). */
export const NON_ADDITIVE: ReadonlySet<string> = new Set([
  "incidents_by_ransom",
  "ransom_amount_demanded",
  "persons_by_stage",
]);

class Tally {
  private m = new Map<string, number>();
  add(key: readonly string[], n = 1) {
    const k = JSON.stringify(key);
    this.m.set(k, (this.m.get(k) ?? 0) + n);
  }
  cells(): TableCell[] {
    return [...this.m.entries()]
      .map(([k, value]) => ({ key: JSON.parse(k) as string[], value }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }
}

export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Counts the return of `year` for the node of `country` from its cases (any years: see C8). */
export function computeReturn(
  facts: readonly CaseFact[],
  opts: { year: number; country: string },
): NationalReturn {
  const { year, country } = opts;
  const t = new Map<string, Tally>(TABLE_SPECS.map((s) => [s.id, new Tally()]));
  const tally = (id: string) => t.get(id) as Tally;
  let incidents = 0;
  let victims = 0;
  let amountTotal = 0;
  const prosecuted = new Set<string>();
  const convicted = new Set<string>();
  let arrested = 0;
  for (const c of facts) {
    for (const r of c.rescues) if (yearOf(r.startedAt) === year) arrested += r.suspectsArrested;
    for (const ch of c.charges) {
      const person = ch.personId ?? `charge:${ch.chargeId}`;
      if (yearOf(ch.recordedAt) === year) prosecuted.add(person);
      const verdictYear = ch.verdictDate ? dayYear(ch.verdictDate) : yearOf(ch.updatedAt);
      if (ch.verdict === "convicted" && ch.appeal !== "overturned" && verdictYear === year)
        convicted.add(person);
    }
    if (yearOf(c.reportedAt) !== year) continue;
    incidents++;
    const iccs = c.iccs ?? "none";
    const outcome = c.outcome ?? "pending";
    const region = regionOf(c, country);
    tally("incidents_by_iccs").add([iccs]);
    tally("incidents_by_type").add([c.opType]);
    tally("incidents_by_iccs_type").add([iccs, c.opType]);
    tally("incidents_by_outcome").add([outcome]);
    tally("incidents_by_region").add([region]);
    if (c.demands.length > 0 || c.purpose === "ransom") tally("incidents_by_ransom").add(["demanded"]);
    if (c.outcome === "released_after_payment") tally("incidents_by_ransom").add(["paid"]);
    const lastAmount = [...c.demands].reverse().find((d) => d.amount)?.amount;
    if (lastAmount) {
      tally("ransom_amount_demanded").add([lastAmount.currency], lastAmount.value);
      amountTotal += lastAmount.value;
    }
    const vs: readonly VictimFact[] =
      c.victims.length > 0
        ? c.victims
        : [{ sex: "unknown", dateOfBirth: null, ageMin: null, ageMax: null, nationalities: [] }];
    for (const v of vs) {
      victims++;
      const sex = sexOf(v.sex);
      const age = victimAgeGroup(v, c, vs.length);
      tally("victims_by_iccs").add([iccs]);
      tally("victims_by_type").add([c.opType]);
      tally("victims_by_outcome").add([outcome]);
      tally("victims_by_sex").add([sex]);
      tally("victims_by_age").add([age]);
      tally("victims_by_sex_age").add([sex, age]);
      tally("victims_by_citizenship").add([citizenship(v.nationalities, country)]);
      tally("victims_by_region").add([region]);
    }
  }
  if (arrested > 0) tally("persons_by_stage").add(["arrested"], arrested);
  if (prosecuted.size > 0) tally("persons_by_stage").add(["prosecuted"], prosecuted.size);
  if (convicted.size > 0) tally("persons_by_stage").add(["convicted"], convicted.size);
  const totals: Record<Measure, number> = {
    incidents,
    victims,
    ransom_amount_demanded: amountTotal,
    persons: arrested + prosecuted.size + convicted.size,
  };
  return {
    country,
    year,
    tables: TABLE_SPECS.map((s) => ({
      ...s,
      dims: [...s.dims],
      total: s.id === "incidents_by_ransom" ? incidents : totals[s.measure],
      cells: tally(s.id).cells(),
    })),
  };
}

export function table(r: NationalReturn, id: string): StatTable {
  const t = r.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}

/** The value of one cell (0 when absent, null when withheld). */
export function cell(r: NationalReturn, id: string, ...key: string[]): number | null {
  const c = table(r, id).cells.find((x) => compareKeys(x.key, key) === 0);
  return c ? c.value : 0;
}

// ---- Validation ----------------------------------------------------------------------------------

export type IssueKind = "sum_mismatch" | "implausible" | "large_change";
export interface ValidationIssue {
  kind: IssueKind;
  table: string;
  key: string[];
  message: string;
  /** The focal point must add a note before submitting. */
  needsNote: boolean;
  severity: "error" | "warning";
}

export interface ValidationOptions {
  /** The node's population, for rates per 100,000. */
  population?: number | undefined;
  /** Victims per 100,000 above which the rate is implausible (default 50: above the highest national rate in the UNODC series). */
  maxRatePer100k?: number;
  /** Relative change on the previous year that needs a note (default 0.5). */
  changeThreshold?: number;
  /** Changes are flagged only where either year counts at least this many (default 1). */
  changeMinBase?: number;
}

/** Totals equal the sum of their parts; rates and relations are plausible; large changes need a note. */
export function validateReturn(
  current: NationalReturn,
  previous?: NationalReturn | null,
  opts: ValidationOptions = {},
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const threshold = opts.changeThreshold ?? 0.5;
  const minBase = opts.changeMinBase ?? 1;
  for (const t of current.tables) {
    if (NON_ADDITIVE.has(t.id)) continue;
    if (t.cells.some((c) => c.value === null)) continue;
    const sum = t.cells.reduce((a, c) => a + (c.value ?? 0), 0);
    if (Math.abs(sum - t.total) > 1e-9)
      out.push({
        kind: "sum_mismatch",
        table: t.id,
        key: [],
        message: `${t.title}: the parts add up to ${sum}, the total is ${t.total}`,
        needsNote: false,
        severity: "error",
      });
  }
  const get = (id: string, ...key: string[]) => cell(current, id, ...key) ?? 0;
  const incidents = table(current, "incidents_by_iccs").total;
  const victims = table(current, "victims_by_iccs").total;
  if (victims < incidents)
    out.push({
      kind: "implausible",
      table: "victims_by_iccs",
      key: [],
      message: `fewer victims (${victims}) than incidents (${incidents}): every incident has at least one victim`,
      needsNote: false,
      severity: "error",
    });
  if (get("incidents_by_ransom", "paid") > get("incidents_by_ransom", "demanded"))
    out.push({
      kind: "implausible",
      table: "incidents_by_ransom",
      key: ["paid"],
      message: "more incidents with a ransom paid than with a ransom demanded",
      needsNote: true,
      severity: "warning",
    });
  if (opts.population && opts.population > 0) {
    const rate = (victims / opts.population) * 100_000;
    const max = opts.maxRatePer100k ?? 50;
    if (rate > max)
      out.push({
        kind: "implausible",
        table: "victims_by_iccs",
        key: [],
        message: `${rate.toFixed(2)} victims per 100,000 inhabitants is above the plausible maximum of ${max}`,
        needsNote: true,
        severity: "warning",
      });
  }
  if (previous) {
    for (const t of current.tables) {
      const before = previous.tables.find((p) => p.id === t.id);
      if (!before) continue;
      const keys = new Map<string, string[]>();
      for (const c of [...t.cells, ...before.cells]) keys.set(JSON.stringify(c.key), c.key);
      const rows: { key: string[]; label: string }[] = [
        { key: [], label: "total" },
        ...[...keys.values()].map((k) => ({ key: k, label: k.join(" × ") })),
      ];
      for (const { key, label } of rows) {
        const now =
          key.length === 0 ? t.total : (t.cells.find((c) => compareKeys(c.key, key) === 0)?.value ?? 0);
        const then =
          key.length === 0
            ? before.total
            : (before.cells.find((c) => compareKeys(c.key, key) === 0)?.value ?? 0);
        if (now === null || then === null) continue;
        if (Math.max(now, then) < minBase) continue;
        const change = then === 0 ? Number.POSITIVE_INFINITY : Math.abs(now - then) / then;
        if (change > threshold)
          out.push({
            kind: "large_change",
            table: t.id,
            key,
            message: `${t.title}, ${label}: ${then} in ${previous.year}, ${now} in ${current.year} (${
              then === 0 ? "new" : `${now > then ? "+" : "−"}${Math.round(change * 100)} %`
            }): explain the change in a note`,
            needsNote: true,
            severity: "warning",
          });
      }
    }
  }
  return out;
}

// ---- Small-cell suppression --------------------------------------------------------------------

/**
 * Withholds counts from 1 to minCell − 1 (primary suppression), then, wherever
 * a line of a table (the cells that share every key but one) would let a
 * withheld count be recovered from its published total by subtraction, also
 * the smallest other non-zero count of that line (secondary suppression).
 * Totals stay exact. Amounts (not counts of people) are left as they are.
 */
export function suppressSmallCells(r: NationalReturn, minCell: number): NationalReturn {
  return {
    ...r,
    tables: r.tables.map((t) => {
      if (t.measure === "ransom_amount_demanded" || minCell <= 1) return t;
      const cells = t.cells.map((c) => ({ key: [...c.key], value: c.value }));
      const hidden = new Set<number>();
      cells.forEach((c, i) => {
        if (c.value !== null && c.value > 0 && c.value < minCell) hidden.add(i);
      });
      if (!NON_ADDITIVE.has(t.id)) {
        for (let changed = true; changed; ) {
          changed = false;
          for (let d = 0; d < t.dims.length; d++) {
            const lines = new Map<string, number[]>();
            cells.forEach((c, i) => {
              const k = JSON.stringify(c.key.filter((_, j) => j !== d));
              lines.set(k, [...(lines.get(k) ?? []), i]);
            });
            for (const idx of lines.values()) {
              const inLine = idx.filter((i) => hidden.has(i));
              if (inLine.length !== 1) continue;
              const candidate = idx
                .filter((i) => !hidden.has(i) && (cells[i]?.value ?? 0) > 0)
                .sort((a, b) => (cells[a]?.value ?? 0) - (cells[b]?.value ?? 0))[0];
              if (candidate !== undefined) {
                hidden.add(candidate);
                changed = true;
              }
            }
          }
        }
      }
      return { ...t, cells: cells.map((c, i) => (hidden.has(i) ? { key: c.key, value: null } : c)) };
    }),
  };
}
