/**
 * The one migration set. Every statement runs unchanged on PGlite (PostgreSQL 18)
 * and on a PostgreSQL 15+ server.
 *
 * The rule: append; never edit. A shipped migration is frozen, because a node
 * that applied it will never run it again: a new node and an upgraded node must
 * end up with the same schema. So each migration holds its own literal SQL,
 * the allowed values of its CHECK constraints written out and the application
 * role spelt `ariadne_app`; nothing here imports from outside this folder (in
 * particular not the domain's lists, which change). Changing a list (a role, a
 * case status, an outcome…) is a new migration that replaces the constraint,
 * keeping its name, e.g.
 *   ALTER TABLE users DROP CONSTRAINT users_roles_check,
 *     ADD CONSTRAINT users_roles_check CHECK (roles <@ ARRAY[…]::text[])
 * A new migration takes the next number after the last one (007 was never
 * shipped and stays unused: a name sorting before an applied one is refused).
 *
 * test/integration/migrations.test.ts guards this: it runs every migration on an
 * empty database and checks each CHECK list against the domain's list and the
 * tables against the `Database` interface (schema.ts), refuses imports from
 * outside this folder, and pins the statements of every shipped migration.
 */
import { type Kysely, sql } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { m001 } from "./001_foundation.ts";
import { m002 } from "./002_cases.ts";
import { m003 } from "./003_case_records.ts";
import { m004 } from "./004_federation.ts";
import { m005 } from "./005_message_links.ts";
import { m006 } from "./006_key_rotation.ts";
import { m008 } from "./008_handling_restrictions.ts";
import { m009 } from "./009_hits.ts";
import { m010 } from "./010_statistics.ts";
import { m011 } from "./011_returns.ts";
import { m012 } from "./012_approvals.ts";
import { m013 } from "./013_sign_in.ts";
import { m014 } from "./014_refusals.ts";

/**
 * The restricted role the application runs as (SET ROLE / `-c role=`): the role
 * 001 creates and every migration grants to, written out there.
 */
export const APP_ROLE = "ariadne_app";

export type SqlMigration = readonly string[];

/** Every migration by name: its statements, run in order. */
export const MIGRATIONS: Readonly<Record<string, SqlMigration>> = {
  "001_foundation": m001,
  "002_cases": m002,
  "003_case_records": m003,
  "004_federation": m004,
  "005_message_links": m005,
  "006_key_rotation": m006,
  "008_handling_restrictions": m008,
  "009_hits": m009,
  "010_statistics": m010,
  "011_returns": m011,
  "012_approvals": m012,
  "013_sign_in": m013,
  "014_refusals": m014,
};

function toMigration(statements: SqlMigration): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema state
    async up(db: Kysely<any>) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, s]) => [name, toMigration(s)]));
  },
};

/** Every migration, in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
export const LATEST_MIGRATION = MIGRATION_NAMES.at(-1) ?? "";
