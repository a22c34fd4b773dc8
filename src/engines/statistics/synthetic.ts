/**
 * Synthetic cases inserted in bulk with SQL (generate_series), for the
 * benchmark and for the test that the SQL and the pure counting rules agree.
 * Every row satisfies the schema (checks, foreign keys) and every case's
 * classification is the one `classify` derives from its elements; but the
 * crisis-log entries carry placeholder hashes (the chain is not computed in
 * SQL): these cases are for scratch databases, never for a node in service.
 */
import { sql } from "kysely";
import { classify, type IncidentInput, incidentElementsSchema } from "../../domain/definition.ts";
import { type StatisticsDb, type StatisticsTables, statisticsKysely } from "./db.ts";

type Template = { elements: IncidentInput; age: "adult" | "unknown" | number };

const TEMPLATES: Template[] = [
  {
    elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
    age: "adult",
  },
  {
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "other_economic_gain",
      context: "express_atm",
    },
    age: "adult",
  },
  {
    elements: {
      victimDetained: true,
      victimMoved: false,
      againstWill: true,
      purpose: "compel_third_party",
      context: "tiger",
    },
    age: "adult",
  },
  {
    elements: { victimDetained: false, victimMoved: false, againstWill: true, purpose: "ransom" },
    age: "adult",
  },
  {
    elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "unknown" },
    age: "unknown",
  },
  {
    elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "none" },
    age: 12,
  },
  {
    elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
    age: 16,
  },
  {
    elements: { victimDetained: true, victimMoved: false, againstWill: false, purpose: "ransom" },
    age: "adult",
  },
  {
    elements: {
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "compel_third_party",
      context: "political",
    },
    age: "adult",
  },
];

function templates() {
  return TEMPLATES.map((t) => {
    const age = t.age === "adult" ? 40 : t.age === "unknown" ? null : t.age;
    const parsed = incidentElementsSchema.parse({ ...t.elements, victimAgeYears: age });
    const c = classify(parsed);
    const { victimAgeYears: _omit, ...elements } = parsed;
    return {
      elements,
      age: t.age === "adult" ? -1 : t.age === "unknown" ? -2 : t.age,
      iccs: c.iccs,
      kidnapping: c.kidnapping,
      op_type: c.type,
      reasons: c.reasons,
    };
  });
}

const OUTCOMES = [
  "released_after_payment",
  "released_without_payment",
  "rescued",
  "escaped",
  "killed",
  "still_missing",
];
const STATUSES = ["reported", "active_crisis", "resolved", "under_investigation", "in_prosecution", "closed"];

export interface SyntheticOptions {
  count: number;
  /** The node's country (ISO alpha-3); one case in 50 happens abroad. */
  country: string;
  /** Reporting years, spread evenly. */
  fromYear: number;
  toYear: number;
  /** Distinguishes several runs in one database (references, ids). */
  prefix?: string;
  batch?: number;
  onProgress?: (done: number) => void;
}

