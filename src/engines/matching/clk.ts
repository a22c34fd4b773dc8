/**
 * Persons as cryptographic long-term keys (CLK): one Bloom filter per person into which every
 * feature of every field is hashed, with keyed hashing only.
 *
 * Schema (`DEFAULT_SCHEMA`, version `clk1`): a filter of 1024 bits; the features and the number
 * of bit positions each sets (its weight: a field that identifies better sets more bits, so it
 * weighs more in the Dice similarity):
 *
 * | field     | features                                           | positions each |
 * |-----------|----------------------------------------------------|----------------|
 * | name      | padded bigrams of the name tokens (all names, one set) | 12         |
 * | skeleton  | padded bigrams of each token's consonant skeleton   | 3              |
 * | dob       | `y:YYYY`, `m:MM`, `d:DD`, `md:{MM,DD}` (swap-proof)   | 10             |
 * | sex       | `m`, `f` or `x`                                       | 10             |
 * | pob       | padded bigrams of the place of birth                 | 5              |
 * | extra:*   | padded bigrams of each further field's words          | 7              |
 *
 * The weights were chosen on the FEBRL data (bench/matching.ts): at a Dice threshold of 0.7
 * they give precision ≥ 0.999 and recall ≥ 0.995 on its three data sets.
 *
 * Positions: the field's key is HKDF(matching secret, `clk:<field>`); a feature's positions are
 * the 16-bit words of HMAC-SHA-256(field key, feature ‖ counter) modulo the filter length (a power
 * of two, so without bias), as many blocks as needed. No double hashing (g_i = h1 + i·h2, whose
 * structure the published pattern-mining attacks exploit), and the same bigram in two fields
 * sets unrelated positions. Positions of a feature are cached per encoder (bigrams repeat).
 *
 * Hardening options, applied after hashing, both keyed on the same secret:
 * - `balance`: the filter concatenated with its complement and permuted by a keyed permutation
 *   (Schnell & Borgs 2016): every encoding then has exactly half of its bits set, which hides how
 *   many features (how long a name) went in and flattens bit frequencies. Doubles the length.
 * - `xorFold`: the two halves XORed together (Schnell, Borgs & Encheva 2016): a set bit no longer
 *   says which of two positions it came from. Halves the length.
 * Their cost in accuracy is measured by `npm run bench:matching`.
 */
import { createCipheriv, createHmac } from "node:crypto";
import { deriveKey } from "./keys.ts";
import { bigrams, blockingKeys, type PersonFeatures, type PersonRecord, personFeatures } from "./person.ts";

export interface ClkSchema {
  version: string;
  /** Filter length in bits before hardening: a power of two, 64 to 65536. */
  bits: number;
  /** Bit positions per feature, by field. `extra` applies to every further field. */
  k: { name: number; skeleton: number; dob: number; sex: number; pob: number; extra: number };
  hardening: { balance: boolean; xorFold: boolean };
}

export const DEFAULT_SCHEMA: ClkSchema = {
  version: "clk1",
  bits: 1024,
  k: { name: 12, skeleton: 3, dob: 10, sex: 10, pob: 5, extra: 7 },
  hardening: { balance: false, xorFold: false },
};

export interface Encoding {
  filter: Uint32Array;
  /** Keyed blocking keys (32 bits each): records sharing one are compared. */
  blocks: Uint32Array;
}

/** The filter length after hardening. */
export function encodedBits(schema: ClkSchema): number {
  let bits = schema.bits;
  if (schema.hardening.balance) bits *= 2;
  if (schema.hardening.xorFold) bits /= 2;
  return bits;
}

export class ClkEncoder {
  readonly schema: ClkSchema;
  readonly bits: number;
  readonly #secret: Uint8Array;
  readonly #fieldKeys = new Map<string, Buffer>();
  readonly #cache = new Map<string, Map<string, Uint16Array>>();
  readonly #blockCache = new Map<string, number>();
  readonly #blockKey: Buffer;
  #permutation: Uint16Array | undefined;

  constructor(secret: Uint8Array, schema: Partial<ClkSchema> = {}) {
    this.schema = {
      ...DEFAULT_SCHEMA,
      ...schema,
      k: { ...DEFAULT_SCHEMA.k, ...schema.k },
      hardening: { ...DEFAULT_SCHEMA.hardening, ...schema.hardening },
    };
    const b = this.schema.bits;
    if (!(b >= 64 && b <= 65536 && (b & (b - 1)) === 0))
      throw new Error("bits must be a power of two, 64–65536");
    this.#secret = secret;
    this.bits = encodedBits(this.schema);
    this.#blockKey = deriveKey(secret, "block");
  }

  #fieldKey(field: string): Buffer {
    let k = this.#fieldKeys.get(field);
    if (!k) {
      k = deriveKey(this.#secret, `clk:${field}`);
      this.#fieldKeys.set(field, k);
    }
    return k;
  }

  /** The `k` positions of one feature of one field (keyed HMAC-SHA-256, cached). */
  positions(field: string, feature: string, k: number): Uint16Array {
    return this.#positions(this.#fieldCache(field, k), field, feature, k);
  }

