/**
 * The node's identity in the federation (issue 4): its keys, created on first
 * use and kept sealed with the node's secret key, and its signed descriptor.
 */
import type { Selectable } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { PeerStatus, PeerView } from "../../domain/federation.ts";
import { signDescriptor, verifyDescriptor } from "../../engines/federation/descriptor.ts";
import {
  exportPrivateKey,
  fingerprint,
  generateNodeKeys,
  importKeyPair,
  type NodeKeyPair,
  type NodeKeys,
  publicJwk,
} from "../../engines/federation/keys.ts";
import { audit } from "../audit/index.ts";
import { type Ctx, inTransaction } from "../context.ts";
import type { PeersTable } from "../db/schema.ts";

async function activeKeys(ctx: Ctx): Promise<NodeKeys | null> {
  const rows = await ctx.db
    .selectFrom("node_keys")
    .select(["use", "private_sealed"])
    .where("retired_at", "is", null)
    .execute();
  const open = async (use: string): Promise<NodeKeyPair | null> => {
    const row = rows.find((r) => r.use === use);
    return row ? importKeyPair(Buffer.from(ctx.box.open(row.private_sealed), "base64")) : null;
  };
  const [signing, encryption] = [await open("sig"), await open("enc")];
  return signing && encryption ? { signing, encryption } : null;
}

/** Keys read once per node configuration (a process may hold several nodes: the sandbox, tests). */
const cache = new WeakMap<object, NodeKeys>();

/** The node's active keys; the first call on a new node creates them (once, however many callers race). */
export async function nodeKeys(ctx: Ctx): Promise<NodeKeys> {
  const cached = cache.get(ctx.config);
  if (cached) return cached;
  const existing = await activeKeys(ctx);
  if (existing) {
    cache.set(ctx.config, existing);
    return existing;
  }
  const fresh = await generateNodeKeys();
  await inTransaction(ctx, async (tx) => {
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
    if (created > 0) {
      await audit(tx, {
        event: "federation.keys_created",
        details: { signing: fresh.signing.kid, encryption: fresh.encryption.kid },
      });
    }
  });
  const keys = await activeKeys(ctx);
  if (!keys) throw new Error("node keys could not be created");
  cache.set(ctx.config, keys);
  return keys;
}

/** The node's signed public descriptor and the fingerprints a peer's administrator compares. */
export async function nodeDescriptor(ctx: Ctx) {
  const keys = await nodeKeys(ctx);
  const endpoint = ctx.config.publicUrl ?? `http://${ctx.config.host}:${ctx.config.port}`;
  return {
    nodeId: ctx.config.nodeId,
    descriptor: signDescriptor({ nodeId: ctx.config.nodeId, name: ctx.config.nodeName, endpoint }, keys),
    fingerprints: { signing: fingerprint(keys.signing.kid), encryption: fingerprint(keys.encryption.kid) },
  };
}

// ---- Peers ----------------------------------------------------------------------------------------

const iso = (d: Date | string) => new Date(d).toISOString();

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
      // New keys are trusted only after a person has compared their fingerprints again.
      ...(keysChanged
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
      details: { signing: v.signingKid, encryption: v.encryptionKid, keysChanged, endpoint: d.endpoint },
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