/** Inserts `count` synthetic cases with victims, suspects, demands, rescues and charges. */
export async function insertSyntheticCases<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
  o: SyntheticOptions,
): Promise<number> {
  const db = statisticsKysely(database);
  const prefix = o.prefix ?? "SYN";
  const tpl = JSON.stringify(templates());
  const nt = TEMPLATES.length;
  const years = o.toYear - o.fromYear + 1;
  const batch = o.batch ?? 100_000;
  const regions = ["Antioquia", "Valle del Cauca", "Cundinamarca", "Cauca", "Bolívar", "Meta"];
  for (let lo = 1; lo <= o.count; lo += batch) {
    const hi = Math.min(o.count, lo + batch - 1);
    await db.transaction().execute(async (tx) => {
      // The case's derived values, once per case, reused by every table below.
      await sql`CREATE TEMP TABLE syn ON COMMIT DROP AS
        SELECT g,
          md5(${prefix} || ':case:' || g)::uuid AS id,
          md5(${prefix} || ':suspect:' || g)::uuid AS suspect_id,
          ${tpl}::jsonb -> (g % ${nt}) AS t,
          make_timestamptz(${o.fromYear} + (g % ${years}), 1 + (g * 7) % 12, 1 + (g * 13) % 28, g % 24, (g * 11) % 60, 0, 'UTC') AS reported_at,
          (ARRAY[${sql.join(STATUSES)}])[1 + (g / ${nt}) % 6] AS status,
          (ARRAY[${sql.join(OUTCOMES)}])[1 + (g * 5) % 6] AS outcome0,
          CASE WHEN g % 50 = 0 THEN 'ESP' ELSE ${o.country} END AS country,
          CASE WHEN g % 17 = 0 THEN NULL ELSE (ARRAY[${sql.join(regions)}])[1 + g % 6] END AS region,
          CASE WHEN g % 19 = 0 THEN 0 WHEN g % 7 = 0 THEN 2 ELSE 1 END AS n_victims
        FROM generate_series(${lo}::int, ${hi}::int) AS g`.execute(tx);
      await sql`INSERT INTO cases (id, reference, title, status, outcome, occurred_at, reported_at, country, region,
          elements, iccs, kidnapping, op_type, classification_reasons, tlp, handling, created_at, updated_at,
          log_seq, log_hash)
        SELECT s.id, ${prefix} || '-' || s.g, 'Synthetic case ' || s.g, s.status,
          CASE WHEN s.status IN ('reported', 'active_crisis') THEN NULL
            WHEN (s.t->>'iccs') IS NULL THEN 'found_simulated' ELSE s.outcome0 END,
          CASE WHEN s.g % 10 = 0 THEN NULL ELSE s.reported_at - make_interval(hours => 1 + s.g % 72) END,
          s.reported_at, s.country, s.region,
          (s.t->'elements') || CASE WHEN (s.t->>'age')::int = -2 THEN '{}'::jsonb
            WHEN (s.t->>'age')::int = -1 THEN jsonb_build_object('victimAgeYears', 18 + s.g % 70)
            ELSE jsonb_build_object('victimAgeYears', (s.t->>'age')::int) END,
          s.t->>'iccs', (s.t->>'kidnapping')::boolean, s.t->>'op_type', s.t->'reasons',
          'amber', ARRAY['H0'], s.reported_at, s.reported_at,
          CASE WHEN s.g % 3 = 0 OR s.t->'elements'->>'purpose' = 'ransom' THEN 1 + (s.g % 13 = 0)::int ELSE 0 END,
          CASE WHEN s.g % 3 = 0 OR s.t->'elements'->>'purpose' = 'ransom'
            THEN sha256(convert_to(${prefix} || ':log:' || s.g || ':' || (1 + (s.g % 13 = 0)::int), 'UTF8'))
            ELSE decode(repeat('00', 32), 'hex') END
        FROM syn s`.execute(tx);
      // Victims: none recorded in one case in 19, two in one in 7; a date of birth, an age range or neither.
      await sql`INSERT INTO case_persons (id, case_id, role, display_name, names, search_text, date_of_birth,
          age_min, age_max, sex, nationalities, documents, phones, ibans, addresses, created_at)
        SELECT md5(${prefix} || ':victim:' || s.g || ':' || k)::uuid, s.id, 'victim', 'Synthetic victim',
          '[{"given":"Synthetic","family":"Victim","script":"latin"}]', 'synthetic victim',
          CASE WHEN (s.g + k) % 3 = 0
            THEN (s.reported_at AT TIME ZONE 'UTC')::date - (((s.g * 7 + k) % 80) * 365 + (s.g % 400)) END,
          CASE WHEN (s.g + k) % 3 = 1 THEN (s.g * 3 + k) % 75 END,
          CASE WHEN (s.g + k) % 3 = 1 THEN (s.g * 3 + k) % 75 + 4 END,
          (ARRAY['female', 'male', 'male', 'unknown'])[1 + (s.g + k) % 4],
          CASE (s.g + k) % 5 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['ESP']
            WHEN 2 THEN ARRAY['ESP', ${o.country}] ELSE ARRAY[${o.country}] END,
          '[]', '{}', '{}', '[]', s.reported_at
        FROM syn s CROSS JOIN LATERAL generate_series(1, s.n_victims) AS k`.execute(tx);
      await sql`INSERT INTO case_persons (id, case_id, role, display_name, names, search_text, sex, nationalities,
          documents, phones, ibans, addresses, created_at)
        SELECT s.suspect_id, s.id, 'suspect', 'Synthetic suspect',
          '[{"given":"Synthetic","family":"Suspect","script":"latin"}]', 'synthetic suspect', 'male', '{}', '[]',
          '{}', '{}', '[]', s.reported_at
        FROM syn s WHERE s.status IN ('in_prosecution', 'closed')`.execute(tx);
      // Demands: one, or two (the later one counts); one in nine states no amount.
      await sql`INSERT INTO crisis_log (case_id, seq, kind, occurred_at, recorded_at, author_id, author_label,
          content, prev_hash, hash)
        SELECT s.id, k, 'demand', s.reported_at, s.reported_at, md5('synthetic-author')::uuid, 'synthetic',
          CASE WHEN s.g % 9 = 0 THEN jsonb_build_object('kind', 'demand', 'summary', 'Demand (synthetic)')
            ELSE jsonb_build_object('kind', 'demand', 'summary', 'Demand (synthetic)', 'amount',
              jsonb_build_object('value', (s.g % 500 + 5) * 1000 * k,
                'currency', CASE WHEN s.g % 4 = 0 THEN 'EUR' ELSE 'USD' END)) END,
          CASE WHEN k = 1 THEN decode(repeat('00', 32), 'hex')
            ELSE sha256(convert_to(${prefix} || ':log:' || s.g || ':' || (k - 1), 'UTF8')) END,
          sha256(convert_to(${prefix} || ':log:' || s.g || ':' || k, 'UTF8'))
        FROM syn s CROSS JOIN LATERAL generate_series(1, 1 + (s.g % 13 = 0)::int) AS k
        WHERE s.g % 3 = 0 OR s.t->'elements'->>'purpose' = 'ransom'`.execute(tx);
      await sql`INSERT INTO rescue_operations (id, case_id, created_at, started_at, ended_at, unit, result,
          victims_freed, suspects_arrested, casualties, summary)
        SELECT md5(${prefix} || ':rescue:' || s.g)::uuid, c.id, c.reported_at,
          c.reported_at + make_interval(hours => 2 + s.g % 96),
          c.reported_at + make_interval(hours => 4 + s.g % 96),
          'Synthetic unit', 'victims_freed', 1, s.g % 4, '{"victims":0,"officers":0,"suspects":0}',
          'Synthetic rescue'
        FROM syn s JOIN cases c ON c.id = s.id WHERE c.outcome = 'rescued'`.execute(tx);
      await sql`INSERT INTO case_charges (id, case_id, created_at, updated_at, person_id, offence, legal_provision,
          stage, verdict, verdict_date, appeal)
        SELECT md5(${prefix} || ':charge:' || s.g)::uuid, s.id, s.reported_at + interval '30 days',
          s.reported_at + CASE WHEN s.status = 'closed' THEN interval '210 days' ELSE interval '30 days' END,
          CASE WHEN s.g % 5 = 0 THEN NULL ELSE s.suspect_id END,
          'Kidnapping (synthetic)', 'Synthetic code, art. 1',
          CASE WHEN s.status = 'closed' THEN 'final' ELSE 'charged' END,
          CASE WHEN s.status <> 'closed' THEN NULL WHEN s.g % 8 = 0 THEN 'acquitted' ELSE 'convicted' END,
          CASE WHEN s.status = 'closed' AND s.g % 6 <> 0
            THEN (s.reported_at AT TIME ZONE 'UTC')::date + 200 END,
          CASE WHEN s.status = 'closed' AND s.g % 16 = 1 THEN 'overturned' ELSE 'none' END
        FROM syn s WHERE s.status IN ('in_prosecution', 'closed')`.execute(tx);
    });
    o.onProgress?.(hi);
  }
  return o.count;
}
