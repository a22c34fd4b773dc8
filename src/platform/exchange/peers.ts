/**
 * The node's identity in the federation (issue 4): its keys, created on first
 * use and kept sealed with the node's secret key, and its signed descriptor.
 */

import type { JWK } from "jose";
import type { Selectable } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { PeerStatus, PeerView } from "../../domain/federation.ts";
import { endorsedBy, signDescriptor, verifyDescriptor } from "../../engines/federation/descriptor.ts";
import {
  exportPrivateKey,
  fingerprint,
  generateNodeKeys,
  importKeyPair,
  importPublicJwk,
  type NodeKeyPair,
  type NodeKeys,
  publicJwk,
} from "../../engines/federation/keys.ts";
import { audit } from "../audit/index.ts";
import { type Ctx, inTransaction, systemActor } from "../context.ts";
import type { PeersTable } from "../db/schema.ts";
import { iso } from "../time.ts";
import { peerFetch } from "./peer-http.ts";

async function openPair(ctx: Ctx, sealed: string): Promise<NodeKeyPair> {
  return importKeyPair(Buffer.from(ctx.box.open(sealed), "base64"));
}

async function activeKeys(ctx: Ctx): Promise<NodeKeys | null> {
  const rows = await ctx.db
    .selectFrom("node_keys")
    .select(["use", "private_sealed"])
    .where("retired_at", "is", null)
    .execute();
  const open = async (use: string): Promise<NodeKeyPair | null> => {
    const row = rows.find((r) => r.use === use);
    return row ? openPair(ctx, row.private_sealed) : null;
  };
  const [signing, encryption] = [await open("sig"), await open("enc")];
  return signing && encryption ? { signing, encryption } : null;
}

/** The keys the last rotation retired, while its overlap lasts: still accepted, no longer used to sign. */
async function retiredKeys(ctx: Ctx): Promise<PreviousKeys | null> {
  const since = new Date(Date.now() - ctx.config.federation.keyOverlapMs);
  const latest = async (use: string) =>
    ctx.db
      .selectFrom("node_keys")
      .select(["private_sealed", "retired_at"])
      .where("use", "=", use)
      .where("retired_at", ">", since)
      .orderBy("retired_at", "desc")
      .limit(1)
      .executeTakeFirst();
  const [sig, enc] = [await latest("sig"), await latest("enc")];
  if (!sig?.retired_at || !enc) return null;
  return {
    keys: {
      signing: await openPair(ctx, sig.private_sealed),
      encryption: await openPair(ctx, enc.private_sealed),
    },
    until: new Date(new Date(sig.retired_at).getTime() + ctx.config.federation.keyOverlapMs),
  };
}

export interface PreviousKeys {
  keys: NodeKeys;
  /** When the overlap ends. */
  until: Date;
}

/**
 * Keys read once per node configuration (a process may hold several nodes: the
 * sandbox, tests) and read again after a minute, so that a rotation made by
 * another process (the CLI beside a node on a PostgreSQL server) is seen.
 */
const cache = new WeakMap<object, { current: NodeKeys; previous: PreviousKeys | null; at: number }>();
const CACHE_MS = 60_000;

async function keyState(ctx: Ctx) {
  const cached = cache.get(ctx.config);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached;
  const current = (await activeKeys(ctx)) ?? (await createKeys(ctx));
  const state = { current, previous: await retiredKeys(ctx), at: Date.now() };
  cache.set(ctx.config, state);
  return state;
}

/** The node's active keys; the first call on a new node creates them (once, however many callers race). */
export async function nodeKeys(ctx: Ctx): Promise<NodeKeys> {
  return (await keyState(ctx)).current;
}

/** The keys a rotation retired, while the overlap lasts (null otherwise). */
export async function previousNodeKeys(ctx: Ctx): Promise<PreviousKeys | null> {
  const p = (await keyState(ctx)).previous;
  return p && p.until.getTime() > Date.now() ? p : null;
}

