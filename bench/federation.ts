/**
 * `npm run bench:federation`: two nodes (COL → MEX), each in its own process on
 * its own PostgreSQL database, peered, exchanging signed and encrypted messages
 * over loopback HTTP. Prints: throughput at saturation (messages/s, from the send
 * request to the signed receipt) with one message per send request and with
 * BENCH_SEND_BATCH (20) per request through the batch route, end-to-end latency
 * p50/p99 at half each rate, and the time to drain a backlog of BENCH_BACKLOG
 * (10,000) messages queued while the receiver was down.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { createServer } from "node:net";
import { sql } from "kysely";
import pg from "pg";
import { actorForUser } from "../src/capabilities/accounts/auth.ts";
import { createToken } from "../src/capabilities/accounts/tokens.ts";
import { createUser } from "../src/capabilities/accounts/users.ts";
import { SecretBox } from "../src/platform/auth/crypto.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Ctx, systemActor } from "../src/platform/context.ts";
import { openDatabase } from "../src/platform/db/index.ts";
import { approvePeer, importPeer, nodeDescriptor } from "../src/platform/exchange/peers.ts";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SATURATION = Number(process.env.BENCH_MESSAGES ?? 5000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const HALF_RATE_SECONDS = 10;
const SEND_BATCH = Number(process.env.BENCH_SEND_BATCH ?? 20);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

interface NodeSpec {
  id: string;
  db: string;
  url: string;
  port: number;
  secret: string;
}

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
const nodes: NodeSpec[] = [];
for (const id of ["COL", "MEX"]) {
  const name = `ariadne_bench_fed_${id.toLowerCase()}_${randomBytes(3).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const port = await freePort();
  nodes.push({ id, db: name, url: u.toString(), port, secret: randomBytes(32).toString("base64") });
}
const [COL, MEX] = nodes as [NodeSpec, NodeSpec];

function ctxFor(n: NodeSpec, kysely: Ctx["db"]): Ctx {
  const config = loadConfig({
    ARIADNE_MODE: "production",
    ARIADNE_NODE_ID: n.id,
    ARIADNE_SECRET_KEY: n.secret,
    ARIADNE_PUBLIC_URL: `http://127.0.0.1:${n.port}`,
    ARIADNE_FEDERATION_PLAIN_LOOPBACK: "true",
    PORT: String(n.port),
    LOG_LEVEL: "silent",
  });
  return {
    actor: systemActor("bench"),
    requestId: null,
    ip: null,
    db: kysely,
    config,
    box: new SecretBox(config.secretKey ?? Buffer.alloc(32)),
  };
}

// Seed: keys, each other's descriptors approved, and a liaison officer's API token at COL.
const dbs = await Promise.all(nodes.map((n) => openDatabase({ kind: "postgres", url: n.url, poolSize: 4 })));
const ctxs = nodes.map((n, i) => ctxFor(n, (dbs[i] as (typeof dbs)[number]).kysely));
const [colCtx, mexCtx] = ctxs as [Ctx, Ctx];
for (const [here, there] of [
  [colCtx, mexCtx],
  [mexCtx, colCtx],
] as const) {
  const d = await nodeDescriptor(there);
  await importPeer(here, { descriptor: d.descriptor });
  await approvePeer(here, d.nodeId, { signingFingerprint: d.fingerprints.signing });
}
const { user } = await createUser(colCtx, {
  username: "bench.liaison",
  displayName: "Bench Liaison",
  roles: ["liaison_officer"],
  password: "bench-password-long",
});
const row = await colCtx.db
  .selectFrom("users")
  .selectAll()
  .where("id", "=", user.id)
  .executeTakeFirstOrThrow();
const { secret: token } = await createToken(
  { ...colCtx, actor: actorForUser(row) },
  { name: "bench", scopes: ["federation.exchange"], expiresInDays: 1 },
);

function start(n: NodeSpec): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<dir>: each node process writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", "bench/federation-node.ts"], {
    env: {
      ...process.env,
      BENCH_DB: n.url,
      BENCH_NODE_ID: n.id,
      BENCH_PORT: String(n.port),
      BENCH_SECRET: n.secret,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (b: Buffer) => b.toString().includes("ready") && resolve(child));
    child.on("exit", (code) => reject(new Error(`${n.id} exited ${code}`)));
  });
}
const stop = (c: ChildProcess) =>
  new Promise<void>((r) => {
    c.once("exit", () => r());
    c.kill("SIGTERM");
  });

// The load generator shares the two cores with the nodes: plain node:http with kept-alive
// connections costs it about half the CPU of fetch per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const bulletin = (i: number) => ({
  to: ["MEX"],
  type: "notice.modus-operandi",
  tlp: "green",
  handling: ["H0"],
  body: {
    summary: `Synthetic modus operandi bulletin ${i}`,
    indicators: ["calls from prison phones", "ATM withdrawals at night"],
  },
});
/** One request: message `i` alone, or (batch > 1) messages i … i+batch-1 through the batch route. */
const send = (i: number, batch = 1) =>
  new Promise<void>((resolve, reject) => {
    const body = JSON.stringify(
      batch === 1 ? bulletin(i) : { messages: Array.from({ length: batch }, (_, k) => bulletin(i + k)) },
    );
    const req = http.request(
      {
        host: "127.0.0.1",
        port: COL.port,
        path: batch === 1 ? "/api/federation/messages" : "/api/federation/messages/batch",
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          res.statusCode === 202
            ? resolve()
            : reject(new Error(`send ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
const queued = async () =>
  Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`.execute(colCtx.db))
      .rows[0]?.n ?? 0,
  );
const waitDrained = async () => {
  while ((await queued()) > 0) await new Promise((r) => setTimeout(r, 50));
};
async function sendMany(n: number, batch = 1, concurrency = batch === 1 ? 32 : 8) {
  let next = 0;
  const take = () => {
    const i = next;
    next += batch;
    return i;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = take(); i < n; i = take()) await send(i, Math.min(batch, n - i));
    }),
  );
}

/** Send `perSecond` messages a second for HALF_RATE_SECONDS, `batch` per request; the latencies from the outbox. */
async function steady(perSecond: number, batch: number) {
  const mark = new Date();
  const requests = Math.floor((perSecond * HALF_RATE_SECONDS) / batch);
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < requests; i++) {
    const wait = t0 + (i * batch * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(i * batch, batch));
  }
  await Promise.all(inflight);
  await waitDrained();
  const rows = (
    await sql<{
      ms: number;
      attempts: number;
    }>`SELECT extract(epoch FROM (done_at - created_at)) * 1000 AS ms, attempts FROM outbox WHERE created_at >= ${mark}`.execute(
      colCtx.db,
    )
  ).rows;
  const lat = rows.map((r) => Number(r.ms));
  return {
    perSecond,
    batch,
    total: rows.length,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    retried: rows.filter((r) => Number(r.attempts) > 0).length,
  };
}
const halfLine = (h: Awaited<ReturnType<typeof steady>>) =>
  `${h.perSecond} messages/s (${h.batch} per request) for ${HALF_RATE_SECONDS} s: p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms (${h.retried} of ${h.total} needed a retry)\n`;

