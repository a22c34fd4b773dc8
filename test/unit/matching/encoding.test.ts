import { describe, expect, it } from "vitest";
import { BlockIndex } from "../../../src/engines/matching/blocking.ts";
import { ClkEncoder, encodedBits, xorFold } from "../../../src/engines/matching/clk.ts";
import { dice, EncodingStore, popcount, popcount32 } from "../../../src/engines/matching/dice.ts";
import { peerSecrets } from "../../../src/engines/matching/link.ts";
import type { PersonRecord } from "../../../src/engines/matching/person.ts";
import { kernelBytes } from "../../../src/engines/matching/wasm.ts";

const secretA = Buffer.alloc(32, 1);
const secretB = Buffer.alloc(32, 2);
const person: PersonRecord = { given: "María José", surname: "Núñez García", dob: "1984-03-21", sex: "F" };

function naiveDice(a: Uint32Array, b: Uint32Array): number {
  let inter = 0;
  let ca = 0;
  let cb = 0;
  for (let i = 0; i < a.length * 32; i++) {
    const x = ((a[i >>> 5] as number) >>> (i & 31)) & 1;
    const y = ((b[i >>> 5] as number) >>> (i & 31)) & 1;
    inter += x & y;
    ca += x;
    cb += y;
  }
  return ca + cb ? (2 * inter) / (ca + cb) : 0;
}

