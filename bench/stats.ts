/**
 * `npm run bench:stats`: the statistics engine on PostgreSQL (TEST_DATABASE_URL,
 * else postgres://postgres@127.0.0.1:5432/test; a scratch database is created
 * and dropped afterwards).
 *  1. the national return of one year computed in SQL at 100,000 and then
 *     1,000,000 synthetic cases (BENCH_STATS_CASES, comma-separated), all
 *     reported in that year; cases inserted in bulk with SQL (generate_series),
 *     then VACUUM ANALYZE (what autovacuum does after a bulk load: statistics and
 *     hint bits); the return is computed twice (first and second run);
 *  2. importing the whole UNODC CTS file;
 *  3. the global report 2003–2022 as JSON, then as PDF.
 * Targets (issue 6): the return at 1,000,000 cases under 10 s; the PDF under 5 s.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { computeReturnSql } from "../src/engines/statistics/compute.ts";
import { importFile } from "../src/engines/statistics/import/index.ts";
import { reportPdf } from "../src/engines/statistics/pdf.ts";
import { globalReport } from "../src/engines/statistics/report.ts";
import { insertSyntheticCases } from "../src/engines/statistics/synthetic.ts";
import { openDatabase } from "../src/platform/db/index.ts";

const BASE = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SIZES = (process.env.BENCH_STATS_CASES ?? "100000,1000000").split(",").map(Number);
const UNODC = join(import.meta.dirname, "../reference-data/unodc_cts_kidnapping.csv");
const YEAR = 2025;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const results: { step: string; seconds: number; detail?: string }[] = [];
function record(step: string, t: number, detail?: string) {
  results.push({ step, seconds: t, ...(detail ? { detail } : {}) });
  process.stderr.write(`${step}: ${t.toFixed(2)} s${detail ? ` (${detail})` : ""}\n`);
}

async function admin(url: string, statement: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

const name = `ariadne_bench_stats_${randomBytes(4).toString("hex")}`;
const url = new URL(BASE);
url.pathname = `/${name}`;
await admin(BASE, `CREATE DATABASE ${name}`);
try {
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 4 });
  try {
    let have = 0;
    for (const size of SIZES) {
      let t = performance.now();
      await insertSyntheticCases(db, {
        count: size - have,
        country: "COL",
        fromYear: YEAR,
        toYear: YEAR,
        prefix: `SYN${size}`,
        batch: 50_000,
        onProgress: (done) => process.stderr.write(`\r  inserting: ${have + done}/${size} cases`),
      });
      process.stderr.write("\n");
      record(
        `insert synthetic cases up to ${size.toLocaleString("en-US")}`,
        seconds(t),
        `${size - have} cases`,
      );
      have = size;
      t = performance.now();
      await admin(url.toString(), "VACUUM ANALYZE");
      record("vacuum analyze", seconds(t));
      for (const run of ["first run", "second run"]) {
        t = performance.now();
        const r = await computeReturnSql(db, { year: YEAR, country: "COL" });
        const incidents = r.tables.find((x) => x.id === "incidents_by_iccs")?.total ?? 0;
        const victims = r.tables.find((x) => x.id === "victims_by_iccs")?.total ?? 0;
        record(
          `return ${YEAR} at ${size.toLocaleString("en-US")} cases (${run})`,
          seconds(t),
          `${incidents} incidents, ${victims} victims`,
        );
      }
    }
    let t = performance.now();
    const imported = await importFile(db, "unodc-cts", UNODC);
    record("import the UNODC CTS file", seconds(t), `${imported.rows} rows, ${imported.inserted} new`);
    t = performance.now();
    const report = await globalReport(db, { from: 2003, to: 2022 });
    const json = JSON.stringify(report);
    record("global report 2003–2022 as JSON", seconds(t), `${(json.length / 1024).toFixed(0)} KiB`);
    t = performance.now();
    const pdf = await reportPdf(report);
    record("global report 2003–2022 as PDF", seconds(t), `${(pdf.length / 1024).toFixed(0)} KiB`);
  } finally {
    await db.close();
  }
} finally {
  await admin(BASE, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
process.stdout.write(`${JSON.stringify({ database: "postgresql", results }, null, 2)}\n`);
