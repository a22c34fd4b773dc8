/**
 * Opening the node's database: embedded PGlite (a directory, or memory) or a
 * PostgreSQL server. Both speak the same SQL and run the same migrations; the
 * application always runs as the restricted role APP_ROLE.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { APP_ROLE, LATEST_MIGRATION, migrationProvider } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dir: string };

export interface Db {
  kysely: Kysely<Database>;
  kind: "postgres" | "pglite";
  /** The embedded instance, for snapshots (backup). */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

const INT8 = 20;
const parseInt8 = (v: string) => Number(v);

/** `memory://` or a directory. */
export function describeTarget(t: DatabaseTarget): string {
  if (t.kind === "pglite") return `embedded PGlite at ${t.dir}`;
  const u = new URL(t.url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export function parseDbArg(arg: string | undefined, fallback: DatabaseTarget): DatabaseTarget {
  if (!arg) return fallback;
  if (/^postgres(ql)?:\/\//.test(arg)) return { kind: "postgres", url: arg };
  return { kind: "pglite", dir: arg };
}

async function openPglite(dir: string, loadDataDir?: Blob): Promise<PGlite> {
  if (dir !== "memory://") mkdirSync(dir, { recursive: true });
  return PGlite.create(dir === "memory://" ? undefined : dir, {
    parsers: { [INT8]: parseInt8 },
    extensions: { pg_trgm },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
}

export interface OpenOptions {
  /** Run pending migrations first (as the owner). Default true. */
  migrate?: boolean;
  /** Run as the owner instead of the restricted application role (CLI maintenance). */
  asOwner?: boolean;
  /** PGlite only: restore this snapshot into a fresh directory. */
  loadDataDir?: Blob;
}

export async function openDatabase(target: DatabaseTarget, opts: OpenOptions = {}): Promise<Db> {
  const migrate = opts.migrate ?? true;
  if (target.kind === "pglite") {
    const pglite = await openPglite(target.dir, opts.loadDataDir);
    const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    if (migrate) await runMigrations(kysely);
    if (!opts.asOwner) await pglite.exec(`SET ROLE ${APP_ROLE}`);
    return {
      kysely,
      kind: "pglite",
      pglite,
      close: () => kysely.destroy(),
    };
  }
  if (migrate) {
    const owner = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 1 }) }),
    });
    try {
      // A node that logs in as a non-owner role starts fine once `ariadne migrate` has run as the owner.
      if (!(await migrationsCurrent(owner).catch(() => false))) await runMigrations(owner);
    } finally {
      await owner.destroy();
    }
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 16,
    ...(opts.asOwner ? {} : { options: `-c role=${APP_ROLE}` }),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (restart, failover) must not crash the node: log it, the pool reconnects.
  pool.on("error", (err) => process.emitWarning(`database connection lost: ${err.message}`));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (!opts.asOwner) {
    const { rows } = await sql<{ u: string }>`SELECT current_user AS u`.execute(kysely);
    if (rows[0]?.u !== APP_ROLE) {
      await kysely.destroy();
      throw new Error(`database: expected to run as role ${APP_ROLE}, got ${rows[0]?.u}`);
    }
  }
  return { kysely, kind: "postgres", pglite: undefined, close: () => kysely.destroy() };
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema state
export async function runMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `migration ${failed ?? "?"} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** True when the database answers and the newest migration has been applied. */
export async function migrationsCurrent(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{
    name: string;
  }>`SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(db);
  return rows[0]?.name === LATEST_MIGRATION;
}

/** A LIKE pattern that matches `text` anywhere, its own `%`, `_` and backslash taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