function rng(seed: number) {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

describe("CLK encodings", () => {
  it("are deterministic for a key and different across keys", () => {
    const a1 = new ClkEncoder(secretA).encode(person);
    const a2 = new ClkEncoder(secretA).encode(person);
    const b = new ClkEncoder(secretB).encode(person);
    expect(a1.filter).toHaveLength(32);
    expect(a1.filter).toEqual(a2.filter);
    expect(a1.blocks).toEqual(a2.blocks);
    expect(dice(a1.filter, a2.filter)).toBe(1);
    expect(dice(a1.filter, b.filter)).toBeLessThan(0.7);
    expect([...a1.blocks].some((k) => b.blocks.includes(k))).toBe(false);
  });

  it("let two peers with the pairwise secret match spelling variants, and not other people", () => {
    const s = peerSecrets();
    const a = new ClkEncoder(s.left);
    const b = new ClkEncoder(s.right);
    const q = a.encode(person).filter;
    const variants: PersonRecord[] = [
      { given: "Maria Jose", surname: "Nunez Garcia", dob: "21/03/1984", sex: "f" },
      { given: "Núñez García", surname: "María José", dob: "19840321", sex: "F" }, // swapped
      { given: "Maria Jose", surname: "Nunez", dob: "1984-03-21", sex: "F" }, // one surname
      { given: "Maria Jose", surname: "Nuñes Garcia", dob: "1984-03-21", sex: "F" }, // typo
      { given: "María José", surname: "Núñez García", dob: "1984-21-03", sex: "F" }, // day and month swapped
    ];
    for (const v of variants) expect(dice(q, b.encode(v).filter), JSON.stringify(v)).toBeGreaterThan(0.75);
    const other: PersonRecord = { given: "Pedro", surname: "Ramírez Ortiz", dob: "1990-11-02", sex: "M" };
    expect(dice(q, b.encode(other).filter)).toBeLessThan(0.5);
  });

  it("match a transliterated name with its Latin spelling better than another name", () => {
    const e = new ClkEncoder(secretA);
    const cyr = e.encode({ name: "Александр Сергеевич Пушкин", dob: "1799-06-06" }).filter;
    const lat = e.encode({ name: "Aleksandr Sergeevich Pushkin", dob: "1799-06-06" }).filter;
    const eng = e.encode({ name: "Alexander Pushkin", dob: "1799-06-06" }).filter;
    const other = e.encode({ name: "Nikolai Gogol", dob: "1809-04-01" }).filter;
    expect(dice(cyr, lat)).toBe(1);
    expect(dice(cyr, eng)).toBeGreaterThan(0.75);
    expect(dice(cyr, other)).toBeLessThan(0.5);
    const ar = e.encode({ name: "محمد بن سلمان", dob: "1985-08-31" }).filter;
    const la = e.encode({ name: "Mohammed bin Salman", dob: "1985-08-31" }).filter;
    expect(dice(ar, la)).toBeGreaterThan(0.7);
  });

  it("use keyed positions: the same bigram sets unrelated positions in two fields and under two keys", () => {
    const e = new ClkEncoder(secretA);
    const name = [...e.positions("name", "_a", 12)];
    const pob = [...e.positions("pob", "_a", 12)];
    const other = [...new ClkEncoder(secretB).positions("name", "_a", 12)];
    expect(name).toHaveLength(12);
    expect(name).not.toEqual(pob);
    expect(name).not.toEqual(other);
    // Not double hashing: the positions are not an arithmetic progression modulo the length.
    const steps = new Set(name.slice(1).map((p, i) => (p - (name[i] as number) + 1024) % 1024));
    expect(steps.size).toBeGreaterThan(1);
  });

  it("hardening: balancing gives exactly half the bits set, XOR folding halves the length", () => {
    const bal = new ClkEncoder(secretA, { hardening: { balance: true, xorFold: false } });
    const f = bal.encode(person).filter;
    expect(f.length * 32).toBe(2048);
    expect(popcount(f)).toBe(1024);
    expect(popcount(bal.encode({ name: "Li", dob: "2000" }).filter)).toBe(1024);
    const fold = new ClkEncoder(secretA, { hardening: { balance: false, xorFold: true } });
    expect(fold.encode(person).filter.length * 32).toBe(512);
    expect(encodedBits({ ...fold.schema, hardening: { balance: true, xorFold: true } })).toBe(1024);
    const raw = new ClkEncoder(secretA).rawFilter(person);
    const folded = xorFold(raw);
    for (let i = 0; i < 16; i++) expect(folded[i]).toBe(((raw[i] as number) ^ (raw[i + 16] as number)) >>> 0);
  });
});

describe("Dice", () => {
  it("popcount and Dice agree with a bit-by-bit implementation", () => {
    const next = rng(42);
    expect([0, 1, 0xffffffff, 0x80000000, 0x12345678].map(popcount32)).toEqual([0, 1, 32, 1, 13]);
    for (let t = 0; t < 50; t++) {
      const a = Uint32Array.from({ length: 32 }, () => next() & next());
      const b = Uint32Array.from({ length: 32 }, () => next() & next());
      expect(dice(a, b)).toBeCloseTo(naiveDice(a, b), 12);
    }
    expect(dice(new Uint32Array(32), new Uint32Array(32))).toBe(0);
  });

  it.each([512, 1024, 2048])("the WebAssembly kernel (%i bits) finds what the naive scan finds", (bits) => {
    const next = rng(bits);
    const store = new EncodingStore(bits, 16); // grows while adding
    const filters: Uint32Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const f = Uint32Array.from({ length: bits / 32 }, () => next() & next());
      filters.push(f);
      store.add(f);
    }
    const q = (filters[123] as Uint32Array).slice();
    q[0] = (q[0] as number) ^ 0xff;
    const expected = filters
      .map((f, index) => ({ index, score: naiveDice(q, f) }))
      .filter((h) => h.score >= 0.3 + 1e-6);
    const got = store.scan(q, 0.3).filter((h) => h.score >= 0.3 + 1e-6);
    expect(got.map((h) => h.index)).toEqual(expected.map((h) => h.index));
    for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo(expected[i]?.score ?? -1, 12);
    expect(store.scanJs(q, 0.3).filter((h) => h.score >= 0.3 + 1e-6)).toEqual(got);
    // The gather kernel over chosen candidates.
    const ids = Uint32Array.from([123, 7, 2999, 0]);
    const some = store.scanCandidates(q, 0, ids);
    expect(some.map((h) => h.index)).toEqual([123, 7, 2999, 0]);
    for (const h of some) expect(h.score).toBeCloseTo(naiveDice(q, filters[h.index] as Uint32Array), 12);
  });

  it("generates a valid WebAssembly module for any filter length", () => {
    for (const w of [1, 8, 16, 32])
      expect(WebAssembly.validate(kernelBytes(w) as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe("the block index", () => {
  it("returns the same top matches as a full scan on a small set", () => {
    const e = new ClkEncoder(secretA);
    const given = ["Ana", "Luis", "Carmen", "José", "Lucía", "Pedro", "Marta", "Jorge", "Sofía", "Diego"];
    const surnames = [
      "García",
      "Pérez",
      "López",
      "Sánchez",
      "Romero",
      "Torres",
      "Ruiz",
      "Díaz",
      "Vargas",
      "Castro",
    ];
    const people: PersonRecord[] = [];
    for (let i = 0; i < 400; i++) {
      people.push({
        given: given[i % 10],
        surname: `${surnames[(i * 7) % 10]} ${surnames[(i * 3 + 1) % 10]}`,
        dob: `${1950 + (i % 50)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
        sex: i % 2 ? "M" : "F",
      });
    }
    const encodings = people.map((p) => e.encode(p));
    const store = new EncodingStore(e.bits);
    for (const x of encodings) store.add(x.filter);
    const index = new BlockIndex(encodings.length, (i) => encodings[i]?.blocks ?? new Uint32Array());
    const queries: PersonRecord[] = [
      { given: "Ana", surname: "Garcia Lopez", dob: "1950-01-01", sex: "F" },
      { given: "Lopez", surname: "Ana", dob: "1950-01-01", sex: "F" },
      { given: "Carmen", surname: "Ruiz", dob: "1952-03-03", sex: "F" },
      { given: "Jorge", surname: "Diaz Castro", dob: "1957-08-08" },
      { given: "Diego", surname: "Vargaz Romero", dob: "1959-10-10", sex: "M" },
    ];
    const top = (hits: { index: number; score: number }[]) =>
      hits
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, 3)
        .map((h) => h.index);
    let nonEmpty = 0;
    for (const q of queries) {
      const enc = e.encode(q);
      const full = top(store.scan(enc.filter, 0.7));
      const cands = index.candidates(enc.blocks);
      expect(cands.length).toBeLessThan(encodings.length / 4);
      expect(top(store.scanCandidates(enc.filter, 0.7, cands))).toEqual(full);
      if (full.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(3);
  });

  it("de-duplicates candidates that share several keys", () => {
    const keys = [Uint32Array.from([1, 2, 3]), Uint32Array.from([3, 4]), Uint32Array.from([5])];
    const index = new BlockIndex(3, (i) => keys[i] as Uint32Array);
    expect([...index.candidates(Uint32Array.from([3, 1, 2]))].sort()).toEqual([0, 1]);
    expect([...index.candidates(Uint32Array.from([9]))]).toEqual([]);
    expect(index.entries).toBe(6);
  });
});
