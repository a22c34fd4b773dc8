/**
 * `npm run bench:verify`: how long a node's integrity check takes for N audit entries, on
 * embedded PGlite (in memory). For each N in BENCH_ENTRIES (default 10000,100000,300000) it
 * fills a fresh database with N sealed audit entries (chained here, inserted in bulk) and the
 * sandbox's cases with their crisis logs (BENCH_CASES, default 100), then times:
 *   - the start-up part openNode awaits (IntegrityMonitor.start: the newest
 *     ARIADNE_INTEGRITY_RECENT_ENTRIES = 10,000 audit entries and every case's crisis-log head);
 *   - the full audit chain (verifyChain) and the records (verifyRecords: every crisis log, every
 *     attachment), which the node runs in the background;
 * and extrapolates the full chain to 10^7 entries from the largest N.
 *
 * A program that prints figures, not a test: it never fails on a slow machine.
 */
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { sql } from "kysely";
import { verifyRecords } from "../src/capabilities/audit/integrity.ts";
import { IntegrityMonitor } from "../src/capabilities/audit/integrity-monitor.ts";
import { entryHash, sealAll, verifyChain } from "../src/platform/audit/index.ts";
import { SecretBox } from "../src/platform/auth/crypto.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Ctx, systemActor } from "../src/platform/context.ts";
import { openDatabase } from "../src/platform/db/index.ts";
import { seedSandbox } from "../src/server/sandbox.ts";

const SIZES = (process.env.BENCH_ENTRIES ?? "10000,100000,300000").split(",").map(Number);
const CASES = Number(process.env.BENCH_CASES ?? 100);
const RECENT = 10_000;
const silent = { info() {}, error() {} };

async function fill(ctx: Ctx, n: number) {
  // Entries already written (the seeding's) are chained first; ours follow.
  const head = await sql<{
    seq: number;
    hash: Uint8Array;
  }>`SELECT seq, hash FROM audit_head WHERE id = 1`.execute(ctx.db);
  let seq = Number(head.rows[0]?.seq ?? 0);
  let prev: Buffer = Buffer.from(head.rows[0]?.hash ?? Buffer.alloc(32));
  const at = new Date();
  for (let done = 0; done < n; ) {
    const rows = [];
    for (let i = 0; i < 4000 && done < n; i++, done++) {
      seq++;
      const row = {
        at,
        actor_id: null,
        actor_label: "bench",
        event: "user.viewed",
        target_type: "user",
        target_id: `u-${seq}`,
        purpose: "benchmark",
        request_id: null,
        ip: "127.0.0.1",
        details: { i: seq, note: "Ñandú – 北京 – Москва" },
      };
      const hash = entryHash(prev, { ...row, seq });
      rows.push({ ...row, details: JSON.stringify(row.details), seq, prev_hash: prev, hash });
      prev = hash;
    }
    await ctx.db.insertInto("audit_log").values(rows).execute();
  }
  await sql`UPDATE audit_head SET seq = ${seq}, hash = ${prev} WHERE id = 1`.execute(ctx.db);
  return seq;
}

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

console.log(
  `bench:verify on ${cpus().length} cores (load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}), PGlite in memory, ${CASES} sandbox cases`,
);
console.log("entries     start-up part   full chain   entries/s   crisis logs + attachments");
let last: { n: number; ms: number } | undefined;
for (const n of SIZES) {
  const db = await openDatabase({ kind: "pglite", dir: "memory://" }, { asOwner: true });
  const config = loadConfig(
    {},
    {
      ARIADNE_MODE: "sandbox",
      ARIADNE_NODE_ID: "COL",
      ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "silent",
    },
  );
  const box = new SecretBox(config.secretKey ?? randomBytes(32));
  const ctx: Ctx = { actor: systemActor("bench"), requestId: null, ip: null, db: db.kysely, config, box };
  try {
    await seedSandbox(ctx, { cases: CASES, seed: 1 });
    await sealAll(db.kysely);
    const total = await fill(ctx, n);

    const monitor = new IntegrityMonitor(ctx, silent, { recentEntries: RECENT, intervalMs: 0 });
    const t0 = performance.now();
    const atStart = await monitor.start();
    const startMs = ms(t0);
    await monitor.stop(); // the background pass is timed on its own below

    const t1 = performance.now();
    const chain = await verifyChain(db.kysely);
    const chainMs = ms(t1);
    const t2 = performance.now();
    const records = await verifyRecords(ctx);
    const recordsMs = ms(t2);
    if (!chain.ok || !records.ok || atStart.state === "broken")
      throw new Error("the bench's chain does not verify");
    console.log(
      `${String(total).padEnd(11)} ${fmt(startMs).padEnd(15)} ${fmt(chainMs).padEnd(12)} ${String(
        Math.round(total / (chainMs / 1000)),
      ).padEnd(
        11,
      )} ${fmt(recordsMs)} (${records.crisisLogs.entries} log entries in ${records.crisisLogs.cases} cases, ${records.attachments.count} attachments)`,
    );
    last = { n: total, ms: chainMs };
  } finally {
    await db.close();
  }
}
if (last) {
  console.log(
    `10^7 entries: the start-up part stays as above (it reads ${RECENT} entries and one row per case); ` +
      `the full chain in the background ≈ ${fmt((last.ms / last.n) * 1e7)} at the largest size's rate`,
  );
}