  #fieldCache(field: string, k: number): Map<string, Uint16Array> {
    const name = `${field}\u0000${k}`;
    let cache = this.#cache.get(name);
    if (!cache) {
      cache = new Map();
      this.#cache.set(name, cache);
    }
    return cache;
  }

  #positions(cache: Map<string, Uint16Array>, field: string, feature: string, k: number): Uint16Array {
    let pos = cache.get(feature);
    if (pos) return pos;
    pos = new Uint16Array(k);
    const mask = this.schema.bits - 1;
    const key = this.#fieldKey(field);
    for (let block = 0, i = 0; i < k; block++) {
      const h = createHmac("sha256", key).update(`${feature}\u0000${block}`, "utf8").digest();
      for (let j = 0; j < 32 && i < k; j += 2) pos[i++] = h.readUInt16BE(j) & mask;
    }
    if (cache.size > 100_000) cache.clear();
    cache.set(feature, pos);
    return pos;
  }

  #set(filter: Uint32Array, field: string, features: Iterable<string>, k: number): void {
    if (k <= 0) return;
    const cache = this.#fieldCache(field, k);
    for (const f of features) {
      const pos = this.#positions(cache, field, f, k);
      for (let i = 0; i < pos.length; i++) {
        const p = pos[i] as number;
        filter[p >>> 5] = (filter[p >>> 5] as number) | (1 << (p & 31));
      }
    }
  }

  /** The raw (unhardened) filter of a person. */
  rawFilter(p: PersonRecord, features?: PersonFeatures): Uint32Array {
    const f = features ?? personFeatures(p);
    const { k } = this.schema;
    const filter = new Uint32Array(this.schema.bits / 32);
    this.#set(filter, "name", bigrams(f.tokens), k.name);
    this.#set(filter, "skeleton", bigrams(f.skeletons), k.skeleton);
    const dob: string[] = [];
    if (f.dob.y) dob.push(`y:${f.dob.y}`);
    if (f.dob.m) dob.push(`m:${f.dob.m}`);
    if (f.dob.d) dob.push(`d:${f.dob.d}`);
    if (f.dob.m && f.dob.d) dob.push(`md:${[f.dob.m, f.dob.d].sort().join("")}`);
    this.#set(filter, "dob", dob, k.dob);
    if (f.sex) this.#set(filter, "sex", [f.sex], k.sex);
    this.#set(filter, "pob", bigrams(f.pob), k.pob);
    for (const [name, value] of f.extra)
      this.#set(filter, `extra:${name}`, bigrams(value.split(" ")), k.extra);
    return filter;
  }

  /** The encoding of a person: the (hardened) filter and its keyed blocking keys. */
  encode(p: PersonRecord): Encoding {
    const features = personFeatures(p);
    let filter = this.rawFilter(p, features);
    if (this.schema.hardening.balance) filter = this.#balance(filter);
    if (this.schema.hardening.xorFold) filter = xorFold(filter);
    return { filter, blocks: this.blockKeys(p, features) };
  }

  /** The person's blocking keys (person.ts), each HMAC-SHA-256 under HKDF(secret, `block`), 32 bits. */
  blockKeys(p: PersonRecord, features?: PersonFeatures): Uint32Array {
    const keys = blockingKeys(features ?? personFeatures(p));
    const out = new Uint32Array(keys.length);
    keys.forEach((key, i) => {
      let h = this.#blockCache.get(key);
      if (h === undefined) {
        h = createHmac("sha256", this.#blockKey).update(key, "utf8").digest().readUInt32BE(0);
        if (this.#blockCache.size > 200_000) this.#blockCache.clear();
        this.#blockCache.set(key, h);
      }
      out[i] = h;
    });
    return out;
  }

  #balance(filter: Uint32Array): Uint32Array {
    const n = filter.length * 32;
    const perm = this.#perm(2 * n);
    const out = new Uint32Array(filter.length * 2);
    for (let i = 0; i < 2 * n; i++) {
      const src = i < n ? i : i - n;
      let bit = ((filter[src >>> 5] as number) >>> (src & 31)) & 1;
      if (i >= n) bit ^= 1;
      if (bit) {
        const p = perm[i] as number;
        out[p >>> 5] = (out[p >>> 5] as number) | (1 << (p & 31));
      }
    }
    return out;
  }

  /** A keyed permutation of [0, n): Fisher–Yates driven by AES-256-CTR under HKDF(secret, `clk:balance`). */
  #perm(n: number): Uint16Array {
    if (this.#permutation?.length === n) return this.#permutation;
    const stream = createCipheriv("aes-256-ctr", deriveKey(this.#secret, "clk:balance"), Buffer.alloc(16));
    const rnd = stream.update(Buffer.alloc(4 * n));
    const perm = new Uint16Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rnd.readUInt32BE(4 * i) % (i + 1);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    this.#permutation = perm;
    return perm;
  }
}

/** XOR folding: the filter's two halves XORed into one of half the length. */
export function xorFold(filter: Uint32Array): Uint32Array {
  const half = filter.length / 2;
  if (!Number.isInteger(half) || half % 2 !== 0) throw new Error("cannot fold below 64 bits");
  const out = new Uint32Array(half);
  for (let i = 0; i < half; i++) out[i] = ((filter[i] as number) ^ (filter[i + half] as number)) >>> 0;
  return out;
}
