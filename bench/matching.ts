/**
 * `npm run bench:matching`: quality and speed of the matching engine (issue 5).
 *
 * 1. Precision, recall and F1 on FEBRL (../shared/data/febrl, or FEBRL_DIR): in each data set the
 *    `rec-N-org` records form the left list and the `rec-N-dup-K` records the right list; a pair
 *    is true when N agrees. Clear mode, and private mode as two peers (fixed X25519 keys, so runs
 *    compare) plain and hardened, at the chosen thresholds and at the best one on a grid.
 * 2. Encodings per second (FEBRL records).
 * 3. Dice comparisons per second on one core, 1024-bit filters: WebAssembly and plain JS kernels.
 * 4. One person against 1 and 10 million encodings (synthetic: random filters at FEBRL's fill,
 *    blocking keys with realistic block sizes): through the block index, and by full scan.
 * 5. Exact-selector lookups in a pseudonym index of 1 million: p50 and p99.
 *
 * BENCH_MATCHING_SIZES=1000000 (comma-separated) reduces step 4; the default is 1 and 10 million
 * (about 3 GB of memory for 10 million).
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BlockIndex } from "../src/engines/matching/blocking.ts";
import { ClkEncoder, type ClkSchema } from "../src/engines/matching/clk.ts";
import { type PersonRow, parseCsv, personsFromTable } from "../src/engines/matching/csv.ts";
import { EncodingStore, popcount } from "../src/engines/matching/dice.ts";
import { PseudonymIndex, Pseudonymiser, pairwiseMatchingSecret } from "../src/engines/matching/keys.ts";
import {
  type Assignment,
  assign,
  DEFAULT_THRESHOLD,
  encodeAll,
  linkClear,
  linkEncodings,
  type Pair,
} from "../src/engines/matching/link.ts";
import { normalisePhone } from "../src/engines/matching/normalise.ts";

const FEBRL = process.env.FEBRL_DIR ?? resolve(import.meta.dirname, "../../shared/data/febrl");
const SIZES = (process.env.BENCH_MATCHING_SIZES ?? "1000000,10000000").split(",").map(Number);

const out = (s = "") => process.stdout.write(`${s}\n`);
const fmt = (n: number, d = 4) => n.toFixed(d);
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;

/** A fixed X25519 key from a seed byte (PKCS#8 DER prefix + 32 bytes), so runs are comparable. */
function fixedKey(seed: number) {
  const raw = Buffer.alloc(32, seed);
  const der = Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), raw]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function secrets(seed: number) {
  const a = fixedKey(seed);
  const b = fixedKey(seed + 100);
  return {
    left: pairwiseMatchingSecret(a.privateKey, b.publicKey, { ownNodeId: "COL", peerNodeId: "MEX" }),
    right: pairwiseMatchingSecret(b.privateKey, a.publicKey, { ownNodeId: "MEX", peerNodeId: "COL" }),
  };
}

interface DataSet {
  name: string;
  left: PersonRow[];
  right: PersonRow[];
  truth: number;
}

/** FEBRL's three data sets from FEBRL_DIR (or ../shared/data/febrl); dataset 1 ships in reference-data/ too. */
function loadFebrl(): DataSet[] {
  const shipped = resolve(import.meta.dirname, "../reference-data/febrl");
  const file = (name: string) =>
    [resolve(FEBRL, `${name}.csv`), resolve(shipped, `${name}.csv`)].find((f) => existsSync(f));
  const found = ["dataset1", "dataset2", "dataset3"].flatMap((name) => {
    const f = file(name);
    return f ? [{ name, f }] : [];
  });
  return found.map(({ name, f }) => {
    const rows = personsFromTable(parseCsv(readFileSync(f, "utf8")), "rec_id");
    const left = rows.filter((r) => r.id.endsWith("-org"));
    const right = rows.filter((r) => !r.id.endsWith("-org"));
    const orgs = new Set(left.map((r) => entity(r.id)));
    return { name, left, right, truth: right.filter((r) => orgs.has(entity(r.id))).length };
  });
}

const entity = (id: string) => id.split("-")[1] ?? id;

