/**
 * Starting one node: configuration → database (migrated) → HTTP app → listen.
 * Used by `ariadne serve` and, four times over, by `npm start` (the sandbox).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { IntegrityMonitor } from "../capabilities/audit/integrity-monitor.ts";
import { separationBreach } from "../domain/roles.ts";
import { SecretBox } from "../platform/auth/crypto.ts";
import { type Config, ConfigError } from "../platform/config.ts";
import { type Ctx, systemActor } from "../platform/context.ts";
import { type DatabaseTarget, type Db, describeTarget, openDatabase } from "../platform/db/index.ts";
import { lockEmbedded } from "../platform/db/lock.ts";
import { buildApp } from "./app.ts";
import { DEMO_PASSWORD, demoLogins, seedSandbox } from "./sandbox.ts";

export function dbTarget(config: Config): DatabaseTarget {
  return config.database.kind === "postgres"
    ? { kind: "postgres", url: config.database.url, poolSize: config.database.poolSize }
    : { kind: "pglite", dir: config.database.dir };
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

/** Whether an embedded database directory holds no database yet (its first start will create one). */
export function isFreshEmbedded(config: Config): boolean {
  return (
    config.database.kind === "pglite" &&
    config.database.dir !== "memory://" &&
    !existsSync(join(config.database.dir, "PG_VERSION"))
  );
}

/** A node whose database is open (and migrated), not yet listening. */
export interface OpenNode {
  config: Config;
  db: Db;
  box: SecretBox;
  logger: Logger;
  target: DatabaseTarget;
  /** The hash chains and hashes: the recent part verified by openNode, the rest in the background. */
  integrity: IntegrityMonitor;
  /** A context acting as the system, labelled `label` in the audit trail. */
  systemCtx(label: string): Ctx;
  /** Close the database and release its lock (a node that will not listen after all). */
  close(): Promise<void>;
}

export interface RunningNode {
  url: string;
  config: Config;
  db: Db;
  box: SecretBox;
  app: FastifyInstance;
  integrity: IntegrityMonitor;
  /** A context acting as the system, labelled `label` in the audit trail. */
  systemCtx(label: string): Ctx;
  close(): Promise<void>;
}

export interface OpenOptions {
  logger?: Logger;
}

/**
 * A node does not start while an account holds roles that separation of duties keeps apart
 * (set before the rule, or by hand in the database): it names them, for another administrator
 * to correct with `ariadne user roles`.
 */
export async function refuseBrokenSeparation(db: Db): Promise<void> {
  const users = await db.kysely
    .selectFrom("users")
    .select(["username", "roles"])
    .orderBy("username")
    .execute();
  const broken = users.flatMap((u) => {
    const pair = separationBreach(u.roles);
    return pair ? [`${u.username} holds ${pair[0]} and ${pair[1]}`] : [];
  });
  if (broken.length > 0) {
    throw new Error(
      `separation of duties: ${broken.join("; ")}: one account may not hold both; ` +
        "change its roles (ariadne user roles) before the node starts",
    );
  }
}

/**
 * Lock, key and database: everything before the HTTP app. Then the integrity check at start:
 * the recent part of the audit chain and every case's crisis-log head, awaited (an error line
 * if broken: the node still starts, and says so on /ready, /metrics and the pages); the whole
 * in the background, and again every ARIADNE_INTEGRITY_INTERVAL_MINUTES.
 */
export async function openNode(config: Config, opts: OpenOptions = {}): Promise<OpenNode> {
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { node: config.nodeId } });
  const target = dbTarget(config);
  const unlock = target.kind === "pglite" ? lockEmbedded(target.dir) : () => {};
  try {
    const box = new SecretBox(secretKey(config));
    const db = await openDatabase(target);
    try {
      await refuseBrokenSeparation(db);
    } catch (e) {
      await db.close();
      throw e;
    }
    const systemCtx = (label: string): Ctx => ({
      actor: systemActor(label),
      requestId: null,
      ip: null,
      db: db.kysely,
      config,
      box,
    });
    const integrity = new IntegrityMonitor(systemCtx("integrity"), logger, config.integrity);
    await integrity.start();
    return {
      config,
      db,
      box,
      logger,
      target,
      integrity,
      systemCtx,
      close: async () => {
        try {
          await integrity.stop();
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

/** Build the HTTP app of an open node and listen. On failure the node is closed. */
export async function listenNode(node: OpenNode): Promise<RunningNode> {
  const { config, db, box, logger } = node;
  let app: FastifyInstance | undefined;
  try {
    app = (await buildApp({ config, db, box, logger, integrity: node.integrity })).app;
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app?.close().catch(() => {});
    await node.close();
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(
        `${config.nodeId}: port ${config.port} on ${config.host} is in use; choose another port`,
      );
    }
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  const url = `${config.tls ? "https" : "http"}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const running = app;
  return {
    url,
    config,
    db,
    box,
    app: running,
    integrity: node.integrity,
    systemCtx: node.systemCtx,
    close: async () => {
      try {
        await running.close();
      } finally {
        await node.close();
      }
    },
  };
}

/** One node: open, seed the sandbox's demo data (sandbox mode only), listen, print the banner. */
export async function startNode(
  config: Config,
  opts: OpenOptions & { quiet?: boolean } = {},
): Promise<RunningNode> {
  const started = performance.now();
  const open = await openNode(config, opts);
  if (config.mode === "sandbox") {
    try {
      await seedSandbox(open.systemCtx("sandbox"), { cases: 30, seed: 1 });
    } catch (e) {
      await open.close();
      throw e;
    }
  }
  const node = await listenNode(open);
  if (config.mode === "production" && config.federation.plainLoopback) {
    open.logger.warn(
      "ARIADNE_FEDERATION_PLAIN_LOOPBACK is on: peers on this machine are reached over plain HTTP (tests and benchmarks only; production nodes speak HTTPS)",
    );
  }
  const ms = Math.round(performance.now() - started);
  open.logger.info(
    { url: node.url, database: describeTarget(open.target), mode: config.mode, startupMs: ms },
    "node ready",
  );
  if (!opts.quiet)
    printBanner(
      config,
      node.url,
      open.target,
      ms,
      config.mode === "sandbox" ? await demoLogins({ db: node.db.kysely, box: node.box }) : [],
    );
  return node;
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
      "  Between nodes the sandbox accepts plain HTTP to a peer on loopback; production uses HTTPS.",
      "",
      "  username                 role                     TOTP secret",
      ...logins.map((l) => `  ${l.username.padEnd(24)} ${l.role.padEnd(24)} ${l.totpSecret}`),
    );
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}
