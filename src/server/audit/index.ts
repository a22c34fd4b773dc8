/**
 * The audit trail: one helper writes every entry, in the caller's transaction,
 * hash-chained to the one before. Anyone can re-run `verifyChain` (the CLI's
 * `ariadne audit verify`) to detect an edited, inserted or deleted entry.
 *
 * hash(n) = SHA-256( hash(n-1) || int8(seq n) || UTF-8(JCS(payload n)) )
 * where payload is the entry's columns as a JSON object canonicalised per RFC 8785.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { type Kysely, sql } from "kysely";
import type { AuditEvent } from "../../domain/audit-events.ts";
import type { Ctx } from "../context.ts";
import type { Database } from "../db/schema.ts";

export interface AuditInput {
  event: AuditEvent;
  targetType?: string;
  targetId?: string;
  /** Why personal data was read or changed: declared by the route or stated by the user. */
  purpose?: string;
  details?: Record<string, unknown>;
  /** Override the actor label (failed logins record the username tried). */
  actorLabel?: string;
}

interface Payload {
  at: string;
  actorId: string | null;
  actorLabel: string;
  event: string;
  targetType: string | null;
  targetId: string | null;
  purpose: string | null;
  requestId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

function canonicalPayload(p: Payload): string {
  const s = canonicalize(p);
  if (s === undefined) throw new Error("audit: payload cannot be canonicalised");
  return s;
}

const MAX_LABEL = 200;
const clip = (s: string | null | undefined, n = MAX_LABEL) => (s == null ? null : s.slice(0, n));

/** Append one entry to the trail. Must run inside the transaction of the change it records. */
export async function audit(ctx: Ctx, input: AuditInput): Promise<number> {
  const payload: Payload = {
    at: new Date().toISOString(),
    actorId: ctx.actor.userId,
    actorLabel: clip(input.actorLabel ?? ctx.actor.label) ?? "",
    event: input.event,
    targetType: clip(input.targetType),
    targetId: clip(input.targetId),
    purpose: clip(input.purpose, 500),
    requestId: clip(ctx.requestId),
    ip: clip(ctx.ip),
    details: input.details ?? {},
  };
  const text = canonicalPayload(payload);
  const { rows } = await sql<{ seq: number }>`
    WITH prev AS (SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE),
    head AS (
      UPDATE audit_head AS h
         SET seq = prev.seq + 1,
             hash = sha256(prev.hash || int8send(prev.seq + 1) || convert_to(${text}, 'UTF8'))
        FROM prev
       WHERE h.id = 1
      RETURNING h.seq, h.hash, prev.hash AS prev_hash
    )
    INSERT INTO audit_log (seq, at, actor_id, actor_label, event, target_type, target_id, purpose,
                           request_id, ip, details, prev_hash, hash)
    SELECT head.seq, ${payload.at}::timestamptz, ${payload.actorId}::uuid, ${payload.actorLabel}, ${payload.event},
           ${payload.targetType}, ${payload.targetId}, ${payload.purpose}, ${payload.requestId}, ${payload.ip},
           ${JSON.stringify(payload.details)}::jsonb, head.prev_hash, head.hash
      FROM head
    RETURNING seq`.execute(ctx.db);
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error("audit: the chain head is missing");
  return seq;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  /** The first entry that breaks the chain, and why. */
  firstBroken?: { seq: number; reason: string };
}

type Row = {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_label: string;
  event: string;
  target_type: string | null;
  target_id: string | null;
  purpose: string | null;
  request_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: Uint8Array;
  hash: Uint8Array;
};

export function entryHash(prev: Uint8Array, row: Row): Buffer {
  const seq = Buffer.alloc(8);
  seq.writeBigInt64BE(BigInt(row.seq));
  const text = canonicalPayload({
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    event: row.event,
    targetType: row.target_type,
    targetId: row.target_id,
    purpose: row.purpose,
    requestId: row.request_id,
    ip: row.ip,
    details: row.details,
  });
  return createHash("sha256").update(prev).update(seq).update(text, "utf8").digest();
}

const ZERO = Buffer.alloc(32);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Walk the whole chain in order and recompute every hash. Reports the first
 * entry that was edited, inserted or deleted, and checks the head so that a
 * truncated tail is caught too. `expect` checks an anchor recorded earlier.
 */
export async function verifyChain(
  db: Kysely<Database>,
  opts: { pageSize?: number; expect?: { seq: number; hash: string } } = {},
): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  let prev: Buffer = ZERO;
  let expectedSeq = 1;
  let count = 0;
  let after = 0;
  const headRow = await db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirst();
  if (!headRow) {
    return {
      ok: false,
      entries: 0,
      head: { seq: 0, hash: hex(ZERO) },
      firstBroken: { seq: 0, reason: "chain head missing" },
    };
  }
  const head = { seq: headRow.seq, hash: hex(headRow.hash) };
  const fail = (seq: number, reason: string): VerifyResult => ({
    ok: false,
    entries: count,
    head,
    firstBroken: { seq, reason },
  });
  for (;;) {
    const rows = (await db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(pageSize)
      .execute()) as Row[];
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return fail(
          expectedSeq,
          row.seq > expectedSeq
            ? `entry ${expectedSeq} is missing (deleted)`
            : `unexpected sequence ${row.seq}`,
        );
      }
      if (!Buffer.from(row.prev_hash).equals(prev))
        return fail(
          row.seq,
          "previous-hash link does not match the entry before (inserted or reordered entry)",
        );
      const h = entryHash(prev, row);
      if (!h.equals(Buffer.from(row.hash)))
        return fail(row.seq, "content does not match its hash (edited entry)");
      if (opts.expect && opts.expect.seq === row.seq && opts.expect.hash !== h.toString("hex")) {
        return fail(row.seq, "does not match the anchor recorded earlier (the chain was rewritten)");
      }
      prev = h;
      expectedSeq++;
      count++;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]?.seq ?? after;
  }
  if (head.seq !== count)
    return fail(
      count + 1,
      `head says ${head.seq} entries but ${count} were found (entries deleted at the end)`,
    );
  if (head.hash !== prev.toString("hex")) return fail(count, "head hash does not match the last entry");
  if (opts.expect && opts.expect.seq > count)
    return fail(opts.expect.seq, "the anchored entry no longer exists");
  return { ok: true, entries: count, head };
}
