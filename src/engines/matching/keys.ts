/**
 * Keys of hit/no-hit matching. Two nodes derive one matching secret from their X25519 keys
 * (the same keys that agree the envelope key, src/engines/federation/keys.ts) with HKDF under a
 * salt and info of their own, so the matching secret and the envelope key are independent; from
 * it, one key per selector type and per person field. Exact selectors become pseudonyms:
 * HMAC-SHA-256 of the normalised value under the selector type's key. A new encryption key on
 * either side gives a new secret: pseudonyms and encodings are rotated with the keys.
 */
import { createHmac, diffieHellman, hkdfSync, type KeyObject } from "node:crypto";
import type { SelectorType } from "./normalise.ts";

/** The HKDF salt of matching secrets; the envelope key uses `ariadne/federation/v1`. */
export const MATCHING_SALT = "ariadne/matching/v1";

export interface MatchingContext {
  /** Our node id and the peer's. Sorted before use, so both sides derive the same secret. */
  ownNodeId: string;
  peerNodeId: string;
  /** Optional label to separate secrets further (e.g. a key epoch or a purpose). */
  label?: string;
}

/**
 * The secret two peers share for matching: X25519(own private, peer public), then
 * HKDF-SHA-256(salt `ariadne/matching/v1`, info `matching-secret|<id1>|<id2>[|label]`) with the
 * node ids sorted, 32 bytes. A and B compute the same; A and C a different one.
 */
export function pairwiseMatchingSecret(
  ownX25519Private: KeyObject,
  peerX25519Public: KeyObject,
  context: MatchingContext,
): Buffer {
  if (ownX25519Private.asymmetricKeyType !== "x25519" || peerX25519Public.asymmetricKeyType !== "x25519")
    throw new Error("matching secrets are agreed with X25519 keys");
  const shared = diffieHellman({ privateKey: ownX25519Private, publicKey: peerX25519Public });
  const ids = [context.ownNodeId, context.peerNodeId].sort();
  const info = ["matching-secret", ...ids, ...(context.label ? [context.label] : [])].join("|");
  return Buffer.from(hkdfSync("sha256", shared, Buffer.from(MATCHING_SALT, "utf8"), info, 32));
}

/** A sub-key of a matching secret for one purpose (`selector:phone`, `clk:name`, `block:dob`…). */
export function deriveKey(secret: Uint8Array, purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `ariadne/matching/v1/${purpose}`, length));
}

/** The key of one selector type. */
export function selectorKey(secret: Uint8Array, type: SelectorType): Buffer {
  return deriveKey(secret, `selector:${type}`);
}

/** The pseudonym of a normalised selector: HMAC-SHA-256(key of its type, UTF-8 value), 32 bytes. */
export function pseudonym(typeKey: Uint8Array, normalised: string): Buffer {
  return createHmac("sha256", typeKey).update(normalised, "utf8").digest();
}

/** Pseudonyms of all selector types under one secret (the type keys derived once). */
export class Pseudonymiser {
  readonly #keys = new Map<SelectorType, Buffer>();
  constructor(private readonly secret: Uint8Array) {}
  pseudonym(type: SelectorType, normalised: string): Buffer {
    let key = this.#keys.get(type);
    if (!key) {
      key = selectorKey(this.secret, type);
      this.#keys.set(type, key);
    }
    return pseudonym(key, normalised);
  }
}

/**
 * An in-memory index of pseudonyms → the references that hold them. The key is the pseudonym's
 * 32 bytes as a latin1 string (32 UTF-16 code units, hashed by V8 once and compared by value),
 * which is the most compact Map key JavaScript offers; a lookup is one hash probe.
 */
export class PseudonymIndex<T = string> {
  readonly #map = new Map<string, T[]>();

  static key(p: Uint8Array): string {
    return Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("latin1");
  }

  add(p: Uint8Array, ref: T): void {
    const k = PseudonymIndex.key(p);
    const refs = this.#map.get(k);
    if (refs) {
      if (!refs.includes(ref)) refs.push(ref);
    } else this.#map.set(k, [ref]);
  }

  /** The references under a pseudonym; empty for a no-hit. */
  lookup(p: Uint8Array): readonly T[] {
    return this.#map.get(PseudonymIndex.key(p)) ?? [];
  }

  delete(p: Uint8Array, ref: T): void {
    const k = PseudonymIndex.key(p);
    const refs = this.#map.get(k);
    if (!refs) return;
    const rest = refs.filter((r) => r !== ref);
    if (rest.length) this.#map.set(k, rest);
    else this.#map.delete(k);
  }

  get size(): number {
    return this.#map.size;
  }
}