async function insertKeys(tx: Ctx, fresh: NodeKeys): Promise<number> {
  let created = 0;
  for (const [use, pair] of [
    ["sig", fresh.signing],
    ["enc", fresh.encryption],
  ] as const) {
    const r = await tx.db
      .insertInto("node_keys")
      .values({
        kid: pair.kid,
        use,
        public_jwk: JSON.stringify(publicJwk(pair, use)),
        private_sealed: tx.box.seal(exportPrivateKey(pair.privateKey).toString("base64")),
        created_at: new Date(),
      })
      .onConflict((oc) => oc.column("use").where("retired_at", "is", null).doNothing())
      .returning("kid")
      .executeTakeFirst();
    if (r) created++;
  }
  return created;
}

async function createKeys(ctx: Ctx): Promise<NodeKeys> {
  const fresh = await generateNodeKeys();
  await inTransaction(ctx, async (tx) => {
    if ((await insertKeys(tx, fresh)) > 0) {
      await audit(tx, {
        event: "federation.keys_created",
        details: { signing: fresh.signing.kid, encryption: fresh.encryption.kid },
      });
    }
  });
  const keys = await activeKeys(ctx);
  if (!keys) throw new Error("node keys could not be created");
  return keys;
}

/**
 * Rotate the node's keys: new signing and encryption keys from now on; the old
 * ones are still accepted until the overlap ends (ARIADNE_FEDERATION_KEY_OVERLAP_HOURS).
 * The descriptor carries the old key's endorsement of the new ones meanwhile, so
 * that peers that approved the old key take the new ones without a new
 * out-of-band comparison; they fetch it when they meet the new key.
 */
export async function rotateNodeKeys(
  ctx: Ctx,
): Promise<{ signing: string; encryption: string; overlapUntil: string }> {
  const before = await nodeKeys(ctx);
  const fresh = await generateNodeKeys();
  const now = new Date();
  await inTransaction(ctx, async (tx) => {
    const retired = await tx.db
      .updateTable("node_keys")
      .set({ retired_at: now })
      .where("retired_at", "is", null)
      .where("kid", "in", [before.signing.kid, before.encryption.kid])
      .returning("kid")
      .execute();
    if (retired.length !== 2) {
      throw AppError.field("keys", "were rotated by someone else meanwhile: look again", "conflict");
    }
    if ((await insertKeys(tx, fresh)) !== 2) throw new Error("new node keys could not be stored");
    await audit(tx, {
      event: "federation.keys_rotated",
      details: {
        previous: { signing: before.signing.kid, encryption: before.encryption.kid },
        signing: fresh.signing.kid,
        encryption: fresh.encryption.kid,
        overlapHours: ctx.config.federation.keyOverlapMs / 3_600_000,
      },
    });
  });
  cache.delete(ctx.config);
  return {
    signing: fingerprint(fresh.signing.kid),
    encryption: fingerprint(fresh.encryption.kid),
    overlapUntil: new Date(now.getTime() + ctx.config.federation.keyOverlapMs).toISOString(),
  };
}

export async function nodeDescriptor(ctx: Ctx) {
  const keys = await nodeKeys(ctx);
  const previous = await previousNodeKeys(ctx);
  const endpoint = ctx.config.publicUrl ?? `http://${ctx.config.host}:${ctx.config.port}`;
  return {
    nodeId: ctx.config.nodeId,
    descriptor: signDescriptor(
      { nodeId: ctx.config.nodeId, name: ctx.config.nodeName, endpoint },
      keys,
      previous?.keys.signing,
    ),
    fingerprints: { signing: fingerprint(keys.signing.kid), encryption: fingerprint(keys.encryption.kid) },
  };
}

// ---- Peers ----------------------------------------------------------------------------------------

function presentPeer(p: Selectable<PeersTable>): PeerView {
  return {
    nodeId: p.node_id,
    name: p.name,
    endpoint: p.endpoint,
    status: p.status as PeerView["status"],
    statusReason: p.status_reason,
    fingerprints: { signing: fingerprint(p.signing_kid), encryption: fingerprint(p.encryption_kid) },
    issuedAt: iso(p.issued_at),
    importedAt: iso(p.imported_at),
    approvedAt: p.approved_at ? iso(p.approved_at) : null,
    updatedAt: iso(p.updated_at),
  };
}

