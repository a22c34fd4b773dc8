/**
 * One node of the federation benchmark, in its own process: BENCH_DB (postgres://),
 * BENCH_NODE_ID, BENCH_PORT, BENCH_SECRET (base64). Prints "ready" when it listens;
 * on SIGTERM it closes (the delivery worker stops, the audit is sealed) and exits.
 */
import pino from "pino";
import { SecretBox } from "../src/platform/auth/crypto.ts";
import { loadConfig } from "../src/platform/config.ts";
import { openDatabase } from "../src/platform/db/index.ts";
import { buildApp } from "../src/server/app.ts";

const port = Number(process.env.BENCH_PORT);
const config = loadConfig({
  ARIADNE_MODE: "production",
  ARIADNE_NODE_ID: process.env.BENCH_NODE_ID,
  ARIADNE_SECRET_KEY: process.env.BENCH_SECRET,
  ARIADNE_PUBLIC_URL: `http://127.0.0.1:${port}`,
  ARIADNE_FEDERATION_PLAIN_LOOPBACK: "true",
  PORT: String(port),
  LOG_LEVEL: "warn",
  ARIADNE_FEDERATION_RETRY_BASE_MS: "200",
});
const db = await openDatabase({ kind: "postgres", url: process.env.BENCH_DB ?? "", poolSize: 16 });
const { app } = await buildApp({
  config,
  db,
  box: new SecretBox(config.secretKey ?? Buffer.alloc(32)),
  logger: pino({ level: "warn" }),
});
await app.listen({ host: "127.0.0.1", port });
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
