/**
 * The integration tier's global setup, run once per `vitest run` before any test file (beside
 * scripts/build.mjs, which builds the program the CLI tests run): on PGlite, one migrated
 * database, dumped to a file, that every test node starts from (test/helpers/db.ts). Creating
 * and migrating a cluster costs 1.5–3 s of CPU; loading the dump about 0.5 s, and a run opens
 * some hundred test nodes. Each node still gets a database of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/platform/db/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data directory (a dumpDataDir tarball), or "" on PostgreSQL. */
    pgliteTemplate: string;
  }
}

let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteTemplate", "");
    return;
  }
  const db = await openDatabase({ kind: "pglite", dir: "memory://" }, { asOwner: true });
  try {
    const dump = await db.pglite?.dumpDataDir("none");
    if (!dump) throw new Error("PGlite did not dump its data directory");
    dir = mkdtempSync(join(tmpdir(), "ariadne-test-template-"));
    const file = join(dir, "migrated.tar");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide("pgliteTemplate", file);
  } finally {
    await db.close();
  }
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
