/**
 * Dice similarity of Bloom-filter encodings, 2·|A∧B| / (|A| + |B|), and a store of many
 * encodings laid out for the WebAssembly kernel (wasm.ts): filters contiguous in one
 * WebAssembly.Memory, each filter's popcount kept beside it so a comparison costs one
 * AND+popcount per 64-bit word. A plain-JavaScript kernel (32-bit SWAR popcount) is kept for
 * comparison and as the reference the tests hold the kernel to.
 */
import { kernelBytes } from "./wasm.ts";

/** Popcount of a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function popcount(filter: Uint32Array): number {
  let c = 0;
  for (let i = 0; i < filter.length; i++) c += popcount32(filter[i] as number);
  return c;
}

/** Dice coefficient of two filters of equal length, in JavaScript. Two empty filters score 0. */
export function dice(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new Error("filters of different lengths");
  let inter = 0;
  let ca = 0;
  let cb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    inter += popcount32(x & y);
    ca += popcount32(x);
    cb += popcount32(y);
  }
  return ca + cb === 0 ? 0 : (2 * inter) / (ca + cb);
}

export interface Hit {
  /** The record's index in the store. */
  index: number;
  score: number;
}

const PAGE = 65536;
const OUT_MAX = 1 << 16; // hits returned per kernel call
const IDS_MAX = 1 << 20; // candidates per gather call

type ScanFn = (
  q: number,
  filters: number,
  counts: number,
  n: number,
  qc: number,
  thr: number,
  out: number,
  max: number,
) => number;
type ScanIdsFn = (
  q: number,
  filters: number,
  counts: number,
  ids: number,
  m: number,
  qc: number,
  thr: number,
  out: number,
  max: number,
) => number;

const modules = new Map<number, WebAssembly.Module>();
function kernelModule(words64: number): WebAssembly.Module {
  let m = modules.get(words64);
  if (!m) {
    m = new WebAssembly.Module(kernelBytes(words64) as Uint8Array<ArrayBuffer>);
    modules.set(words64, m);
  }
  return m;
}

/**
 * Encodings of one filter length, appended and scanned. Memory layout (bytes):
 * [query | hit buffer | candidate ids | counts (capacity × 4) | filters (capacity × bytes)];
 * growing past the capacity re-lays the memory out (amortised doubling).
 */
export class EncodingStore {
  readonly words32: number;
  readonly bytesPerFilter: number;
  #capacity = 0;
  #n = 0;
  #memory!: WebAssembly.Memory;
  #scan!: ScanFn;
  #scanIds!: ScanIdsFn;
  #u32!: Uint32Array;
  #qOff = 0;
  #outOff = 0;
  #idsOff = 0;
  #countsOff = 0;
  #filtersOff = 0;

  constructor(
    readonly bits: number,
    initialCapacity = 1024,
  ) {
    if (bits % 64 !== 0 || bits <= 0) throw new Error("the filter length must be a multiple of 64 bits");
    this.words32 = bits / 32;
    this.bytesPerFilter = bits / 8;
    this.#layout(Math.max(16, initialCapacity));
  }

  #layout(capacity: number): void {
    const qOff = 0;
    const outOff = qOff + this.bytesPerFilter;
    const idsOff = outOff + OUT_MAX * 8;
    const countsOff = idsOff + IDS_MAX * 4;
    const filtersOff = countsOff + capacity * 4;
    const bytes = filtersOff + capacity * this.bytesPerFilter;
    const pages = Math.ceil(bytes / PAGE);
    if (pages > 65536) throw new Error("too many encodings for one store (4 GiB of WebAssembly memory)");
    const memory = new WebAssembly.Memory({ initial: pages });
    const u32 = new Uint32Array(memory.buffer);
    if (this.#n) {
      u32.set(this.#u32.subarray(this.#countsOff >>> 2, (this.#countsOff >>> 2) + this.#n), countsOff >>> 2);
      u32.set(
        this.#u32.subarray(this.#filtersOff >>> 2, (this.#filtersOff >>> 2) + this.#n * this.words32),
        filtersOff >>> 2,
      );
    }
    const instance = new WebAssembly.Instance(kernelModule(this.bits / 64), { env: { memory } });
    this.#memory = memory;
    this.#u32 = u32;
    this.#scan = instance.exports.scan as ScanFn;
    this.#scanIds = instance.exports.scanIds as ScanIdsFn;
    this.#capacity = capacity;
    this.#qOff = qOff;
    this.#outOff = outOff;
    this.#idsOff = idsOff;
    this.#countsOff = countsOff;
    this.#filtersOff = filtersOff;
  }

  get size(): number {
    return this.#n;
  }

