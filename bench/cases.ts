/**
 * `npm run bench:cases`: case creation throughput and search latency.
 * PostgreSQL: BENCH_PG_CASES cases (default 100,000) with three persons each;
 * PGlite: BENCH_PGLITE_CASES (default 10,000). Cases are created through the
 * real use cases (classified, audited), several writers at once on PostgreSQL.
 * Search runs in process through the search use case (need-to-know join
 * included): names misspelt, names in another script, phones, references,
 * vehicle plates, and a name narrowed by operational type (the filtered path).
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { actorForUser } from "../src/capabilities/accounts/auth.ts";
import { createUser } from "../src/capabilities/accounts/users.ts";
import { addVehicle } from "../src/capabilities/case-records/records.ts";
import { createCase } from "../src/capabilities/cases/cases.ts";
import { addPerson } from "../src/capabilities/cases/persons.ts";
import { searchCases } from "../src/capabilities/cases/search.ts";
import { sealAll } from "../src/platform/audit/index.ts";
import { SecretBox } from "../src/platform/auth/crypto.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Ctx, systemActor } from "../src/platform/context.ts";
import { type DatabaseTarget, openDatabase } from "../src/platform/db/index.ts";
import { demoCase } from "../src/server/demo/cases.ts";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PG_CASES = Number(process.env.BENCH_PG_CASES ?? 100_000);
const PGLITE_CASES = Number(process.env.BENCH_PGLITE_CASES ?? 10_000);
const SEARCHES = 300;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function run(
  label: string,
  target: DatabaseTarget,
  count: number,
  writers: number,
  analyse?: () => Promise<void>,
) {
  const db = await openDatabase(target);
  const config = loadConfig(
    {},
    {
      ARIADNE_MODE: "production",
      ARIADNE_NODE_ID: "COL",
      ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "silent",
    },
  );
  const base: Ctx = {
    actor: systemActor("bench"),
    requestId: null,
    ip: null,
    db: db.kysely,
    config,
    box: new SecretBox(config.secretKey ?? Buffer.alloc(32)),
  };
  const { user } = await createUser(base, {
    username: "bench.lead",
    displayName: "Bench Lead",
    roles: ["investigator"],
    password: "bench-password-long",
  });
  const row = await db.kysely
    .selectFrom("users")
    .selectAll()
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  const ctx: Ctx = { ...base, actor: actorForUser(row) };

  const inputs = Array.from({ length: count }, (_, i) => demoCase(9, i)); // generated before the clock starts
  let next = 0;
  const started = performance.now();
  let lastReport = started;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const d = inputs[i];
        if (!d) return;
        const c = await createCase(ctx, d.create);
        for (const p of d.persons) await addPerson(ctx, c.id, p);
        if (d.vehicle) await addVehicle(ctx, c.id, d.vehicle);
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          process.stderr.write(`${label}: ${i + 1}/${count} cases\n`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await sealAll(db.kysely);
  // As autovacuum would after a bulk load: the planner needs statistics to pick the selective
  // index. Only the owner may, so the application's role is left for the moment (one connection
  // on PGlite; on PostgreSQL the caller passes an owner's connection).
  if (analyse) await analyse();
  else {
    await sql`RESET ROLE`.execute(db.kysely);
    await sql`VACUUM ANALYZE`.execute(db.kysely);
    await sql`SET ROLE ariadne_app`.execute(db.kysely);
  }

  // Queries: a victim's name misspelt, the same name as recorded in another script, a phone in a national spelling, a reference.
  const latencies: Record<string, number[]> = { name: [], phone: [], reference: [], plate: [], filtered: [] };
  let found = 0;
  for (let k = 0; k < SEARCHES; k++) {
    const i = Math.floor((k * 7919) % count);
    const d = inputs[i] ?? demoCase(9, i);
    const victim = d.persons[0];
    const latin = victim?.names.at(-1);
    const name = `${latin?.given ?? ""} ${(latin?.family ?? "").replace(/[aeiou](?=[^aeiou]*$)/, "")}`; // one vowel dropped
    const plate = (inputs.find((x, j) => j >= i && x.vehicle)?.vehicle?.plate ?? "ABC123").replace(
      /(\d)/,
      "-$1",
    );
    const queries: [string, string, { type?: "ransom" | "express" }][] = [
      ["name", name, {}],
      ["phone", victim?.phones[0]?.number.replace("+57 ", "+57") ?? "", {}],
      ["reference", `COL-${new Date(d.create.reportedAt ?? "").getUTCFullYear()}-`, {}],
      ["plate", plate.toLowerCase(), {}],
      ["filtered", name, { type: d.create.elements.context === "express_atm" ? "express" : "ransom" }],
    ];
    for (const [kind, q, filters] of queries) {
      const t = performance.now();
      const hits = await searchCases(ctx, { q, limit: 20, ...filters });
      latencies[kind]?.push(performance.now() - t);
      if (kind === "name" && hits.length > 0) found++;
    }
  }
  await db.close();
  return { label, count, seconds, rate: count / seconds, latencies, nameRecall: found / SEARCHES };
}

const results = [];
if (PGLITE_CASES > 0)
  results.push(await run("PGlite", { kind: "pglite", dir: "memory://" }, PGLITE_CASES, 1));
if (PG_CASES > 0) {
  const name = `ariadne_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    results.push(
      await run(
        "PostgreSQL",
        { kind: "postgres", url: url.toString(), poolSize: 16 },
        PG_CASES,
        8,
        async () => {
          const owner = new pg.Client({ connectionString: url.toString() });
          await owner.connect();
          await owner.query("VACUUM ANALYZE");
          await owner.end();
        },
      ),
    );
  } finally {
    // BENCH_KEEP_DB=1 keeps the database, to study query plans afterwards.
    if (process.env.BENCH_KEEP_DB) process.stderr.write(`kept database ${name}\n`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

process.stdout.write(
  "\nAriadne cases benchmark (each case: classified and audited, with 3 persons and, most, a vehicle)\n",
);
for (const r of results) {
  process.stdout.write(
    `${r.label.padEnd(11)} ${r.count} cases, ${r.count * 3} persons created in ${r.seconds.toFixed(1)} s: ${r.rate.toFixed(0)} cases/s\n`,
  );
  for (const [kind, xs] of Object.entries(r.latencies)) {
    process.stdout.write(
      `${"".padEnd(11)} search by ${kind.padEnd(9)} p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms\n`,
    );
  }
  process.stdout.write(
    `${"".padEnd(11)} misspelt-name queries that found a case: ${(r.nameRecall * 100).toFixed(1)}%\n`,
  );
}
