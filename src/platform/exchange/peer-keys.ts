/**
 * The keys a peer's envelopes and receipts are checked and sealed with: its signing keys
 * and the pairwise keys, ours and theirs — during a rotation's overlap the previous ones
 * too. Derived once per combination of key ids (the X25519 agreement runs once, not per message).
 */
import type { KeyObject } from "node:crypto";
import type { Selectable } from "kysely";
import { importPublicJwk, type NodeKeys, pairwiseKey } from "../../engines/federation/keys.ts";
import type { Ctx } from "../context.ts";
import type { PeersTable } from "../db/schema.ts";
import { previousNodeKeys } from "./peers.ts";

/** A node id as the federation writes it: an ISO 3166-1 alpha-3 code, or the Secretariat. */
export const NODE_ID = /^([A-Z]{3}|UNODC)$/;

export type PeerKeys = ReturnType<typeof peerCrypto> & { row: Selectable<PeersTable>; accept: Acceptance };

/** The keys of the active peers among these node ids, as the envelope needs them. */
export async function peerKeys(ctx: Ctx, mine: NodeKeys, nodeIds: readonly string[]) {
  const wanted = [...new Set(nodeIds.filter((id) => NODE_ID.test(id)))];
  const rows = wanted.length
    ? await ctx.db
        .selectFrom("peers")
        .selectAll()
        .where("node_id", "in", wanted)
        .where("status", "=", "active")
        .execute()
    : [];
  const previous = await previousNodeKeys(ctx);
  return new Map<string, PeerKeys>(
    rows.map((p) => [
      p.node_id,
      { row: p, ...peerCrypto(ctx, mine, p), accept: acceptance(ctx, mine, previous?.keys, p) },
    ]),
  );
}

/** What a peer's envelopes and receipts are checked with: by key id, its signing keys and the pairwise keys. */
export interface Acceptance {
  signing: Map<string, KeyObject>;
  pairwise: Map<string, Buffer>;
}

const accepted = new WeakMap<object, Map<string, Acceptance>>();

/**
 * The peer's current keys and ours — and, while a rotation's overlap lasts, the
 * previous ones on either side: an envelope sealed under keys just replaced still
 * counts. Computed once per combination of key ids.
 */
export function acceptance(
  ctx: Ctx,
  mine: NodeKeys,
  minePrevious: NodeKeys | undefined,
  p: Selectable<PeersTable>,
): Acceptance {
  const theirsPrevious =
    p.previous_until && new Date(p.previous_until).getTime() > Date.now() && p.previous_signing_jwk
      ? p
      : undefined;
  const cacheKey = [
    p.node_id,
    p.signing_kid,
    p.encryption_kid,
    theirsPrevious?.previous_signing_kid,
    theirsPrevious?.previous_encryption_kid,
    mine.encryption.kid,
    minePrevious?.encryption.kid,
  ].join("|");
  let forNode = accepted.get(ctx.config);
  if (!forNode) {
    forNode = new Map();
    accepted.set(ctx.config, forNode);
  }
  const hit = forNode.get(cacheKey);
  if (hit) return hit;
  const signing = new Map([[p.signing_kid, importPublicJwk(p.signing_jwk as never, "Ed25519")]]);
  const theirEnc = [{ kid: p.encryption_kid, jwk: p.encryption_jwk }];
  if (theirsPrevious?.previous_signing_kid && theirsPrevious.previous_encryption_kid) {
    signing.set(
      theirsPrevious.previous_signing_kid,
      importPublicJwk(theirsPrevious.previous_signing_jwk as never, "Ed25519"),
    );
    theirEnc.push({
      kid: theirsPrevious.previous_encryption_kid,
      jwk: theirsPrevious.previous_encryption_jwk ?? {},
    });
  }
  const pairwise = new Map<string, Buffer>();
  for (const own of minePrevious ? [mine, minePrevious] : [mine]) {
    for (const theirs of theirEnc) {
      const k = pairwiseKey(
        { nodeId: ctx.config.nodeId, encryption: own.encryption },
        {
          nodeId: p.node_id,
          encryptionKey: importPublicJwk(theirs.jwk as never, "X25519"),
          encryptionKid: theirs.kid,
        },
      );
      pairwise.set(k.kid, k.key);
    }
  }
  const computed = { signing, pairwise };
  forNode.set(cacheKey, computed);
  return computed;
}

/** Keys derived for a peer, per node and per pair of key ids: the X25519 agreement runs once, not per message. */
const derived = new WeakMap<
  object,
  Map<string, { signingKey: KeyObject; pairwise: { kid: string; key: Buffer } }>
>();

export function peerCrypto(ctx: Ctx, mine: NodeKeys, p: Selectable<PeersTable>) {
  const key = `${p.node_id}|${p.signing_kid}|${p.encryption_kid}|${mine.encryption.kid}`;
  let forNode = derived.get(ctx.config);
  if (!forNode) {
    forNode = new Map();
    derived.set(ctx.config, forNode);
  }
  const hit = forNode.get(key);
  if (hit) return hit;
  const computed = derivePeerCrypto(ctx, mine, p);
  forNode.set(key, computed);
  return computed;
}

function derivePeerCrypto(ctx: Ctx, mine: NodeKeys, p: Selectable<PeersTable>) {
  const signingKey = importPublicJwk(p.signing_jwk as never, "Ed25519");
  const pairwise = pairwiseKey(
    { nodeId: ctx.config.nodeId, encryption: mine.encryption },
    {
      nodeId: p.node_id,
      encryptionKey: importPublicJwk(p.encryption_jwk as never, "X25519"),
      encryptionKid: p.encryption_kid,
    },
  );
  return { signingKey, pairwise };
}
