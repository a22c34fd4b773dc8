/**
 * A node for the API benchmark, in its own process: opens the database given in
 * BENCH_DB (a directory or a postgres:// URL), creates BENCH_USERS benchmark users
 * (32), listens on a free loopback port and prints {url, users, password} as JSON.
 * On SIGTERM it prints {"maxRssBytes": …} and exits.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { createUser } from "../src/capabilities/accounts/users.ts";
import { newTotpSecret, SecretBox } from "../src/platform/auth/crypto.ts";
import { loadConfig } from "../src/platform/config.ts";
import { systemActor } from "../src/platform/context.ts";
import { openDatabase, parseDbArg } from "../src/platform/db/index.ts";
import { buildApp } from "../src/server/app.ts";

const target = parseDbArg(process.env.BENCH_DB, { kind: "pglite", dir: "memory://" });
const config = loadConfig({
  ARIADNE_MODE: "production",
  ARIADNE_NODE_ID: "COL",
  ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
  LOG_LEVEL: "warn",
  // Every benchmark user signs in from the same loopback address.
  ARIADNE_AUTH_RATE_LIMIT: "10000",
});
const db = await openDatabase(target.kind === "postgres" ? { ...target, poolSize: 16 } : target);
const box = new SecretBox(config.secretKey ?? Buffer.alloc(32));
const password = "bench-password-long";
const USERS = Number(process.env.BENCH_USERS ?? 32);
const users: { username: string; secret: string }[] = [];
for (let i = 0; i < USERS; i++) {
  const secret = newTotpSecret();
  const username = `bench${i}`;
  await createUser(
    { actor: systemActor("bench"), requestId: null, ip: null, db: db.kysely, config, box },
    { username, displayName: `Benchmark User ${i}`, roles: ["admin"], password, totpSecret: secret },
  );
  users.push({ username, secret });
}
const { app } = await buildApp({ config, db, box, logger: pino({ level: "warn" }) });
await app.listen({ host: "127.0.0.1", port: 0 });
const addr = app.server.address();
const port = typeof addr === "object" && addr ? addr.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, users, password })}\n`);
process.on("SIGTERM", async () => {
  process.stdout.write(`${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
  await app.close();
  await db.close();
  process.exit(0);
});
