/**
 * A fresh database per test file: in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (dropped after).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import type { DatabaseTarget } from "../../src/platform/db/index.ts";

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

export interface TestDatabase {
  target: DatabaseTarget;
  /** PGlite: a migrated data directory to start from (made once per run by global-setup.ts). */
  template: Blob | undefined;
  /** A superuser connection string (PostgreSQL only), for tampering tests. */
  superuserUrl: string | undefined;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base)
    return {
      target: { kind: "pglite", dir: "memory://" },
      template: migratedTemplate(),
      superuserUrl: undefined,
      drop: async () => {},
    };
  const name = `ariadne_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString(), poolSize: 8 },
    template: undefined,
    superuserUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Blob | undefined;

/** The migrated PGlite data directory of this run, read once per test file (none outside vitest's integration tier). */
function migratedTemplate(): Blob | undefined {
  if (template) return template;
  const file = inject("pgliteTemplate");
  if (!file) return undefined;
  template = new Blob([readFileSync(file)]);
  return template;
}