export async function listPeers(ctx: Ctx): Promise<PeerView[]> {
  const rows = await ctx.db.selectFrom("peers").selectAll().orderBy("node_id").execute();
  return rows.map(presentPeer);
}

/** The peers as a liaison officer addresses them: id, name and state — not their keys or endpoints. */
export async function listPartners(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom("peers")
    .select(["node_id", "name", "status"])
    .orderBy("node_id")
    .execute();
  return rows.map((p) => ({ nodeId: p.node_id, name: p.name, status: p.status as PeerStatus }));
}

async function peerRow(ctx: Ctx, nodeId: string, forUpdate = false) {
  let q = ctx.db.selectFrom("peers").selectAll().where("node_id", "=", nodeId);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw AppError.notFound("peer");
  return row;
}

/**
 * Import a peer's signed descriptor. A new peer, or a known one whose keys
 * changed, waits for an administrator's approval; a newer descriptor with the
 * same keys only updates the name and endpoint. An older descriptor is refused.
 */
export async function importPeer(ctx: Ctx, input: { descriptor: string }): Promise<PeerView> {
  let v: Awaited<ReturnType<typeof verifyDescriptor>>;
  try {
    v = await verifyDescriptor(input.descriptor);
  } catch (e) {
    throw AppError.field("body.descriptor", (e as Error).message);
  }
  const d = v.descriptor;
  if (d.nodeId === ctx.config.nodeId)
    throw AppError.field("body.descriptor", "is this node's own descriptor");
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("peers")
      .selectAll()
      .where("node_id", "=", d.nodeId)
      .forUpdate()
      .executeTakeFirst();
    if (before && new Date(before.issued_at) > new Date(d.issuedAt)) {
      throw AppError.field("body.descriptor", "is older than the descriptor already imported", "conflict");
    }
    const keysChanged =
      !before || before.signing_kid !== v.signingKid || before.encryption_kid !== v.encryptionKid;
    // A rotation: the key an administrator approved endorses the new ones, so the peer stays active.
    const endorsed =
      before !== undefined &&
      keysChanged &&
      before.status === "active" &&
      endorsedBy(v, {
        kid: before.signing_kid,
        key: importPublicJwk(before.signing_jwk as JWK, "Ed25519"),
      });
    const now = new Date();
    const values = {
      name: d.name,
      endpoint: d.endpoint,
      descriptor: input.descriptor.trim(),
      issued_at: d.issuedAt,
      signing_kid: v.signingKid,
      signing_jwk: JSON.stringify(d.jwks.keys.find((k) => k.kid === v.signingKid)),
      encryption_kid: v.encryptionKid,
      encryption_jwk: JSON.stringify(d.jwks.keys.find((k) => k.kid === v.encryptionKid)),
      updated_at: now,
      // New keys are trusted only after a person has compared their fingerprints again —
      // unless the approved key endorsed them; the previous keys then still count until the overlap ends.
      ...(endorsed && before
        ? {
            previous_signing_kid: before.signing_kid,
            previous_signing_jwk: JSON.stringify(before.signing_jwk),
            previous_encryption_kid: before.encryption_kid,
            previous_encryption_jwk: JSON.stringify(before.encryption_jwk),
            previous_until: new Date(now.getTime() + tx.config.federation.keyOverlapMs),
          }
        : keysChanged
          ? { status: "pending", status_reason: before ? "keys changed: compare the new fingerprints" : null }
          : {}),
    };
    const row = before
      ? await tx.db
          .updateTable("peers")
          .set(values)
          .where("node_id", "=", d.nodeId)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx.db
          .insertInto("peers")
          .values({
            ...values,
            node_id: d.nodeId,
            status: "pending",
            status_reason: null,
            imported_at: now,
            imported_by: tx.actor.userId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "peer.imported",
      targetType: "peer",
      targetId: d.nodeId,
      details: {
        signing: v.signingKid,
        encryption: v.encryptionKid,
        keysChanged,
        endorsed,
        endpoint: d.endpoint,
      },
    });
    return presentPeer(row);
  });
}

