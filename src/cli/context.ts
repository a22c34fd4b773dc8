/**
 * What the commands' actions share: configuration, the database target, the CLI's actor, output.
 * Loaded only by actions that run (src/cli/actions), never to define the command tree.
 */
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { sealAll } from "../platform/audit/index.ts";
import { flushRefusals } from "../platform/audit/refusals.ts";
import { SecretBox } from "../platform/auth/crypto.ts";
import { type Config, loadConfig } from "../platform/config.ts";
import { type Ctx, systemActor } from "../platform/context.ts";
import {
  type DatabaseTarget,
  type Db,
  type OpenOptions,
  openDatabase,
  parseDbArg,
} from "../platform/db/index.ts";
import { lockEmbedded } from "../platform/db/lock.ts";

export interface DbOption {
  db?: string;
}

export function cliConfig(): Config {
  const env = { ...process.env };
  // Maintenance commands work on any node; they need the node id only for labels.
  env.ARIADNE_NODE_ID ??= "XXX";
  env.ARIADNE_SECRET_KEY ??= undefined;
  return loadConfig(env, { ARIADNE_MODE: "sandbox" });
}

export function targetOf(opts: DbOption, config = cliConfig()): DatabaseTarget {
  const fallback: DatabaseTarget =
    config.database.kind === "postgres"
      ? { kind: "postgres", url: config.database.url }
      : { kind: "pglite", dir: config.database.dir };
  return parseDbArg(opts.db, fallback);
}

function boxFor(target: DatabaseTarget): SecretBox {
  const env = process.env.ARIADNE_SECRET_KEY;
  if (env) return new SecretBox(Buffer.from(env, "base64"));
  const file = target.kind === "pglite" ? `${resolve(target.dir)}.key` : resolve("data/sandbox.key");
  if (existsSync(file)) return new SecretBox(Buffer.from(readFileSync(file, "utf8").trim(), "base64"));
  return new Proxy({} as SecretBox, {
    get() {
      throw new Error("ARIADNE_SECRET_KEY is required for this command");
    },
  });
}

/** Open the database for a maintenance command, run `fn`, close. Embedded databases are locked meanwhile. */
export async function withDb<T>(
  opts: DbOption,
  fn: (ctx: Ctx, db: Db) => Promise<T>,
  open: OpenOptions = {},
): Promise<T> {
  const config = cliConfig();
  const target = targetOf(opts, config);
  const unlock = target.kind === "pglite" ? lockEmbedded(target.dir) : () => {};
  try {
    const db = await openDatabase(target, open);
    try {
      const ctx: Ctx = {
        actor: systemActor(`cli:${userInfo().username}`),
        requestId: null,
        ip: null,
        db: db.kysely,
        config,
        box: boxFor(target),
      };
      const out = await fn(ctx, db);
      // Refusals a node left counted go into the trail; then every entry gets its place in the chain.
      await flushRefusals(db.kysely, { all: true });
      await sealAll(db.kysely);
      return out;
    } finally {
      await db.close();
    }
  } finally {
    unlock();
  }
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c] ?? "")))),
  ].join("\n");
}
