/**
 * Starting one node: configuration → database (migrated) → HTTP app → listen.
 * Used by `ariadne serve` and by `npm start` (the sandbox).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import pino, { type Logger } from "pino";
import { buildApp } from "./app.ts";
import { SecretBox } from "./auth/crypto.ts";
import { type Config, ConfigError } from "./config.ts";
import { systemActor } from "./context.ts";
import { type DatabaseTarget, type Db, describeTarget, openDatabase } from "./db/index.ts";
import { DEMO_PASSWORD, demoLogins, seedDemoUsers, seedSandboxCases } from "./sandbox.ts";

export function dbTarget(config: Config): DatabaseTarget {
  return config.database.kind === "postgres"
    ? { kind: "postgres", url: config.database.url, poolSize: config.database.poolSize }
    : { kind: "pglite", dir: config.database.dir };
}

/** An embedded database can be opened by one process at a time; a lock file next to it says which. */
export function lockEmbedded(dir: string): () => void {
  if (dir === "memory://") return () => {};
  const lock = `${resolve(dir)}.lock`;
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8").trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new Error(`the embedded database ${dir} is in use by process ${pid}; stop it first`);
  }
  mkdirSync(dirname(lock), { recursive: true });
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

/** The key that encrypts secrets at rest. Production: from configuration. Sandbox: made once, kept beside the data. */
export function secretKey(config: Config): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.mode !== "sandbox") throw new ConfigError(["ARIADNE_SECRET_KEY is required in production"]);
  const file =
    config.database.kind === "pglite" && config.database.dir !== "memory://"
      ? `${resolve(config.database.dir)}.key`
      : resolve("data/sandbox.key");
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("base64"), { mode: 0o600 });
  return key;
}

export interface RunningNode {
  url: string;
  config: Config;
  db: Db;
  box: SecretBox;
  close(): Promise<void>;
}

export async function startNode(
  config: Config,
  opts: { logger?: Logger; quiet?: boolean } = {},
): Promise<RunningNode> {
  const started = performance.now();
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { node: config.nodeId } });
  const target = dbTarget(config);
  const unlock = target.kind === "pglite" ? lockEmbedded(target.dir) : () => {};
  let db: Db | undefined;
  try {
    const box = new SecretBox(secretKey(config));
    db = await openDatabase(target);
    if (config.mode === "sandbox") {
      const ctx = { actor: systemActor("sandbox"), requestId: null, ip: null, db: db.kysely, config, box };
      await seedDemoUsers(ctx);
      await seedSandboxCases(ctx);
    }
    const { app } = await buildApp({ config, db, box, logger });
    await app.listen({ host: config.host, port: config.port });
    const addr = app.server.address();
    const port = typeof addr === "object" && addr ? addr.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    const ms = Math.round(performance.now() - started);
    logger.info({ url, database: describeTarget(target), mode: config.mode, startupMs: ms }, "node ready");
    if (!opts.quiet)
      printBanner(
        config,
        url,
        target,
        ms,
        config.mode === "sandbox" ? await demoLogins({ db: db.kysely, box }) : [],
      );
    const openDb = db;
    return {
      url,
      config,
      db: openDb,
      box,
      close: async () => {
        await app.close();
        await openDb.close();
        unlock();
      },
    };
  } catch (e) {
    await db?.close();
    unlock();
    throw e;
  }
}

function printBanner(
  config: Config,
  url: string,
  target: DatabaseTarget,
  ms: number,
  logins: Awaited<ReturnType<typeof demoLogins>>,
) {
  const lines = [
    "",
    `  Ariadne node ${config.nodeId} (${config.mode}) ready in ${ms} ms`,
    `  Web app     ${url}/`,
    `  API docs    ${url}/api/docs`,
    `  Database    ${describeTarget(target)}`,
  ];
  if (config.mode === "sandbox") {
    lines.push(
      "",
      `  SANDBOX: synthetic data only. Demo logins (password for all: ${DEMO_PASSWORD});`,
      "  the login page shows each user's current second-factor code.",
      "",
      "  username                 role                     TOTP secret",
      ...logins.map((l) => `  ${l.username.padEnd(24)} ${l.role.padEnd(24)} ${l.totpSecret}`),
    );
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}
