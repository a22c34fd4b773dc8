/**
 * `npm run bench:api`: the node under autocannon, on PGlite and on PostgreSQL.
 * Measures an authenticated read of a small record (GET /api/auth/session) and an
 * audited write (PATCH /api/me/preferences: an UPDATE plus a hash-chained audit
 * entry in one transaction): requests/s at saturation, then p50/p99 latency at
 * half that rate, and the node's peak RSS. The node runs in its own process.
 *
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test) names the server;
 * a fresh database is created on it and dropped afterwards. BENCH_SECONDS sets
 * the duration of each run (default 10).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";
import { totpNow } from "../src/platform/auth/crypto.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Started {
  child: ChildProcess;
  info: { url: string; users: { username: string; secret: string }[]; password: string };
  lines: AsyncIterator<string>;
}

async function startServer(db: string): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/server.ts"], {
    env: { ...process.env, BENCH_DB: db },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error("bench server exited before it was ready");
  return { child, info: JSON.parse(first.value), lines };
}

async function stopServer(s: Started): Promise<number> {
  s.child.kill("SIGTERM");
  const line = await s.lines.next();
  return line.done ? Number.NaN : JSON.parse(line.value).maxRssBytes;
}

async function signIn(info: Started["info"], user: { username: string; secret: string }) {
  const login = await fetch(`${info.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: user.username, password: info.password }),
  });
  const cookie1 = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const totp = await fetch(`${info.url}/api/auth/totp`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: cookie1, "x-csrf-token": csrfToken },
    body: JSON.stringify({ code: totpNow(user.secret) }),
  });
  if (!totp.ok) throw new Error(`sign-in failed: ${await totp.text()}`);
  const cookie = (totp.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken: csrf } = (await totp.json()) as { csrfToken: string };
  return { cookie, csrf };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function run(opts: autocannon.Options): Promise<Figures> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
      });
    });
  });
}

async function measure(
  url: string,
  base: Omit<autocannon.Options, "url">,
): Promise<{ max: Figures; half: Figures }> {
  await run({ ...base, url, duration: 2, connections: 20 }); // warm-up
  const max = await run({ ...base, url, duration: SECONDS, connections: 50 });
  const half = await run({
    ...base,
    url,
    duration: SECONDS,
    connections: 20,
    overallRate: Math.max(1, Math.floor(max.rps / 2)),
  });
  return { max, half };
}

async function benchOne(label: string, db: string) {
  const s = await startServer(db);
  try {
    // Many users, one after another across requests, as in a real unit: audited writes of
    // different users do not queue behind one row lock.
    const sessions: { cookie: string; csrf: string }[] = [];
    for (const u of s.info.users) sessions.push(await signIn(s.info, u));
    let n = 0;
    const read = await measure(`${s.info.url}/api/auth/session`, {
      requests: [
        {
          setupRequest: (r) => {
            const session = sessions[n++ % sessions.length];
            return { ...r, headers: { ...r.headers, cookie: session?.cookie ?? "" } };
          },
        },
      ],
    });
    const langs = ["en", "fr", "es", "ar", "zh", "ru"];
    const write = await measure(`${s.info.url}/api/me/preferences`, {
      method: "PATCH",
      requests: [
        {
          setupRequest: (r) => {
            const i = n++;
            const session = sessions[i % sessions.length];
            return {
              ...r,
              headers: {
                ...r.headers,
                cookie: session?.cookie ?? "",
                "x-csrf-token": session?.csrf ?? "",
                "content-type": "application/json",
              },
              body: JSON.stringify({ language: langs[i % langs.length] }),
            };
          },
        },
      ],
    });
    const rss = await stopServer(s);
    return { label, read, write, rss };
  } catch (e) {
    s.child.kill("SIGKILL");
    throw e;
  }
}

function row(label: string, kind: string, m: { max: Figures; half: Figures }) {
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(11)} ${kind.padEnd(15)} ${Math.round(m.max.rps).toString().padStart(7)}  ${f(m.max.p50)} ${f(m.max.p99)}  ${Math.round(m.half.rps).toString().padStart(7)}  ${f(m.half.p50)} ${f(m.half.p99)}  ${m.max.errors + m.half.errors}`;
}

const results = [];
results.push(await benchOne("PGlite", "memory://"));
const name = `ariadne_bench_${randomBytes(4).toString("hex")}`;
let pgAvailable = true;
const admin = new pg.Client({ connectionString: PG_URL });
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
} catch (e) {
  pgAvailable = false;
  process.stderr.write(`PostgreSQL not reachable at ${PG_URL}: ${(e as Error).message}; skipping\n`);
}
if (pgAvailable) {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    results.push(await benchOne("PostgreSQL", url.toString()));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

process.stdout.write(
  `\nAriadne API benchmark (${SECONDS} s per run, node in its own process, autocannon on the same 2-core machine)\n` +
    "database    request          max req/s   p50 ms  p99 ms   half req/s p50 ms  p99 ms  errors\n",
);
for (const r of results) {
  process.stdout.write(`${row(r.label, "authn read", r.read)}\n${row(r.label, "audited write", r.write)}\n`);
  process.stdout.write(
    `${r.label.padEnd(11)} peak RSS of the node: ${(r.rss / 1024 / 1024).toFixed(0)} MiB\n`,
  );
}