const colProc = await start(COL);
let mexProc = await start(MEX);
try {
  await sendMany(200); // warm-up
  await waitDrained();

  // 1. Saturation: send as fast as the API takes them, until every receipt is back.
  let t = performance.now();
  await sendMany(SATURATION);
  const accepted = SATURATION / ((performance.now() - t) / 1000);
  await waitDrained();
  const rate = SATURATION / ((performance.now() - t) / 1000);

  // 1b. The same through the batch route, as a national system feeding the exchange would send.
  t = performance.now();
  await sendMany(SATURATION, SEND_BATCH);
  const acceptedBatched = SATURATION / ((performance.now() - t) / 1000);
  await waitDrained();
  const rateBatched = SATURATION / ((performance.now() - t) / 1000);

  // 2. Half those rates, steadily, for the latency of each message from the send to the signed receipt.
  const single = await steady(Math.max(1, Math.floor(rate / 2)), 1);
  const batched = await steady(Math.max(SEND_BATCH, Math.floor(rateBatched / 2)), SEND_BATCH);

  // 3. Backlog: the receiver is down while BACKLOG messages queue up; then it comes back.
  await stop(mexProc);
  t = performance.now();
  await sendMany(BACKLOG, SEND_BATCH);
  const acceptedDown = BACKLOG / ((performance.now() - t) / 1000);
  t = performance.now();
  mexProc = await start(MEX);
  const startup = (performance.now() - t) / 1000;
  await waitDrained();
  const drain = (performance.now() - t) / 1000;
  const drainRate = BACKLOG / (drain - startup);
  const processed = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM inbox`.execute(mexCtx.db)).rows[0]?.n ?? 0,
  );

  process.stdout.write(
    "\nAriadne federation benchmark (COL → MEX, two processes, PostgreSQL, loopback HTTP, EdDSA over A256GCM)\n",
  );
  process.stdout.write(
    `saturation      ${SATURATION} messages: ${rate.toFixed(0)} messages/s (one message per send request, to the signed receipt; the send API took ${accepted.toFixed(0)}/s)\n`,
  );
  process.stdout.write(
    `batched sends   ${SATURATION} messages: ${rateBatched.toFixed(0)} messages/s (${SEND_BATCH} messages per send request, to the signed receipt; the batch API took ${acceptedBatched.toFixed(0)}/s)\n`,
  );
  process.stdout.write(`half rate       ${halfLine(single)}half rate       ${halfLine(batched)}`);
  process.stdout.write(
    `backlog         ${BACKLOG} messages drained in ${drain.toFixed(1)} s after the receiver came back (its process took ${startup.toFixed(1)} s to start, then ${drainRate.toFixed(0)} messages/s; the batch API took ${acceptedDown.toFixed(0)}/s while it was down)\n`,
  );
  process.stdout.write(
    `receiver inbox  ${processed} messages, each once (sent: ${200 + 2 * SATURATION + single.total + batched.total + BACKLOG})\n`,
  );
} finally {
  await stop(colProc).catch(() => {});
  await stop(mexProc).catch(() => {});
  for (const d of dbs) await d.close();
  for (const n of nodes) await admin.query(`DROP DATABASE IF EXISTS ${n.db} WITH (FORCE)`);
  await admin.end();
  agent.destroy();
  void colProc;
}
