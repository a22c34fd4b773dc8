/**
 * Batch linkage of two lists of persons (the `ariadne link` command and the benchmark), in clear
 * text or as two peers would do it privately: each side encodes its own list under the pairwise
 * matching secret, and only the encodings are compared (Dice, WebAssembly kernel), the right
 * list indexed by its keyed blocking keys.
 */
import { generateKeyPairSync } from "node:crypto";
import { BlockIndex } from "./blocking.ts";
import { type ClearModel, type ClearRecord, clearRecord, clearScore, estimateModel } from "./clear.ts";
import { ClkEncoder, type ClkSchema, type Encoding } from "./clk.ts";
import { EncodingStore } from "./dice.ts";
import { pairwiseMatchingSecret } from "./keys.ts";
import { blockingKeys, type PersonRecord } from "./person.ts";

export type Assignment = "all" | "best" | "one-to-one";

export interface LinkOptions {
  mode: "clear" | "private";
  /** Minimum score of a reported pair (Dice in private mode, Fellegi–Sunter score in clear). */
  threshold?: number;
  /**
   * `all`: every pair at or above the threshold; `best`: each right record with its best left
   * record only (the left list is a register without duplicates); `one-to-one`: greedy by score,
   * each record on either side in at most one pair.
   */
  assignment?: Assignment;
  /** Compare every pair instead of using the block index (small lists, or to measure blocking). */
  fullScan?: boolean;
  schema?: Partial<ClkSchema>;
  /** The two peers' matching secrets; by default two fresh X25519 key pairs agree one. */
  secrets?: { left: Uint8Array; right: Uint8Array };
  onProgress?: (done: number, total: number) => void;
}

export interface Pair {
  left: number;
  right: number;
  score: number;
}

/** Chosen on FEBRL (bench/matching.ts): Dice 0.7 in private mode, Fellegi–Sunter score 0.5 in clear. */
export const DEFAULT_THRESHOLD = { private: 0.7, clear: 0.5 } as const;

/** Two peers' secrets, as two nodes with fresh X25519 keys would derive them. */
export function peerSecrets(): { left: Buffer; right: Buffer } {
  const a = generateKeyPairSync("x25519");
  const b = generateKeyPairSync("x25519");
  return {
    left: pairwiseMatchingSecret(a.privateKey, b.publicKey, { ownNodeId: "LEFT", peerNodeId: "RIGHT" }),
    right: pairwiseMatchingSecret(b.privateKey, a.publicKey, { ownNodeId: "RIGHT", peerNodeId: "LEFT" }),
  };
}

export function assign(pairs: Pair[], how: Assignment): Pair[] {
  if (how === "all") return pairs;
  const sorted = [...pairs].sort((x, y) => y.score - x.score || x.left - y.left || x.right - y.right);
  const usedRight = new Set<number>();
  const usedLeft = new Set<number>();
  const out: Pair[] = [];
  for (const p of sorted) {
    if (usedRight.has(p.right)) continue;
    if (how === "one-to-one" && usedLeft.has(p.left)) continue;
    usedRight.add(p.right);
    usedLeft.add(p.left);
    out.push(p);
  }
  return out.sort((x, y) => x.left - y.left || x.right - y.right);
}

/** Encode a list as one peer would. */
export function encodeAll(encoder: ClkEncoder, people: PersonRecord[]): Encoding[] {
  return people.map((p) => encoder.encode(p));
}

export function linkEncodings(
  left: Encoding[],
  right: Encoding[],
  bits: number,
  options: Pick<LinkOptions, "threshold" | "assignment" | "fullScan" | "onProgress"> = {},
): Pair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD.private;
  const store = new EncodingStore(bits, right.length);
  for (const e of right) store.add(e.filter);
  const index = options.fullScan
    ? undefined
    : new BlockIndex(right.length, (i) => right[i]?.blocks ?? new Uint32Array());
  const pairs: Pair[] = [];
  left.forEach((e, l) => {
    const hits = index
      ? store.scanCandidates(e.filter, threshold, index.candidates(e.blocks))
      : store.scan(e.filter, threshold);
    for (const h of hits) pairs.push({ left: l, right: h.index, score: h.score });
    if (options.onProgress && (l % 256 === 0 || l === left.length - 1))
      options.onProgress(l + 1, left.length);
  });
  return assign(pairs, options.assignment ?? "all");
}

export function linkClear(
  left: PersonRecord[],
  right: PersonRecord[],
  options: Omit<LinkOptions, "mode"> & { model?: ClearModel } = {},
): Pair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD.clear;
  const l = left.map(clearRecord);
  const r = right.map(clearRecord);
  const model = options.model ?? estimateModel(l, r);
  const pairs: Pair[] = [];
  const compare = (i: number, j: number) => {
    const score = clearScore(l[i] as ClearRecord, r[j] as ClearRecord, model);
    if (score >= threshold) pairs.push({ left: i, right: j, score });
  };
  if (options.fullScan) {
    for (let i = 0; i < l.length; i++) {
      for (let j = 0; j < r.length; j++) compare(i, j);
      options.onProgress?.(i + 1, l.length);
    }
    return assign(pairs, options.assignment ?? "all");
  }
  // The same blocking keys as the private mode, in clear (hashed for the index only).
  const hash = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const keysOf = (c: ClearRecord) => Uint32Array.from(blockingKeys(c.features).map(hash));
  const rightKeys = r.map(keysOf);
  const index = new BlockIndex(r.length, (j) => rightKeys[j] ?? new Uint32Array());
  for (let i = 0; i < l.length; i++) {
    for (const j of index.candidates(keysOf(l[i] as ClearRecord))) compare(i, j);
    if (options.onProgress && (i % 256 === 0 || i === l.length - 1)) options.onProgress(i + 1, l.length);
  }
  return assign(pairs, options.assignment ?? "all");
}

/** Link two lists of persons in either mode. */
export function link(left: PersonRecord[], right: PersonRecord[], options: LinkOptions): Pair[] {
  if (options.mode === "clear") return linkClear(left, right, options);
  const secrets = options.secrets ?? peerSecrets();
  const a = new ClkEncoder(secrets.left, options.schema);
  const b = new ClkEncoder(secrets.right, options.schema);
  return linkEncodings(encodeAll(a, left), encodeAll(b, right), a.bits, options);
}
