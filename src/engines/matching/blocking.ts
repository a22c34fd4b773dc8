/**
 * A block index: 32-bit blocking keys → the records that carry them, so that a query is compared
 * with the records sharing one of its keys rather than with all of them. Built once from all
 * records (counting sort into about E/4 buckets, a power of two, by the key's low bits — the keys are HMAC
 * outputs, so uniformly spread), held in typed arrays (9 bytes per key of a record); a query
 * reads one bucket per key and de-duplicates candidates with a stamp array, in O(candidates).
 */
export class BlockIndex {
  readonly #mask: number;
  readonly #starts: Uint32Array;
  readonly #keys: Uint32Array;
  readonly #ids: Uint32Array;
  readonly #stamp: Uint32Array;
  #epoch = 0;

  /** `keysOf(i)` gives the blocking keys of record i, for i in [0, n). */
  constructor(n: number, keysOf: (i: number) => Uint32Array) {
    let total = 0;
    for (let i = 0; i < n; i++) total += keysOf(i).length;
    let buckets = 1;
    while (buckets * 4 < total) buckets <<= 1;
    this.#mask = buckets - 1;
    const starts = new Uint32Array(buckets + 1);
    for (let i = 0; i < n; i++) {
      for (const k of keysOf(i)) {
        const b = ((k & this.#mask) >>> 0) + 1;
        starts[b] = (starts[b] as number) + 1;
      }
    }
    for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
    const fill = starts.slice(0, buckets);
    this.#keys = new Uint32Array(total);
    this.#ids = new Uint32Array(total);
    for (let i = 0; i < n; i++) {
      for (const k of keysOf(i)) {
        const b = (k & this.#mask) >>> 0;
        const at = fill[b] as number;
        fill[b] = at + 1;
        this.#keys[at] = k;
        this.#ids[at] = i;
      }
    }
    this.#starts = starts;
    this.#stamp = new Uint32Array(n);
  }

  /** The records that share at least one key with the query, each once. */
  candidates(keys: Uint32Array): Uint32Array {
    const epoch = ++this.#epoch;
    if (epoch === 0xffffffff) {
      this.#stamp.fill(0);
      this.#epoch = 1;
    }
    const e = this.#epoch;
    const out: number[] = [];
    for (const k of keys) {
      const b = (k & this.#mask) >>> 0;
      const end = this.#starts[b + 1] as number;
      for (let j = this.#starts[b] as number; j < end; j++) {
        if (this.#keys[j] !== k) continue;
        const id = this.#ids[j] as number;
        if (this.#stamp[id] !== e) {
          this.#stamp[id] = e;
          out.push(id);
        }
      }
    }
    return Uint32Array.from(out);
  }

  get entries(): number {
    return this.#keys.length;
  }

  get memoryBytes(): number {
    return this.#keys.byteLength + this.#ids.byteLength + this.#starts.byteLength + this.#stamp.byteLength;
  }
}
