/**
 * Receiving: open envelopes from peers, check everything before anything is written, and
 * store each message once in the inbox, answering with a signed receipt. A node's own
 * message types (registered with a handler) are acted on in the transaction that stores them.
 */
import type { KeyObject } from "node:crypto";
import { HANDLING, TLP } from "../../domain/cases.ts";
import { MAX_RESTRICTIONS } from "../../domain/federation.ts";
import { usernameSchema } from "../../domain/schemas.ts";
import { type EnvelopeError, type EnvelopeHeader, open } from "../../engines/federation/envelope.ts";
import { signReceipt } from "../../engines/federation/receipt.ts";
import { type AuditInput, auditMany } from "../audit/index.ts";
import { type Ctx, inTransaction } from "../context.ts";
import { type PeerKeys, peerKeys } from "./peer-keys.ts";
import { nodeKeys, refreshPeer } from "./peers.ts";
import type { MessageTypes } from "./registry.ts";

/** The most envelopes one batch carries (`POST /api/federation/envelopes` as application/json). */
export const MAX_BATCH_ENVELOPES = 100;

/** The largest batch body in bytes: room for many envelopes, or for one of the largest a node accepts. */
export function maxBatchBytes(maxMessageBytes: number): number {
  return Math.max(1024 * 1024, 2 * maxMessageBytes);
}