function quality(ds: DataSet, pairs: Pair[], threshold: number, how: Assignment) {
  const chosen = assign(
    pairs.filter((p) => p.score >= threshold),
    how,
  );
  const tp = chosen.filter(
    (p) => entity(ds.left[p.left]?.id ?? "") === entity(ds.right[p.right]?.id ?? ""),
  ).length;
  const precision = chosen.length ? tp / chosen.length : 1;
  const recall = tp / ds.truth;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

function report(
  label: string,
  sets: DataSet[],
  pairsOf: (ds: DataSet) => Pair[],
  threshold: number,
  grid: number[],
) {
  const all = sets.map((ds) => ({ ds, pairs: pairsOf(ds) }));
  for (const how of ["all", "best"] as const) {
    const at = (t: number) => all.map(({ ds, pairs }) => quality(ds, pairs, t, how));
    const mean = (t: number) => {
      const q = at(t);
      return q.reduce((s, x) => s + x.f1, 0) / q.length;
    };
    const best = grid.reduce((b, t) => (mean(t) > mean(b) ? t : b), grid[0] ?? threshold);
    for (const [name, t] of [
      ["chosen", threshold],
      ["best", best],
    ] as const) {
      if (name === "best" && t === threshold) continue;
      const cells = at(t).map(
        (q, i) => `${all[i]?.ds.name} P ${fmt(q.precision)} R ${fmt(q.recall)} F1 ${fmt(q.f1)}`,
      );
      out(`  ${label.padEnd(22)} ${how.padEnd(4)} ${name.padEnd(6)} T=${t.toFixed(2)}  ${cells.join(" | ")}`);
    }
  }
}

function febrlQuality(sets: DataSet[]) {
  out("## FEBRL: precision, recall, F1 (left = rec-N-org, right = rec-N-dup-K)");
  out("   all: every pair ≥ T; best: each right record with its best left record ≥ T");
  const gridP = Array.from({ length: 19 }, (_, i) => 0.5 + i * 0.025);
  const gridC = Array.from({ length: 9 }, (_, i) => 0.4 + i * 0.025);
  let t = performance.now();
  report(
    "clear",
    sets,
    (ds) =>
      linkClear(
        ds.left.map((r) => r.person),
        ds.right.map((r) => r.person),
        { threshold: Math.min(...gridC) },
      ),
    DEFAULT_THRESHOLD.clear,
    gridC,
  );
  out(`  (clear mode: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const s = secrets(7);
  const variants: [string, Partial<ClkSchema>][] = [
    ["private", {}],
    ["private+balance", { hardening: { balance: true, xorFold: false } }],
    ["private+xorFold", { hardening: { balance: false, xorFold: true } }],
    ["private+balance+fold", { hardening: { balance: true, xorFold: true } }],
  ];
  for (const [label, schema] of variants) {
    t = performance.now();
    const a = new ClkEncoder(s.left, schema);
    const b = new ClkEncoder(s.right, schema);
    const grid = gridP;
    report(
      label,
      sets,
      (ds) =>
        linkEncodings(
          encodeAll(
            a,
            ds.left.map((r) => r.person),
          ),
          encodeAll(
            b,
            ds.right.map((r) => r.person),
          ),
          a.bits,
          { threshold: Math.min(...grid) },
        ),
      DEFAULT_THRESHOLD.private,
      grid,
    );
    out(`  (${label}: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  // Other key pairs: the result does not hang on one key.
  for (const seed of [11, 23]) {
    const k = secrets(seed);
    const a = new ClkEncoder(k.left);
    const b = new ClkEncoder(k.right);
    report(
      `private (keys #${seed})`,
      sets,
      (ds) =>
        linkEncodings(
          encodeAll(
            a,
            ds.left.map((r) => r.person),
          ),
          encodeAll(
            b,
            ds.right.map((r) => r.person),
          ),
          a.bits,
          { threshold: DEFAULT_THRESHOLD.private },
        ),
      DEFAULT_THRESHOLD.private,
      [DEFAULT_THRESHOLD.private],
    );
  }
  // Blocking: the share of true pairs that share a block, and candidates per query.
  const a = new ClkEncoder(s.left);
  const b = new ClkEncoder(s.right);
  for (const ds of sets) {
    const l = encodeAll(
      a,
      ds.left.map((r) => r.person),
    );
    const r = encodeAll(
      b,
      ds.right.map((r) => r.person),
    );
    const index = new BlockIndex(r.length, (i) => r[i]?.blocks ?? new Uint32Array());
    let candidates = 0;
    let found = 0;
    l.forEach((e, i) => {
      const c = index.candidates(e.blocks);
      candidates += c.length;
      for (const j of c) if (entity(ds.left[i]?.id ?? "") === entity(ds.right[j]?.id ?? "")) found++;
    });
    out(
      `  blocking ${ds.name}: pair completeness ${fmt(found / ds.truth)}, ${(candidates / l.length).toFixed(1)} candidates per query of ${r.length} (reduction ${fmt(1 - candidates / (l.length * r.length))})`,
    );
  }
}

function encodingSpeed(sets: DataSet[]) {
  out("\n## Encodings per second (one core)");
  const people = sets.flatMap((ds) => [...ds.left, ...ds.right].map((r) => r.person));
  const s = secrets(7);
  let enc = new ClkEncoder(s.left);
  let t = performance.now();
  encodeAll(enc, people);
  const cold = people.length / ((performance.now() - t) / 1000);
  t = performance.now();
  let n = 0;
  while (performance.now() - t < 2000) {
    encodeAll(enc, people);
    n += people.length;
  }
  const warm = n / ((performance.now() - t) / 1000);
  enc = new ClkEncoder(s.left, { hardening: { balance: true, xorFold: false } });
  encodeAll(enc, people);
  t = performance.now();
  encodeAll(enc, people);
  const balanced = people.length / ((performance.now() - t) / 1000);
  out(
    `  ${Math.round(cold).toLocaleString("en")}/s with a cold position cache (first ${people.length.toLocaleString("en")} records), ${Math.round(warm).toLocaleString("en")}/s warm, ${Math.round(balanced).toLocaleString("en")}/s balanced`,
  );
  const fill =
    encodeAll(new ClkEncoder(s.left), people.slice(0, 2000)).reduce((x, e) => x + popcount(e.filter), 0) /
    2000 /
    1024;
  out(`  mean fill of a 1024-bit FEBRL encoding: ${fmt(fill, 3)}`);
  return fill;
}

/** xorshift32 */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Random words with about `fill` of their bits set (AND / OR of random words). */
function randomWord(next: () => number, fill: number): number {
  if (fill < 0.375) return (next() & next()) >>> 0; // 0.25
  if (fill < 0.625) return next(); // 0.5
  return (next() | next()) >>> 0; // 0.75
}

function fillStore(n: number, fill: number, seed = 1): EncodingStore {
  const store = new EncodingStore(1024, n);
  const slots = store.reserveSlots(n);
  const next = rng(seed);
  for (let i = 0; i < slots.length; i++) slots[i] = randomWord(next, fill);
  store.commit(n);
  return store;
}

function diceSpeed(fill: number) {
  out("\n## Dice comparisons per second, one core, 1024-bit filters");
  const n = 1_000_000;
  const store = fillStore(n, fill);
  const q = store.filter(17).slice();
  for (const [name, run] of [
    ["WebAssembly (i64.popcnt, unrolled)", () => store.scan(q, 2)],
    ["JavaScript (32-bit SWAR popcount)", () => store.scanJs(q, 2)],
  ] as const) {
    run();
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const best = times[0] ?? 1;
    const median = times[2] ?? 1;
    out(
      `  ${name.padEnd(36)} ${millions(n / (best / 1000))}/s best, ${millions(n / (median / 1000))}/s median`,
    );
  }
}

const mix = (...xs: number[]) => {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ x, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
};

/**
 * Synthetic persons' blocking keys with the structure of the real ones: a date of birth (80
 * years), two or three name tokens (surnames Zipf over 50,000 skeletons, given names Zipf over
 * 5,000), keys dob, year+token, token pairs, as person.ts makes them.
 */
function syntheticKeys(i: number, surname: () => number, given: () => number): Uint32Array {
  const next = rng(mix(i, 77));
  const day = next() % 29200;
  const year = Math.floor(day / 365);
  const tokens = [given() + 1e6, surname()];
  if (next() % 2) tokens.push(surname());
  const keys = [mix(1, day)];
  for (const t of tokens) keys.push(mix(2, year, t));
  for (let a = 0; a < tokens.length; a++)
    for (let b = a + 1; b < tokens.length; b++)
      keys.push(
        mix(
          3,
          Math.min(tokens[a] as number, tokens[b] as number),
          Math.max(tokens[a] as number, tokens[b] as number),
        ),
      );
  return Uint32Array.from(keys);
}

function latency(fill: number) {
  out("\n## One person against N encodings (synthetic), threshold 0.7");
  for (const n of SIZES) {
    const t0 = performance.now();
    const store = fillStore(n, fill, 5);
    // The key generators are seeded per record so that the index can ask for a record's keys twice.
    const keysOf = (i: number) => {
      const next = rng(mix(i, 99));
      return syntheticKeys(i, zipf50k(next), zipf5k(next));
    };
    const index = new BlockIndex(n, keysOf);
    out(
      `  N = ${n.toLocaleString("en")}: built in ${((performance.now() - t0) / 1000).toFixed(1)} s; filters ${(store.memoryBytes / 2 ** 20).toFixed(0)} MiB, index ${(index.memoryBytes / 2 ** 20).toFixed(0)} MiB (${index.entries.toLocaleString("en")} keys)`,
    );
    const viaIndex: number[] = [];
    const sizes: number[] = [];
    for (let r = 0; r < 200; r++) {
      const i = (mix(r, 3) % n) >>> 0;
      const q = store.filter(i).slice();
      const keys = keysOf(i);
      const t = performance.now();
      const c = index.candidates(keys);
      const hits = store.scanCandidates(q, 0.7, c);
      viaIndex.push(performance.now() - t);
      sizes.push(c.length);
      if (!hits.some((h) => h.index === i)) throw new Error("the index lost the query's own record");
    }
    const pct = (xs: number[], p: number) =>
      [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;
    out(
      `    block index: p50 ${pct(viaIndex, 0.5).toFixed(3)} ms, p99 ${pct(viaIndex, 0.99).toFixed(3)} ms; candidates p50 ${pct(sizes, 0.5)}, p99 ${pct(sizes, 0.99)}`,
    );
    const scans: number[] = [];
    for (let r = 0; r < 3; r++) {
      const q = store.filter(r).slice();
      const t = performance.now();
      store.scan(q, 0.7);
      scans.push(performance.now() - t);
    }
    out(`    full scan (WebAssembly): ${pct(scans, 0.5).toFixed(0)} ms median of 3`);
  }
}

// Name generators, Zipf with exponent 1 (cumulative table + binary search), fed by a per-record
// generator so that the index's two passes over a record's keys agree.
let zipfTable50k: ((next: () => number) => () => number) | undefined;
function zipf50k(next: () => number) {
  zipfTable50k ??= zipfFactory(50_000);
  return zipfTable50k(next);
}
let zipfTable5k: ((next: () => number) => () => number) | undefined;
function zipf5k(next: () => number) {
  zipfTable5k ??= zipfFactory(5_000);
  return zipfTable5k(next);
}
function zipfFactory(n: number) {
  const cdf = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += 1 / (i + 1);
    cdf[i] = s;
  }
  return (next: () => number) => () => {
    const x = (next() / 2 ** 32) * s;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function lookups() {
  out("\n## Exact-selector lookups (pseudonym index of 1,000,000 phones)");
  const s = secrets(7);
  const p = new Pseudonymiser(s.left);
  const index = new PseudonymIndex<number>();
  const n = 1_000_000;
  const phone = (i: number) => `+5730${String(10_000_000 + i).slice(1)}`;
  const t = performance.now();
  for (let i = 0; i < n; i++) index.add(p.pseudonym("phone", phone(i)), i);
  out(`  built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const queries = Array.from({ length: 20_000 }, (_, i) =>
    p.pseudonym("phone", phone(i % 2 ? (i * 7919) % n : n + i)),
  );
  const lookupOnly: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t1 = process.hrtime.bigint();
    const r = index.lookup(q);
    lookupOnly.push(Number(process.hrtime.bigint() - t1) / 1e6);
    if (r.length) hits++;
  }
  const whole: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const raw = `+57 30${String(10_000_000 + ((i * 7919) % n)).slice(1, 2)} ${String(10_000_000 + ((i * 7919) % n)).slice(2)}`;
    const t1 = process.hrtime.bigint();
    const norm = normalisePhone(raw);
    if (norm.ok) index.lookup(p.pseudonym("phone", norm.value));
    whole.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)] ?? 0;
  out(
    `  lookup of a pseudonym: p50 ${(pct(lookupOnly, 0.5) * 1000).toFixed(2)} µs, p99 ${(pct(lookupOnly, 0.99) * 1000).toFixed(2)} µs (${hits} hits of ${queries.length}, half were absent)`,
  );
  out(
    `  normalise + HMAC + lookup: p50 ${(pct(whole, 0.5) * 1000).toFixed(2)} µs, p99 ${(pct(whole, 0.99) * 1000).toFixed(2)} µs`,
  );
}

out(`# Matching engine benchmark (node ${process.version}, FEBRL from ${FEBRL})\n`);
const sets = loadFebrl();
febrlQuality(sets);
const fill = encodingSpeed(sets);
diceSpeed(fill);
lookups();
latency(fill);
