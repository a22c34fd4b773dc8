// Compile the `ariadne` program (src/cli/main.ts and everything it imports) into dist/node, so that
// bin/ariadne.js runs plain JavaScript. Dependencies stay in node_modules; every dynamic import()
// becomes a chunk loaded only by the command that needs it.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only when a source changed since the last build (a fast no-op otherwise)
//
// Runs on `npm install`/`npm ci` (prepare), before `npm start` (prestart) and before the integration
// tests (vitest's global setup, vitest.config.ts), which run the compiled program.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist/node");
const STAMP = join(OUT, "build.json");
/** Written when a build fails, removed by the next that succeeds: bin/ariadne.js refuses to run a stale program. */
const FAILED = join(OUT, "BUILD-FAILED");
const ENTRY = "src/cli/main.ts";
/** Besides the inputs esbuild reports: what changes the output without being imported. */
const ALSO = ["scripts/build.mjs", "package.json", "tsconfig.json"];
/** Chunks of earlier builds are removed only once this old: a command started before a rebuild may still load them. */
const KEEP_OLD_CHUNKS_MS = 60 * 60 * 1000;

/** Each file's modification time, or 0 for one changed while the build ran (so the next check rebuilds). */
function mtimes(files, startedAt) {
  return Object.fromEntries(
    files.map((file) => {
      const mtime = statSync(join(ROOT, file)).mtimeMs;
      return [file, mtime > startedAt ? 0 : mtime];
    }),
  );
}

/** Why the build must be redone, or null when it is up to date: a source or build file that changed or went. */
export function staleReason() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return existsSync(STAMP) ? "unreadable build stamp" : "no build yet";
  }
  if (existsSync(FAILED)) return "the last build failed";
  if (!existsSync(join(OUT, stamp.entry ?? ""))) return "build output missing";
  for (const [file, mtime] of Object.entries(stamp.inputs ?? {})) {
    let now;
    try {
      now = statSync(join(ROOT, file)).mtimeMs;
    } catch {
      return `${file} is gone`;
    }
    if (now !== mtime) return `${file} changed`;
  }
  return null;
}

/** Write a file whole or not at all: a command starting meanwhile never reads half a chunk. */
function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** The esbuild options: everything src/cli/main.ts imports, one chunk per dynamic import(). */
const OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: { main: ENTRY },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  splitting: true,
  packages: "external",
  outdir: OUT,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: "warning",
};

export async function build({ quiet = false } = {}) {
  const { build: esbuild } = await import("esbuild");
  const startedAt = Date.now();
  let result;
  try {
    result = await esbuild(OPTIONS);
  } catch (e) {
    const errors = (e?.errors ?? [{ text: String(e?.message ?? e) }]).map((m) =>
      m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text,
    );
    writeAtomic(FAILED, `${errors.join("\n")}\n`);
    throw e;
  }
  rmSync(FAILED, { force: true });
  // Chunks and maps first, the entry last, the stamp after everything.
  const entry = join(OUT, "main.js");
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  for (const f of files) writeAtomic(f.path, f.contents);
  const written = new Set(files.map((f) => f.path));
  const chunks = join(OUT, "chunks");
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    const path = join(chunks, name);
    if (!written.has(path) && Date.now() - statSync(path).mtimeMs > KEEP_OLD_CHUNKS_MS)
      rmSync(path, { force: true });
  }
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/"));
  const inputs = mtimes([...sources, ...ALSO], startedAt);
  writeAtomic(STAMP, `${JSON.stringify({ entry: "main.js", startedAt, inputs }, null, 2)}\n`);
  if (!quiet) {
    const bytes = files.filter((f) => f.path.endsWith(".js")).reduce((n, f) => n + f.contents.length, 0);
    process.stdout.write(
      `built ${relative(ROOT, OUT)}: ${sources.length} modules → ${files.filter((f) => f.path.endsWith(".js")).length} files, ${(bytes / 1024).toFixed(0)} KiB, in ${Date.now() - startedAt} ms\n`,
    );
  }
}

/** Build when stale; returns whether it built. */
export async function buildIfStale({ quiet = false } = {}) {
  const why = staleReason();
  if (!why) return false;
  if (!quiet) process.stdout.write(`rebuilding the ariadne program (${why})\n`);
  await build({ quiet });
  return true;
}

/** vitest's global setup (vitest.config.ts): the integration tests run the compiled program. */
export async function setup() {
  try {
    await buildIfStale();
  } catch {
    // Thrown from here, vitest would only say "No test files found". The tests that do not run the
    // program still run; those that do fail on bin/ariadne.js's refusal (dist/node/BUILD-FAILED).
    process.stderr.write(
      "\nthe ariadne program does not build (errors above): the tests that run it will fail\n\n",
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes("--if-stale")) await buildIfStale();
    else await build();
  } catch (e) {
    // esbuild has printed the errors already.
    if (!e?.errors) process.stderr.write(`${e?.stack ?? e}\n`);
    process.exitCode = 1;
  }
}