/** What the node answers to an envelope: a signed receipt when the sender is authenticated. */
export interface Delivery {
  /** 500: not stored, for a reason of this node's own (in a batch only: the sender tries again). */
  status: 200 | 400 | 403 | 500;
  receipt?: string;
  reason?: string;
  /** What went wrong on this node (status 500), for its log. */
  error?: unknown;
  /** Refused before its sender was authenticated (403): who the envelope claimed to be from. */
  claimedSender?: string;
  /** A message received before, sent again (a retry after a lost receipt, or a replay): not processed twice. */
  duplicate?: { id: string; sender: string };
  /** A message received for the first time (not a duplicate), for the live inbox. */
  received?: {
    id: string;
    sender: string;
    type: string;
    tlp: string;
    urgent: boolean;
    namedRecipients: string[];
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What jsonb cannot hold, as JSON.stringify writes it: NUL, and a lone surrogate. */
const UNSTORABLE_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i;
const TLPS: readonly string[] = TLP;
const HANDLING_CODES: readonly string[] = HANDLING;

/** The sender an envelope claims, read from its header: only a claim until the signature holds. */
function claimedSender(token: string): string {
  try {
    const h = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as {
      iss?: unknown;
    };
    return typeof h.iss === "string" ? h.iss : "";
  } catch {
    return ""; // malformed: open() says so
  }
}

/**
 * A well-signed header this node could not store or could not honour: ids that are not
 * UUIDs, a TLP or handling code it does not know (it could not enforce it), recipients
 * that are not user names, a creation time out of range.
 */
function headerFault(h: EnvelopeHeader): string | null {
  if (!UUID.test(h.jti) || !UUID.test(h.thr)) return "the message and thread ids must be UUIDs";
  if (!TLPS.includes(h.tlp)) return `TLP ${JSON.stringify(h.tlp)} is not known here`;
  const unknown = h.hc.find((c) => !HANDLING_CODES.includes(c));
  if (unknown !== undefined) return `handling code ${JSON.stringify(unknown)} is not known here`;
  if (h.rcp && (h.rcp.length > 20 || !h.rcp.every((u) => usernameSchema.safeParse(u).success))) {
    return "the named recipients must be at most 20 user names";
  }
  // H3 is honoured only with its restrictions in words; words without H3 would be ignored.
  if (h.hc.includes("H3") !== (h.hr !== undefined)) return "H3 and its restrictions (hr) come together";
  if (h.hr !== undefined && (!h.hr.trim() || h.hr.length > MAX_RESTRICTIONS || !h.hr.isWellFormed())) {
    return `the restrictions must be 1 to ${MAX_RESTRICTIONS} characters of text`;
  }
  if (!Number.isSafeInteger(h.iat) || h.iat < 0) return "the creation time is out of range";
  return null;
}

/** An envelope checked before anything is written: refused (with its header when the signature held), or to store. */
type Checked =
  | { ok: false; reason: string; header?: EnvelopeHeader; claimed: string }
  | { ok: true; header: EnvelopeHeader; body: string; urgent: boolean; token: string };

function check(
  ctx: Ctx,
  types: MessageTypes,
  token: string,
  claimed: string,
  peers: Map<string, PeerKeys>,
): Checked {
  const peer = peers.get(claimed);
  let opened: { header: EnvelopeHeader; body: unknown };
  try {
    opened = open(token, {
      self: ctx.config.nodeId,
      signingKeyOf: (nodeId: string, kid: string): KeyObject | undefined =>
        peer && nodeId === peer.row.node_id ? peer.accept.signing.get(kid) : undefined,
      pairwiseKeyOf: (nodeId, kid) =>
        peer && nodeId === peer.row.node_id ? peer.accept.pairwise.get(kid) : undefined,
      accepts: (type, version) => types.get(type, version) !== undefined,
      maxSkewSeconds: ctx.config.federation.maxSkewSeconds,
      maxBytes: ctx.config.federation.maxMessageBytes,
    });
  } catch (e) {
    const err = e as EnvelopeError;
    if (!err.reason) throw e;
    return { ok: false, reason: err.reason, ...(err.header ? { header: err.header } : {}), claimed };
  }
  const { header } = opened;
  if (headerFault(header)) return { ok: false, reason: "invalid_header", header, claimed };
  const parsed = types.get(header.mt, header.mv)?.body.safeParse(opened.body);
  if (!parsed?.success) return { ok: false, reason: "invalid_body", header, claimed };
  const body = JSON.stringify(parsed.data);
  if (UNSTORABLE_JSON.test(body)) return { ok: false, reason: "invalid_body", header, claimed };
  return { ok: true, header, body, urgent: types.urgent(header.mt, header.mv, parsed.data), token };
}

/** What became of one envelope, decided in the transaction; the receipt is signed after commit. */
type Outcome =
  | { kind: "refused"; reason: string; header?: EnvelopeHeader; claimed?: string }
  | { kind: "stored"; header: EnvelopeHeader; urgent: boolean }
  | { kind: "duplicate"; header: EnvelopeHeader };

/**
 * Store what passed every check in one statement (each message once, by its id), and
 * audit each envelope: received, or refused with its reason.
 */
async function store(tx: Ctx, types: MessageTypes, checked: readonly Checked[]): Promise<Outcome[]> {
  const first = new Map<string, number>();
  checked.forEach((c, i) => {
    if (c.ok && !first.has(c.header.jti)) first.set(c.header.jti, i);
  });
  const now = new Date();
  const fresh = [...first.values()].map((i) => checked[i] as Extract<Checked, { ok: true }>);
  const stored = new Set(
    fresh.length
      ? (
          await tx.db
            .insertInto("inbox")
            .values(
              fresh.map(({ header, body, token }) => ({
                id: header.jti,
                sender: header.iss,
                mtype: header.mt,
                mversion: header.mv,
                thread: header.thr,
                tlp: header.tlp,
                handling: header.hc,
                body,
                named_recipients: header.rcp ?? [],
                restrictions: header.hc.includes("H3") ? (header.hr ?? null) : null,
                sent_at: new Date(header.iat * 1000),
                received_at: now,
                envelope: token,
              })),
            )
            .onConflict((oc) => oc.column("id").doNothing())
            .returning("id")
            .execute()
        ).map((r) => r.id)
      : [],
  );
  // Seen before (a retry after a lost receipt, or a replay), or twice in this batch: never processed twice.
  const seen = checked.filter(
    (c, i): c is Extract<Checked, { ok: true }> =>
      c.ok && !(stored.has(c.header.jti) && first.get(c.header.jti) === i),
  );
  const senders = new Map(
    seen.length
      ? (
          await tx.db
            .selectFrom("inbox")
            .select(["id", "sender"])
            .where(
              "id",
              "in",
              seen.map((c) => c.header.jti),
            )
            .execute()
        ).map((r) => [r.id, r.sender])
      : [],
  );
  const outcomes: Outcome[] = [];
  const entries: AuditInput[] = [];
  for (const [i, c] of checked.entries()) {
    let o: Outcome;
    if (!c.ok)
      o = {
        kind: "refused",
        reason: c.reason,
        claimed: c.claimed,
        ...(c.header ? { header: c.header } : {}),
      };
    else if (stored.has(c.header.jti) && first.get(c.header.jti) === i)
      o = { kind: "stored", header: c.header, urgent: c.urgent };
    else if (senders.get(c.header.jti) === c.header.iss) o = { kind: "duplicate", header: c.header };
    else o = { kind: "refused", reason: "replayed_id", header: c.header };
    // Refused before its sender was authenticated: anyone can send those, so they are counted
    // per minute by the caller (access.refused, platform/audit/refusals.ts), not an entry each.
    if (o.kind === "refused" && o.header) {
      entries.push({
        event: "message.refused",
        targetType: "message",
        ...(o.header ? { targetId: o.header.jti } : {}),
        details: { reason: o.reason, claimedSender: (c.ok ? c.header.iss : c.claimed) || null },
      });
    } else if (o.kind === "stored") {
      const h = o.header;
      entries.push({
        event: "message.received",
        targetType: "message",
        targetId: h.jti,
        details: { sender: h.iss, type: h.mt, thread: h.thr, tlp: h.tlp, handling: h.hc },
      });
    }
    outcomes.push(o);
  }
  // One entry per envelope, in the batch's order, written in one statement.
  await auditMany(tx, entries);
  // The node's own types (hit/no-hit, annual returns…): their capability's handler runs in the
  // transaction that stores them, so each is processed exactly once, with its inbox row.
  for (const c of fresh) {
    if (!stored.has(c.header.jti)) continue;
    const def = types.get(c.header.mt, c.header.mv);
    if (!def?.receive) continue;
    await def.receive(tx, {
      id: c.header.jti,
      sender: c.header.iss,
      thread: c.header.thr,
      type: c.header.mt,
      version: c.header.mv,
      body: JSON.parse(c.body),
    });
  }
  return outcomes;
}

/**
 * Open envelopes from peers and store each message once, in one transaction: every
 * envelope is checked first and accepted or refused on its own, so that one refused
 * does not cost the others. Everything refused is audited with its reason; a sender
 * whose signature held gets a signed negative receipt, anyone else a plain refusal.
 * Should the database still refuse the batch, each envelope is tried on its own.
 */
export async function receiveEnvelopes(
  ctx: Ctx,
  types: MessageTypes,
  tokens: readonly string[],
): Promise<Delivery[]> {
  const mine = await nodeKeys(ctx);
  const claims = tokens.map(claimedSender);
  let peers = await peerKeys(ctx, mine, claims);
  const checked = tokens.map((t, i) => check(ctx, types, t, claims[i] ?? "", peers));
  // An active peer signing with a key this node does not know may have rotated its keys:
  // fetch its descriptor (throttled) and, if its approved key endorsed new ones, check again.
  const rotated = new Set(
    checked.flatMap((c) =>
      !c.ok && c.reason === "unknown_sender" && peers.has(c.claimed) ? [c.claimed] : [],
    ),
  );
  if (rotated.size > 0 && !ctx.db.isTransaction) {
    const refreshed = await Promise.all([...rotated].map((id) => refreshPeer(ctx, id)));
    if (refreshed.some(Boolean)) {
      peers = await peerKeys(ctx, mine, claims);
      checked.forEach((c, i) => {
        if (!c.ok && rotated.has(c.claimed))
          checked[i] = check(ctx, types, tokens[i] ?? "", c.claimed, peers);
      });
    }
  }
  let outcomes: Outcome[];
  try {
    outcomes = await inTransaction(ctx, (tx) => store(tx, types, checked));
  } catch (e) {
    if (tokens.length < 2 || ctx.db.isTransaction) throw e;
    const each: Delivery[] = [];
    for (const t of tokens) {
      try {
        each.push(...(await receiveEnvelopes(ctx, types, [t])));
      } catch (error) {
        each.push({ status: 500, reason: "not stored: an error on the receiving node", error });
      }
    }
    return each;
  }
  const self = ctx.config.nodeId;
  const receipt = (
    h: EnvelopeHeader,
    status: "processed" | "rejected",
    reason?: string,
    duplicate?: boolean,
  ) =>
    signReceipt(
      {
        jti: h.jti,
        iss: self,
        aud: h.iss,
        status,
        iat: Math.floor(Date.now() / 1000),
        ...(reason ? { reason } : {}),
        ...(duplicate ? { duplicate } : {}),
      },
      mine.signing.privateKey,
      mine.signing.kid,
    );
  return outcomes.map((o): Delivery => {
    if (o.kind === "refused") {
      return o.header
        ? { status: 400, reason: o.reason, receipt: receipt(o.header, "rejected", o.reason) }
        : { status: 403, reason: o.reason, claimedSender: o.claimed ?? "" };
    }
    if (o.kind === "duplicate")
      return {
        status: 200,
        receipt: receipt(o.header, "processed", undefined, true),
        duplicate: { id: o.header.jti, sender: o.header.iss },
      };
    const h = o.header;
    return {
      status: 200,
      receipt: receipt(h, "processed"),
      received: {
        id: h.jti,
        sender: h.iss,
        type: h.mt,
        tlp: h.tlp,
        namedRecipients: h.rcp ?? [],
        // Notices about a person held or wanted, and requests marked urgent, call for attention now.
        urgent: o.urgent,
      },
    };
  });
}

/** One envelope (application/jose): as a batch of one. */
export async function receiveEnvelope(ctx: Ctx, types: MessageTypes, token: string): Promise<Delivery> {
  const [d] = await receiveEnvelopes(ctx, types, [token]);
  if (!d) throw new Error("receiveEnvelope: no answer");
  return d;
}