const squash = (f: string) => f.replace(/[^0-9a-f]/gi, "").toUpperCase();

/** Approve a pending (or suspended) peer; the administrator types the fingerprint they compared. */
export async function approvePeer(
  ctx: Ctx,
  nodeId: string,
  input: { signingFingerprint: string },
): Promise<PeerView> {
  return inTransaction(ctx, async (tx) => {
    const p = await peerRow(tx, nodeId, true);
    if (squash(input.signingFingerprint) !== squash(fingerprint(p.signing_kid))) {
      throw AppError.field(
        "body.signingFingerprint",
        "does not match the peer's signing key: compare it again with the peer's administrator",
      );
    }
    if (p.status === "active")
      throw AppError.field("params.nodeId", "is already an active peer", "invalid_state");
    const row = await tx.db
      .updateTable("peers")
      .set({
        status: "active",
        status_reason: null,
        approved_at: new Date(),
        approved_by: tx.actor.userId,
        updated_at: new Date(),
      })
      .where("node_id", "=", nodeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "peer.approved",
      targetType: "peer",
      targetId: nodeId,
      details: { signing: p.signing_kid },
    });
    return presentPeer(row);
  });
}

/** Suspend a peer: nothing is accepted from it or sent to it until it is approved again. */
export async function suspendPeer(ctx: Ctx, nodeId: string, input: { reason: string }): Promise<PeerView> {
  return inTransaction(ctx, async (tx) => {
    const p = await peerRow(tx, nodeId, true);
    if (p.status === "suspended")
      throw AppError.field("params.nodeId", "is already suspended", "invalid_state");
    const row = await tx.db
      .updateTable("peers")
      .set({ status: "suspended", status_reason: input.reason, updated_at: new Date() })
      .where("node_id", "=", nodeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "peer.suspended",
      targetType: "peer",
      targetId: nodeId,
      details: { reason: input.reason, from: p.status },
    });
    return presentPeer(row);
  });
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Production speaks HTTPS between nodes; plain HTTP only to a peer on this machine,
 * and only in the sandbox (or where configured for tests: ARIADNE_FEDERATION_PLAIN_LOOPBACK).
 */
export function deliverable(endpoint: string, plainLoopback: boolean): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === "https:" || (plainLoopback && u.protocol === "http:" && LOOPBACK.has(u.hostname));
  } catch {
    return false;
  }
}

/** How often a node may fetch one peer's descriptor on meeting a key it does not know. */
const REFRESH_EVERY_MS = 15_000;

/**
 * An active peer used a key this node does not know: fetch its descriptor from
 * the endpoint an administrator approved and import it. New keys are taken only
 * when the approved key endorses them (a rotation); anything else leaves the
 * peer pending for a person to compare. At most once per peer every few seconds,
 * so that a stream of forged envelopes cannot make the node fetch in a loop.
 * Answers whether the peer is active with new keys.
 */
export async function refreshPeer(ctx: Ctx, nodeId: string): Promise<boolean> {
  const now = new Date();
  const claimed = await ctx.db
    .updateTable("peers")
    .set({ refreshed_at: now })
    .where("node_id", "=", nodeId)
    .where("status", "=", "active")
    .where((eb) =>
      eb.or([
        eb("refreshed_at", "is", null),
        eb("refreshed_at", "<", new Date(now.getTime() - REFRESH_EVERY_MS)),
      ]),
    )
    .returning(["endpoint", "signing_kid"])
    .executeTakeFirst();
  if (!claimed || !deliverable(claimed.endpoint, ctx.config.federation.plainLoopback)) return false;
  let descriptor: string;
  try {
    const res = await peerFetch(ctx.config)(new URL("/api/federation/descriptor", claimed.endpoint), {
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return false;
    descriptor = ((await res.json()) as { descriptor?: unknown }).descriptor as string;
    if (typeof descriptor !== "string") return false;
  } catch {
    return false;
  }
  const system = { ...ctx, actor: systemActor("federation") };
  try {
    const peer = await importPeer(system, { descriptor });
    return peer.status === "active" && peer.fingerprints.signing !== fingerprint(claimed.signing_kid);
  } catch {
    return false;
  }
}
