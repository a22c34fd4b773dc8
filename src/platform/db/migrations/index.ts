/**
 * The one migration set. Every statement runs unchanged on PGlite (PostgreSQL 18)
 * and on a PostgreSQL 15+ server. Append new migrations; never edit a shipped one.
 */
import { type Kysely, sql } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { CASE_STATUSES, OUTCOMES } from "../../../domain/case-lifecycle.ts";
import {
  APPEALS,
  PROSECUTION_STAGES,
  RESCUE_RESULTS,
  SELECTOR_KINDS,
  VEHICLE_USES,
  VERDICTS,
} from "../../../domain/case-records.ts";
import { CASE_ROLES, CRISIS_LOG_KINDS, PERSON_ROLES } from "../../../domain/cases.ts";
import { ROLES } from "../../../domain/roles.ts";
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

/** The restricted role the application runs as (SET ROLE / `-c role=`). */
export const APP_ROLE = "ariadne_app";

export type SqlMigration = readonly string[];

const MIGRATIONS: Record<string, SqlMigration> = {
  "001_foundation": m001({ appRole: APP_ROLE, roles: ROLES }),
  "002_cases": m002({
    appRole: APP_ROLE,
    statuses: CASE_STATUSES,
    outcomes: OUTCOMES,
    caseRoles: CASE_ROLES,
    kinds: CRISIS_LOG_KINDS,
    personRoles: PERSON_ROLES,
  }),
  "003_case_records": m003({
    appRole: APP_ROLE,
    vehicleUses: VEHICLE_USES,
    selectorKinds: SELECTOR_KINDS,
    rescueResults: RESCUE_RESULTS,
    stages: PROSECUTION_STAGES,
    verdicts: VERDICTS,
    appeals: APPEALS,
  }),
  "004_federation": m004({ appRole: APP_ROLE }),
  "005_message_links": m005({ appRole: APP_ROLE }),
  "006_key_rotation": m006(),
  "008_handling_restrictions": m008(),
  "009_hits": m009({ appRole: APP_ROLE }),
  "010_statistics": m010({ appRole: APP_ROLE }),
  "011_returns": m011({ appRole: APP_ROLE }),
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
