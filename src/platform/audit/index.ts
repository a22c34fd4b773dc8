/**
 * The audit trail. `audit()` is the one helper that writes an entry, in the
 * caller's transaction, so the entry commits or rolls back with the change.
 * Writers take no lock. The sealer (`sealPending`, run by `AuditSealer` about
 * four times a second, and by every CLI command that writes) then gives each
 * committed entry its place in one hash chain:
 *
 *   hash(n) = SHA-256( hash(n-1) || int8(seq n) || UTF-8(JCS(payload n)) )
 *
 * where payload is the entry's columns as a JSON object canonicalised per
 * RFC 8785. `verifyChain` (the CLI's `ariadne audit verify`) recomputes it all
 * and names the first edited, inserted or deleted entry.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { type Kysely, type Selectable, sql } from "kysely";
import type { AuditEvent } from "../../domain/audit-events.ts";
import type { Ctx } from "../context.ts";
import type { AuditLogTable, Database } from "../db/schema.ts";

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

const MAX_LABEL = 200;
const clip = (s: string | null | undefined, n = MAX_LABEL) => (s == null ? null : s.slice(0, n));

/** Append one entry to the trail. Must run inside the transaction of the change it records. */
function auditRow(ctx: Ctx, input: AuditInput, at: Date) {
  return {
    at,
    actor_id: ctx.actor.userId,
    actor_label: clip(input.actorLabel ?? ctx.actor.label) ?? "",
    event: input.event,
    target_type: clip(input.targetType),
    target_id: clip(input.targetId),
    purpose: clip(input.purpose, 500),
    request_id: clip(ctx.requestId),
    ip: clip(ctx.ip),
    details: JSON.stringify(input.details ?? {}),
    seq: null,
    prev_hash: null,
    hash: null,
  };
}

export async function audit(ctx: Ctx, input: AuditInput): Promise<void> {
  await ctx.db
    .insertInto("audit_log")
    .values(auditRow(ctx, input, new Date()))
    .execute();
}

/** Several entries of one change in one statement, in the order given (one round trip, not one each). */
export async function auditMany(ctx: Ctx, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const at = new Date();
  await ctx.db
    .insertInto("audit_log")
    .values(inputs.map((i) => auditRow(ctx, i, at)))
    .execute();
}

type Entry = Selectable<AuditLogTable>;

/** The hash of an entry at position `seq`, chained to `prev`. */
export function entryHash(
  prev: Uint8Array,
  row: Omit<Entry, "id" | "prev_hash" | "hash">,
  seq = row.seq,
): Buffer {
  if (seq == null) throw new Error("entryHash: the entry has no position in the chain");
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigInt64BE(BigInt(seq));
  const text = canonicalize({
    at: new Date(row.at).toISOString(),
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
  if (text === undefined) throw new Error("entryHash: the entry cannot be canonicalised");
  return createHash("sha256").update(prev).update(seqBytes).update(text, "utf8").digest();
}

/**
 * Chain the committed entries that have no place yet, oldest first, in one
 * transaction that holds the chain head. Returns how many were sealed.
 */
export async function sealPending(db: Kysely<Database>, batch = 2000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await sql<{
      seq: number;
      hash: Uint8Array;
    }>`SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`.execute(trx);
    const h = head.rows[0];
    if (!h) throw new Error("audit: the chain head is missing");
    const rows = await trx
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", "is", null)
      .orderBy("id")
      .limit(batch)
      .execute();
    if (rows.length === 0) return 0;
    let prev: Buffer = Buffer.from(h.hash);
    let seq = h.seq;
    const ids: number[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      seq++;
      const hash = entryHash(prev, row, seq);
      ids.push(row.id);
      seqs.push(seq);
      prevs.push(prev.toString("hex"));
      hashes.push(hash.toString("hex"));
      prev = hash;
    }
    await sql`
      UPDATE audit_log AS a
         SET seq = v.seq, prev_hash = decode(v.prev_hex, 'hex'), hash = decode(v.hash_hex, 'hex')
        FROM unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, seq, prev_hex, hash_hex)
       WHERE a.id = v.id`.execute(trx);
    await sql`UPDATE audit_head SET seq = ${seq}, hash = decode(${prev.toString("hex")}, 'hex') WHERE id = 1`.execute(
      trx,
    );
    return rows.length;
  });
}

/** Seal until nothing is pending. */
export async function sealAll(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealPending(db);
    total += n;
    if (n === 0) return total;
  }
}

