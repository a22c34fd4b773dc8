/**
 * The part of the node's database the statistics engine uses, declared here so
 * that the engine depends on no layer above it: the case tables it counts from
 * (read only, the columns the counting rules look at), the observations and
 * imports it writes (every column), and the received returns the global report
 * reads. The platform's schema (`src/platform/db/schema.ts`) has these tables
 * with these columns and more; any Kysely over a schema that includes them, or a
 * handle holding one (`{ kysely, kind }`, as the platform opens a database), can
 * be given to the engine.
 *
 * The synthetic cases (`synthetic.ts`) are inserted with plain SQL into the case
 * tables, whole rows checked by the database itself rather than by these types.
 */
import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<Record<string, unknown>, string, string>;
type Day = ColumnType<Date | null, string | null, string | null>;

export interface CaseRow {
  id: string;
  reported_at: Timestamp;
  occurred_at: Timestamp | null;
  country: string;
  region: string | null;
  elements: Json;
  iccs: string | null;
  op_type: string;
  outcome: string | null;
}

export interface CasePersonRow {
  case_id: string;
  role: string;
  sex: string;
  date_of_birth: Day;
  age_min: number | null;
  age_max: number | null;
  nationalities: string[];
}

export interface CrisisLogRow {
  case_id: string;
  seq: number;
  kind: string;
  content: Json;
}

export interface RescueOperationRow {
  case_id: string;
  started_at: Timestamp;
  suspects_arrested: number;
}

export interface CaseChargeRow {
  id: string;
  case_id: string;
  person_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  verdict: string | null;
  verdict_date: Day;
  appeal: string;
}

export interface StatImportRow {
  id: string;
  source: string;
  format: string;
  file_name: string;
  file_sha256: string;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  imported_by: string | null;
  rows_total: ColumnType<number, number | undefined, number>;
  rows_inserted: ColumnType<number, number | undefined, number>;
  rows_updated: ColumnType<number, number | undefined, number>;
  rows_unchanged: ColumnType<number, number | undefined, number>;
  rows_rejected: ColumnType<number, number | undefined, number>;
  report: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface StatObservationRow {
  id: Generated<number>;
  source: string;
  source_detail: string | null;
  submission_id: ColumnType<string, string | undefined, string>;
  revision: ColumnType<number, number | undefined, number>;
  ref_area: string;
  country: string;
  area_level: "country" | "subnational";
  area_name: string | null;
  region: string | null;
  subregion: string | null;
  time_period: number;
  indicator: string;
  measure: string;
  unit_measure: string;
  breakdown: ColumnType<string, string | undefined, string>;
  /** numeric: the driver returns a string. */
  value: ColumnType<string, string | number, string | number>;
  obs_status: ColumnType<string, string | undefined, string>;
  obs_flags: string | null;
  note: string | null;
  file: string;
  row_number: number;
  import_id: string | null;
  imported_at: Timestamp;
}

export interface StatReceivedReturnRow {
  sender: string;
  year: number;
  revision: number;
  status: string;
  questionnaire: ColumnType<unknown, string, string>;
}

/** The tables (and, of each, the columns) the statistics engine reads and writes. */
export interface StatisticsTables {
  cases: CaseRow;
  case_persons: CasePersonRow;
  crisis_log: CrisisLogRow;
  rescue_operations: RescueOperationRow;
  case_charges: CaseChargeRow;
  stat_imports: StatImportRow;
  stat_observations: StatObservationRow;
  stat_received_returns: StatReceivedReturnRow;
}

/** A database handle as the platform opens one: its Kysely, and whether it is a PostgreSQL server. */
export interface StatisticsHandle<DB extends StatisticsTables> {
  kysely: Kysely<DB>;
  kind: "postgres" | "pglite";
}

/** What the engine's functions take: a Kysely (or a transaction) over the tables above, or a handle. */
export type StatisticsDb<DB extends StatisticsTables> = Kysely<DB> | Transaction<DB> | StatisticsHandle<DB>;

/**
 * The Kysely of `db`, narrowed to the engine's tables. Kysely's types are invariant in the
 * schema (a `Kysely<Database>` is not a `Kysely<StatisticsTables>`, though every query on the
 * latter is one on the former): the constraint `DB extends StatisticsTables` checks that the
 * schema has the tables and columns the engine uses, with these types; the narrowing is then safe.
 */
export function statisticsKysely<DB extends StatisticsTables>(
  db: StatisticsDb<DB>,
): Kysely<StatisticsTables> {
  return ("kysely" in db ? db.kysely : db) as unknown as Kysely<StatisticsTables>;
}

/** True when `db` is a handle on a PostgreSQL server (several connections; PGlite has one). */
export function onPostgresServer<DB extends StatisticsTables>(db: StatisticsDb<DB>): boolean {
  return "kind" in db && db.kind === "postgres";
}