  /** Make room for `n` encodings in all (avoids re-layouts when the total is known). */
  reserve(n: number): void {
    if (n > this.#capacity) this.#layout(n);
  }

  /** Append one encoding; returns its index. */
  add(filter: Uint32Array): number {
    if (filter.length !== this.words32) throw new Error(`expected a filter of ${this.bits} bits`);
    if (this.#n === this.#capacity) this.#layout(this.#capacity * 2);
    const i = this.#n++;
    this.#u32.set(filter, (this.#filtersOff >>> 2) + i * this.words32);
    this.#u32[(this.#countsOff >>> 2) + i] = popcount(filter);
    return i;
  }

  /** A view of the stored filter at `index` (valid until the next add). */
  filter(index: number): Uint32Array {
    const at = (this.#filtersOff >>> 2) + index * this.words32;
    return this.#u32.subarray(at, at + this.words32);
  }

  /**
   * The direct view of the next `n` filter slots, to fill in place (synthetic data, bulk
   * loading); call `commit(n)` afterwards to count them.
   */
  reserveSlots(n: number): Uint32Array {
    this.reserve(this.#n + n);
    const at = (this.#filtersOff >>> 2) + this.#n * this.words32;
    return this.#u32.subarray(at, at + n * this.words32);
  }

  commit(n: number): void {
    const c = this.#countsOff >>> 2;
    for (let i = this.#n; i < this.#n + n; i++) this.#u32[c + i] = popcount(this.filter(i));
    this.#n += n;
  }

  #setQuery(query: Uint32Array): number {
    if (query.length !== this.words32) throw new Error(`expected a query of ${this.bits} bits`);
    this.#u32.set(query, this.#qOff >>> 2);
    return popcount(query);
  }

  #collect(hits: number, qc: number, indexOf: (k: number) => number, into: Hit[]): void {
    const out = this.#outOff >>> 2;
    const c = this.#countsOff >>> 2;
    for (let h = 0; h < Math.min(hits, OUT_MAX); h++) {
      const index = indexOf(this.#u32[out + 2 * h] as number);
      const inter = this.#u32[out + 2 * h + 1] as number;
      const denom = qc + (this.#u32[c + index] as number);
      into.push({ index, score: denom ? (2 * inter) / denom : 0 });
    }
  }

  /**
   * Every stored encoding whose Dice similarity with `query` is at least `threshold`
   * (WebAssembly, full scan of [from, to)).
   */
  scan(query: Uint32Array, threshold: number, from = 0, to = this.#n): Hit[] {
    const qc = this.#setQuery(query);
    const hits: Hit[] = [];
    const chunk = 1 << 20;
    for (let start = from; start < to; start += chunk) {
      const n = Math.min(chunk, to - start);
      const found = this.#scan(
        this.#qOff,
        this.#filtersOff + start * this.bytesPerFilter,
        this.#countsOff + start * 4,
        n,
        qc,
        Math.fround(threshold),
        this.#outOff,
        OUT_MAX,
      );
      if (found > OUT_MAX) throw new Error(`more than ${OUT_MAX} hits in one block: raise the threshold`);
      this.#collect(found, qc, (k) => start + k, hits);
    }
    return hits;
  }

  /** The same as `scan` over the given candidate indices only (from a block index). */
  scanCandidates(query: Uint32Array, threshold: number, ids: Uint32Array): Hit[] {
    const qc = this.#setQuery(query);
    const hits: Hit[] = [];
    for (let start = 0; start < ids.length; start += IDS_MAX) {
      const part = ids.subarray(start, Math.min(ids.length, start + IDS_MAX));
      this.#u32.set(part, this.#idsOff >>> 2);
      const found = this.#scanIds(
        this.#qOff,
        this.#filtersOff,
        this.#countsOff,
        this.#idsOff,
        part.length,
        qc,
        Math.fround(threshold),
        this.#outOff,
        OUT_MAX,
      );
      if (found > OUT_MAX) throw new Error(`more than ${OUT_MAX} hits in one block: raise the threshold`);
      this.#collect(found, qc, (k) => part[k] as number, hits);
    }
    return hits;
  }

  /** The plain-JavaScript kernel over [from, to): for measurement and as a reference. */
  scanJs(query: Uint32Array, threshold: number, from = 0, to = this.#n): Hit[] {
    const qc = popcount(query);
    const W = this.words32;
    const u32 = this.#u32;
    const f0 = this.#filtersOff >>> 2;
    const c0 = this.#countsOff >>> 2;
    const hits: Hit[] = [];
    for (let i = from; i < to; i++) {
      let inter = 0;
      const base = f0 + i * W;
      for (let w = 0; w < W; w++) inter += popcount32((query[w] as number) & (u32[base + w] as number));
      const denom = qc + (u32[c0 + i] as number);
      if (2 * inter >= threshold * denom) hits.push({ index: i, score: denom ? (2 * inter) / denom : 0 });
    }
    return hits;
  }

  /** Bytes held (for the benchmark's report). */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }
}
