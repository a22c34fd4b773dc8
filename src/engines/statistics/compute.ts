/**
 * The national return computed inside the database (issue 6): the counting
 * rules of `src/domain/counting.ts`, as SQL aggregations (one GROUP BY over every
 * breakdown at once, which PostgreSQL can run in parallel; the tables are its
 * roll-ups, summed here from a few hundred rows), so
 * that a node with a million cases computes its return in seconds without
 * loading a case into the process. `loadCaseFacts` reads the same cases as
 * plain facts for the pure rules; a test proves both agree.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import {
  type CaseFact,
  compareKeys,
  type Measure,
  type NationalReturn,
  TABLE_SPECS,
  type TableCell,
} from "../../domain/counting.ts";
import { onPostgresServer, type StatisticsDb, type StatisticsTables, statisticsKysely } from "./db.ts";

const yearStart = (y: number) => `${y}-01-01T00:00:00Z`;

/** The age groups in the order of width_bucket's buckets 1–6 (0: below zero, null: unknown). */
const AGE_LABELS = sql`ARRAY['0-14', '15-17', '18-29', '30-44', '45-59', '60+']`;

type GroupRow = Record<string, unknown> & { n: number | string };

/** Runs one aggregation in its own transaction, with room to sort and hash in memory (SET LOCAL). */
async function run<R>(db: Kysely<StatisticsTables>, query: RawBuilder<R>): Promise<{ rows: R[] }> {
  if (db.isTransaction) return query.execute(db);
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL work_mem = '128MB'`.execute(tx);
    // A one-off aggregation: compiling it (JIT) costs more than it saves.
    await sql`SET LOCAL jit = off`.execute(tx);
    return query.execute(tx);
  });
}

/**
 * The roll-ups of a GROUP BY over all the columns, in the shape GROUPING SETS would give: one row
 * per set and key, with `g_<column>` 0 for the columns grouped by and 1 for the others.
 */
function rollup(rows: GroupRow[], columns: string[], sets: string[][]): GroupRow[] {
  const out: GroupRow[] = [];
  for (const set of sets) {
    const sums = new Map<string, GroupRow>();
    for (const r of rows) {
      const k = JSON.stringify(set.map((c) => r[c]));
      const acc = sums.get(k);
      if (acc) acc.n = Number(acc.n) + Number(r.n);
      else {
        const row: GroupRow = { n: Number(r.n) };
        for (const c of columns) {
          row[c] = set.includes(c) ? r[c] : null;
          row[`g_${c}`] = set.includes(c) ? 0 : 1;
        }
        sums.set(k, row);
      }
    }
    if (set.length === 0 && sums.size === 0) {
      const row: GroupRow = { n: 0 };
      for (const c of columns) row[`g_${c}`] = 1;
      out.push(row);
    }
    out.push(...sums.values());
  }
  return out;
}

/** Turns GROUPING SETS rows into the return's tables: a row belongs to the set of the columns it is grouped by. */
function collect(
  rows: GroupRow[],
  columns: Record<string, string>,
  into: Map<string, { total: number; cells: TableCell[] }>,
  measure: Measure,
) {
  for (const row of rows) {
    const grouped = Object.keys(columns).filter((col) => Number(row[`g_${col}`]) === 0);
    const dims = grouped.map((col) => columns[col]);
    const spec = TABLE_SPECS.find(
      (s) => s.measure === measure && s.dims.length === dims.length && s.dims.every((d, i) => d === dims[i]),
    );
    const n = Number(row.n);
    if (grouped.length === 0) {
      for (const s of TABLE_SPECS)
        if (s.measure === measure && s.id !== "incidents_by_ransom") {
          const t = into.get(s.id);
          if (t) t.total = n;
        }
      continue;
    }
    if (!spec) continue;
    into.get(spec.id)?.cells.push({ key: grouped.map((col) => String(row[col])), value: n });
  }
}

/** The return of `year` for the node of `country`, computed with SQL aggregation. */
export async function computeReturnSql<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
  opts: { year: number; country: string; slices?: number },
): Promise<NationalReturn> {
  const db = statisticsKysely(database);
  const { year, country } = opts;
  const from = yearStart(year);
  const to = yearStart(year + 1);
  const tables = new Map(TABLE_SPECS.map((s) => [s.id, { total: 0, cells: [] as TableCell[] }]));
  // On a PostgreSQL server the year is cut into slices of time counted at once on their own
  // connections (each case falls in one slice; the roll-ups add them up); PGlite has one connection.
  const slices = Math.max(1, opts.slices ?? (onPostgresServer(database) ? 2 : 1));
  const bounds = Array.from({ length: slices + 1 }, (_, i) =>
    new Date(Date.parse(from) + ((Date.parse(to) - Date.parse(from)) * i) / slices).toISOString(),
  );
  const inSlice = (i: number) =>
    sql`c.reported_at >= ${bounds[i]}::timestamptz AND c.reported_at < ${bounds[i + 1]}::timestamptz`;
  const inYear = sql`c.reported_at >= ${from}::timestamptz AND c.reported_at < ${to}::timestamptz`;
  const caseCols = sql`coalesce(c.iccs, 'none') AS iccs, c.op_type, coalesce(c.outcome, 'pending') AS outcome,
      CASE WHEN c.country <> ${country} THEN 'abroad' ELSE coalesce(c.region, 'unknown') END AS region`;

  const incidentsQuery = (inYear: RawBuilder<unknown>) => sql<GroupRow>`
    WITH x AS (
      SELECT ${caseCols},
        CASE WHEN c.elements->>'purpose' = 'ransom'
          OR EXISTS (SELECT 1 FROM crisis_log l WHERE l.case_id = c.id AND l.kind = 'demand')
          THEN 'demanded' END AS demanded,
        CASE WHEN c.outcome = 'released_after_payment' THEN 'paid' END AS paid
      FROM cases c WHERE ${inYear}
    )
    SELECT iccs, op_type, outcome, region, demanded, paid,
      count(*) AS n
    FROM x
    GROUP BY iccs, op_type, outcome, region, demanded, paid`;
  const amountsQuery = sql<{ currency: string; n: string | number }>`
    SELECT currency, sum(value) AS n FROM (
      SELECT DISTINCT ON (l.case_id) l.content->'amount'->>'currency' AS currency,
        (l.content->'amount'->>'value')::numeric AS value
      FROM crisis_log l JOIN cases c ON c.id = l.case_id
      WHERE ${inYear} AND l.kind = 'demand' AND jsonb_typeof(l.content->'amount') = 'object'
      ORDER BY l.case_id, l.seq DESC
    ) d GROUP BY currency`;
  // Rule C4, with each age computed once: width_bucket gives 1–6 for the groups, 0 below zero, null when unknown.
  const bucket = (e: RawBuilder<unknown>) => sql`width_bucket(${e}, ARRAY[0, 15, 18, 30, 45, 60])`;
  // A case without a victim recorded joins no person: one row of nulls, the unknown victim of rule C2.
  const age = sql`CASE
      WHEN p.date_of_birth IS NOT NULL AND p.date_of_birth <= (coalesce(c.occurred_at, c.reported_at) AT TIME ZONE 'UTC')::date
        THEN date_part('year', age((coalesce(c.occurred_at, c.reported_at) AT TIME ZONE 'UTC')::date, p.date_of_birth))::int
      WHEN coalesce(nv.n, 1) = 1 AND jsonb_typeof(c.elements->'victimAgeYears') = 'number'
        THEN (c.elements->>'victimAgeYears')::int
      WHEN ${bucket(sql`p.age_min`)} = ${bucket(sql`p.age_max`)} THEN p.age_min
    END`;
  const victimsQuery = (inYear: RawBuilder<unknown>) => sql<GroupRow>`
    WITH nv AS (
      SELECT p.case_id, count(*) AS n FROM case_persons p JOIN cases c ON c.id = p.case_id
      WHERE p.role = 'victim' AND ${inYear} GROUP BY p.case_id HAVING count(*) > 1
    ),
    w AS (
      SELECT ${caseCols},
        CASE WHEN p.sex IN ('female', 'male', 'other') THEN p.sex ELSE 'unknown' END AS sex,
        coalesce((${AGE_LABELS})[${bucket(age)}], 'unknown') AS age,
        CASE WHEN ${country} = ANY (p.nationalities) THEN 'national'
          WHEN cardinality(p.nationalities) > 0 THEN 'foreign' ELSE 'unknown' END AS citizenship
      FROM cases c
        LEFT JOIN case_persons p ON p.case_id = c.id AND p.role = 'victim'
        LEFT JOIN nv ON nv.case_id = c.id
      WHERE ${inYear}
    )
    SELECT iccs, op_type, outcome, sex, age, citizenship, region,
      count(*) AS n
    FROM w
    GROUP BY iccs, op_type, outcome, sex, age, citizenship, region`;
  const fromDay = `${year}-01-01`;
  const toDay = `${year + 1}-01-01`;
  const justiceQuery = sql<{
    arrested: string | number;
    prosecuted: string | number;
    convicted: string | number;
  }>`
    SELECT
      (SELECT coalesce(sum(suspects_arrested), 0) FROM rescue_operations
        WHERE started_at >= ${from}::timestamptz AND started_at < ${to}::timestamptz) AS arrested,
      (SELECT count(DISTINCT coalesce(person_id::text, 'charge:' || id::text)) FROM case_charges
        WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz) AS prosecuted,
      (SELECT count(DISTINCT coalesce(person_id::text, 'charge:' || id::text)) FROM case_charges
        WHERE verdict = 'convicted' AND appeal <> 'overturned'
          AND coalesce(verdict_date, (updated_at AT TIME ZONE 'UTC')::date) >= ${fromDay}::date
          AND coalesce(verdict_date, (updated_at AT TIME ZONE 'UTC')::date) < ${toDay}::date) AS convicted`;

  // On PostgreSQL the four queries run at once on their own connections; each may sort and hash in memory.
  const parts = Array.from({ length: slices }, (_, i) => i);
  const [incidentParts, victimParts, amounts, justice] = await Promise.all([
    Promise.all(parts.map((i) => run(db, incidentsQuery(inSlice(i))))),
    Promise.all(parts.map((i) => run(db, victimsQuery(inSlice(i))))),
    run(db, amountsQuery),
    run(db, justiceQuery),
  ]);
  const incidents = { rows: incidentParts.flatMap((p) => p.rows) };
  const victims = { rows: victimParts.flatMap((p) => p.rows) };
  // A case without a demand (or not paid) lands in the null group of that set: not a cell.
  const incidentRows = rollup(
    incidents.rows,
    ["iccs", "op_type", "outcome", "region", "demanded", "paid"],
    [["iccs"], ["op_type"], ["iccs", "op_type"], ["outcome"], ["region"], ["demanded"], ["paid"], []],
  );
  const ransomRows = incidentRows.filter(
    (r) =>
      !(Number(r.g_demanded) === 0 && r.demanded === null) && !(Number(r.g_paid) === 0 && r.paid === null),
  );
  collect(
    ransomRows.map((r) =>
      Number(r.g_paid) === 0 ? { ...r, demanded: r.paid, g_demanded: 0, g_paid: 1 } : r,
    ),
    { iccs: "ICCS", op_type: "TYPE", outcome: "OUTCOME", region: "REGION", demanded: "RANSOM" },
    tables,
    "incidents",
  );
  const incidentTotal = tables.get("incidents_by_iccs")?.total ?? 0;
  const ransomTable = tables.get("incidents_by_ransom");
  if (ransomTable) ransomTable.total = incidentTotal;

  const amountTable = tables.get("ransom_amount_demanded");
  if (amountTable) {
    amountTable.cells = amounts.rows.map((r) => ({ key: [r.currency], value: Number(r.n) }));
    amountTable.total = amountTable.cells.reduce((a, c) => a + (c.value ?? 0), 0);
  }

  collect(
    rollup(
      victims.rows,
      ["iccs", "op_type", "outcome", "sex", "age", "citizenship", "region"],
      [["iccs"], ["op_type"], ["outcome"], ["sex"], ["age"], ["sex", "age"], ["citizenship"], ["region"], []],
    ),
    {
      iccs: "ICCS",
      op_type: "TYPE",
      outcome: "OUTCOME",
      sex: "SEX",
      age: "AGE",
      citizenship: "CITIZENSHIP",
      region: "REGION",
    },
    tables,
    "victims",
  );

  const j = justice.rows[0];
  const persons = tables.get("persons_by_stage");
  if (j && persons) {
    for (const stage of ["arrested", "prosecuted", "convicted"] as const) {
      const n = Number(j[stage]);
      if (n > 0) persons.cells.push({ key: [stage], value: n });
      persons.total += n;
    }
  }

  return {
    country,
    year,
    tables: TABLE_SPECS.map((s) => {
      const t = tables.get(s.id) ?? { total: 0, cells: [] };
      return {
        ...s,
        dims: [...s.dims],
        total: t.total,
        cells: t.cells.sort((a, b) => compareKeys(a.key, b.key)),
      };
    }),
  };
}

const iso = (d: Date | string) => (typeof d === "string" ? d : d.toISOString());

/**
 * Every case of the node as plain facts for the pure counting rules (small
 * nodes, drill-down and tests; a large node computes with `computeReturnSql`).
 */
export async function loadCaseFacts<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
): Promise<CaseFact[]> {
  const db = statisticsKysely(database);
  const cases = await db
    .selectFrom("cases")
    .select([
      "id",
      "reported_at",
      "occurred_at",
      "iccs",
      "op_type",
      "outcome",
      "country",
      "region",
      "elements",
    ])
    .orderBy("id")
    .execute();
  const facts = new Map<string, CaseFact & { victims: CaseFact["victims"][number][] }>();
  for (const c of cases) {
    const el = (typeof c.elements === "string" ? JSON.parse(c.elements) : c.elements) as Record<
      string,
      unknown
    >;
    facts.set(c.id, {
      id: c.id,
      reportedAt: iso(c.reported_at),
      occurredAt: c.occurred_at ? iso(c.occurred_at) : null,
      iccs: c.iccs,
      opType: c.op_type,
      outcome: c.outcome,
      country: c.country,
      region: c.region,
      elementAge: typeof el.victimAgeYears === "number" ? el.victimAgeYears : null,
      purpose: typeof el.purpose === "string" ? el.purpose : null,
      victims: [],
      demands: [],
      rescues: [],
      charges: [],
    });
  }
  const persons = await db
    .selectFrom("case_persons")
    .select(["case_id", "sex", "age_min", "age_max", "nationalities"])
    .select(sql<string | null>`date_of_birth::text`.as("dob"))
    .where("role", "=", "victim")
    .execute();
  for (const p of persons)
    facts.get(p.case_id)?.victims.push({
      sex: p.sex,
      dateOfBirth: p.dob,
      ageMin: p.age_min,
      ageMax: p.age_max,
      nationalities: p.nationalities,
    });
  const demands = await db
    .selectFrom("crisis_log")
    .select(["case_id", "content"])
    .where("kind", "=", "demand")
    .orderBy("case_id")
    .orderBy("seq")
    .execute();
  for (const d of demands) {
    const content = (typeof d.content === "string" ? JSON.parse(d.content) : d.content) as {
      amount?: { value: number; currency: string };
    };
    (facts.get(d.case_id)?.demands as { amount: unknown }[] | undefined)?.push({
      amount: content.amount ?? null,
    });
  }
  const rescues = await db
    .selectFrom("rescue_operations")
    .select(["case_id", "started_at", "suspects_arrested"])
    .execute();
  for (const r of rescues)
    (facts.get(r.case_id)?.rescues as unknown[] | undefined)?.push({
      startedAt: iso(r.started_at),
      suspectsArrested: r.suspects_arrested,
    });
  const charges = await db
    .selectFrom("case_charges")
    .select(["id", "case_id", "person_id", "created_at", "updated_at", "verdict", "appeal"])
    .select(sql<string | null>`verdict_date::text`.as("verdict_day"))
    .execute();
  for (const ch of charges)
    (facts.get(ch.case_id)?.charges as unknown[] | undefined)?.push({
      personId: ch.person_id,
      chargeId: ch.id,
      recordedAt: iso(ch.created_at),
      updatedAt: iso(ch.updated_at),
      verdict: ch.verdict,
      verdictDate: ch.verdict_day,
      appeal: ch.appeal,
    });
  return [...facts.values()];
}
