/**
 * `npm run bench:startup`: how long the `ariadne` program takes to start and finish small
 * commands, and how much memory it peaks at, against a bare `node -e 0` on the same machine.
 * Each command runs BENCH_RUNS times (default 15) after one unmeasured warm-up; the figures are
 * the median and 90th percentile of the wall time and the median peak RSS (from /usr/bin/time
 * when it is installed; otherwise wall time only). `--tsx` adds the same commands run from the
 * TypeScript sources through tsx, as bin/ariadne.js did before the compiled program.
 *
 * A program that prints figures, not a test: it never fails on a slow machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/ariadne.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TIME = "/usr/bin/time";
const withRss = existsSync(TIME);
const INCIDENT = JSON.stringify({
  victimDetained: true,
  victimMoved: true,
  againstWill: true,
  purpose: "ransom",
  victimAgeYears: 34,
});

interface Case {
  label: string;
  args: string[];
  stdin?: string;
  /** Seconds the median should stay under. */
  target?: number;
}

const cases: Case[] = [
  { label: "node -e 0", args: ["-e", "0"] },
  { label: "ariadne --help", args: [BIN, "--help"], target: 0.3 },
  { label: "ariadne classify --help", args: [BIN, "classify", "--help"], target: 0.3 },
  { label: "ariadne classify < incident.json", args: [BIN, "classify"], stdin: INCIDENT, target: 0.5 },
];
if (process.argv.includes("--tsx")) {
  const tsx = ["--import", "tsx", join(ROOT, "src/cli/main.ts")];
  cases.push(
    { label: "tsx: ariadne --help", args: [...tsx, "--help"] },
    { label: "tsx: ariadne classify < incident.json", args: [...tsx, "classify"], stdin: INCIDENT },
  );
}

const scratch = mkdtempSync(join(tmpdir(), "ariadne-bench-startup-"));
const rssFile = join(scratch, "rss");

/** One run: wall seconds, and the peak resident set in MiB when /usr/bin/time can tell. */
function once(c: Case): { seconds: number; rssMiB: number | null } {
  const [cmd, args] = withRss
    ? [TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...c.args]]
    : [process.execPath, c.args];
  const started = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    input: c.stdin ?? "",
    env: { ...process.env, LOG_LEVEL: "silent" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) {
    throw new Error(`${c.label} exited with ${r.status ?? r.signal}: ${r.stderr.toString().slice(0, 500)}`);
  }
  const kib = withRss ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) : Number.NaN;
  return { seconds, rssMiB: Number.isFinite(kib) ? kib / 1024 : null };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

if (!existsSync(join(ROOT, "dist/node/main.js"))) {
  process.stderr.write("dist/node is missing: run `npm run build:node` first\n");
  process.exit(1);
}

process.stdout.write(
  `startup of the ariadne program: ${RUNS} runs each after a warm-up; node ${process.version}, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}${withRss ? "" : "; peak RSS not measured (no /usr/bin/time)"}\n\n`,
);
const rows: { c: Case; median: number; p90: number; min: number; rss: number | null }[] = [];
try {
  for (const c of cases) {
    once(c);
    const runs = Array.from({ length: RUNS }, () => once(c));
    const times = runs.map((r) => r.seconds).sort((a, b) => a - b);
    const rss = runs.map((r) => r.rssMiB).filter((m): m is number => m !== null);
    rows.push({
      c,
      median: quantile(times, 0.5),
      p90: quantile(times, 0.9),
      min: times[0] ?? Number.NaN,
      rss: rss.length
        ? quantile(
            [...rss].sort((a, b) => a - b),
            0.5,
          )
        : null,
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const base = rows[0]?.median ?? Number.NaN;
const width = Math.max(...rows.map((r) => r.c.label.length));
const head = `${"command".padEnd(width)}  median s   p90 s   min s  × node -e 0${withRss ? "  peak RSS MiB" : ""}  target`;
process.stdout.write(`${head}\n${"-".repeat(head.length)}\n`);
for (const r of rows) {
  const target =
    r.c.target === undefined ? "" : `≤ ${r.c.target} s ${r.median <= r.c.target ? "met" : "MISSED"}`;
  process.stdout.write(
    `${r.c.label.padEnd(width)}  ${r.median.toFixed(3).padStart(8)}  ${r.p90.toFixed(3).padStart(6)}  ${r.min
      .toFixed(3)
      .padStart(6)}  ${(r.median / base).toFixed(1).padStart(11)}${
      withRss ? (r.rss === null ? "" : r.rss.toFixed(0)).padStart(14) : ""
    }  ${target}\n`,
  );
}