/** Runs the sealer in the background of a node, a few times a second. */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onError: (e: unknown) => void,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => sealAll(this.db)).catch(this.onError);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stop the timer and seal what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await sealAll(this.db).catch(this.onError);
  }
}

export interface VerifyResult {
  ok: boolean;
  /** Entries verified in the chain. */
  entries: number;
  /** Committed entries still waiting for the sealer (verified on the next run). */
  pending: number;
  head: { seq: number; hash: string };
  /** The first entry that breaks the chain, and why. */
  firstBroken?: { seq: number; reason: string };
}

const ZERO = Buffer.alloc(32);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Walk the whole chain in order and recompute every hash. Reports the first
 * entry that was edited, inserted or deleted, and checks the head so that a
 * truncated tail is caught too. `expect` checks an anchor recorded earlier
 * (its seq and hash, as printed by a previous run), which catches a chain
 * rewritten from that point on by someone who recomputed every hash.
 */
export async function verifyChain(
  db: Kysely<Database>,
  opts: {
    pageSize?: number;
    expect?: { seq: number; hash: string };
    /**
     * Verify from this entry on only, trusting the hash of the entry before it (the recent part of
     * a long chain, checked at start while the whole chain is checked in the background).
     */
    from?: number;
    /** Called after each page with the number of entries verified so far and the head's seq. */
    onProgress?: (entries: number, of: number) => void;
    /** Stops the walk between pages (throws the signal's reason). */
    signal?: AbortSignal;
  } = {},
): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  const headRow = await db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirst();
  const pendingRow = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("seq", "is", null)
    .executeTakeFirst();
  const pending = Number(pendingRow?.n ?? 0);
  let count = 0;
  if (!headRow) {
    return {
      ok: false,
      entries: 0,
      pending,
      head: { seq: 0, hash: hex(ZERO) },
      firstBroken: { seq: 0, reason: "chain head missing" },
    };
  }
  const head = { seq: headRow.seq, hash: hex(headRow.hash) };
  const fail = (seq: number, reason: string): VerifyResult => ({
    ok: false,
    entries: count,
    pending,
    head,
    firstBroken: { seq, reason },
  });
  const from = Math.max(1, Math.min(opts.from ?? 1, head.seq + 1));
  let prev: Buffer = ZERO;
  if (from > 1) {
    const before = await db
      .selectFrom("audit_log")
      .select("hash")
      .where("seq", "=", from - 1)
      .executeTakeFirst();
    if (!before?.hash) return fail(from - 1, `entry ${from - 1} is missing (deleted)`);
    prev = Buffer.from(before.hash);
  }
  let expectedSeq = from;
  let after = from - 1;
  for (;;) {
    opts.signal?.throwIfAborted();
    // Only up to the head read above: entries sealed while we walk belong to the next run.
    const rows = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">", after)
      .where("seq", "<=", head.seq)
      .orderBy("seq")
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = row.seq ?? 0;
      if (seq !== expectedSeq) {
        return fail(
          expectedSeq,
          seq > expectedSeq ? `entry ${expectedSeq} is missing (deleted)` : `unexpected sequence ${seq}`,
        );
      }
      if (!row.prev_hash || !Buffer.from(row.prev_hash).equals(prev)) {
        return fail(seq, "previous-hash link does not match the entry before (inserted or reordered entry)");
      }
      const h = entryHash(prev, row);
      if (!row.hash || !h.equals(Buffer.from(row.hash)))
        return fail(seq, "content does not match its hash (edited entry)");
      if (opts.expect && opts.expect.seq === seq && opts.expect.hash !== h.toString("hex")) {
        return fail(seq, "does not match the anchor recorded earlier (the chain was rewritten)");
      }
      prev = h;
      expectedSeq++;
      count++;
    }
    opts.onProgress?.(count, head.seq - from + 1);
    if (rows.length < pageSize) break;
    after = rows.at(-1)?.seq ?? after;
  }
  const last = from - 1 + count;
  if (head.seq !== last)
    return fail(
      last + 1,
      `head says ${head.seq} entries but ${last} were found (entries deleted at the end)`,
    );
  if (head.hash !== prev.toString("hex")) return fail(last, "head hash does not match the last entry");
  if (opts.expect && opts.expect.seq > last)
    return fail(opts.expect.seq, "the anchored entry no longer exists");
  return { ok: true, entries: count, pending, head };
}
