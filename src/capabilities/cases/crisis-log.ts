/**
 * The crisis log: append-only and hash-chained per case (the case row holds the head,
 * locked while appending, so only writers of the same case wait for each other); for
 * those whose case role holds crisis_log.read / crisis_log.write.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { crisisLogContentSchema } from "../../domain/cases.ts";
import { AppError } from "../../domain/errors.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { CasesTable, CrisisLogTable } from "../../platform/db/schema.ts";
import { iso } from "../../platform/time.ts";
import { caseWith, holds, me } from "./access.ts";
import { presentCrisisEntry as presentEntry } from "./presenters.ts";

type Content = z.output<typeof crisisLogContentSchema>;

/** hash(n) = SHA-256(hash(n-1) ‖ int4(seq) ‖ UTF-8(JCS(entry))), chained per case. */
export function crisisEntryHash(
  prev: Uint8Array,
  e: {
    seq: number;
    caseId: string;
    occurredAt: string;
    recordedAt: string;
    authorId: string;
    content: unknown;
    corrects: number | null;
  },
): Buffer {
  const seq = Buffer.alloc(4);
  seq.writeInt32BE(e.seq);
  const { seq: _s, ...rest } = e;
  const text = canonicalize(rest) ?? "";
  return createHash("sha256").update(prev).update(seq).update(text, "utf8").digest();
}

export async function appendCrisisLog(
  ctx: Ctx,
  id: string,
  input: { occurredAt?: string | undefined; entry: Content; corrects?: number | undefined },
) {
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, id, "crisis_log.write", { forUpdate: true });
    if (input.corrects !== undefined) {
      const target = await tx.db
        .selectFrom("crisis_log")
        .select("id")
        .where("id", "=", input.corrects)
        .where("case_id", "=", id)
        .executeTakeFirst();
      if (!target) throw AppError.field("body.corrects", "is not an entry of this case's crisis log");
    }
    const recordedAt = new Date();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : recordedAt;
    if (occurredAt.getTime() > recordedAt.getTime() + 60_000)
      throw AppError.field("body.occurredAt", "must not be in the future");
    const seq = c.log_seq + 1;
    const fields = {
      caseId: id,
      occurredAt: occurredAt.toISOString(),
      recordedAt: recordedAt.toISOString(),
      authorId: me(tx),
      content: input.entry,
      corrects: input.corrects ?? null,
    };
    const prev = Buffer.from(c.log_hash);
    const hash = crisisEntryHash(prev, { seq, ...fields });
    const row = await tx.db
      .insertInto("crisis_log")
      .values({
        case_id: id,
        seq,
        kind: input.entry.kind,
        occurred_at: occurredAt,
        recorded_at: recordedAt,
        author_id: fields.authorId,
        author_label: tx.actor.label,
        content: JSON.stringify(input.entry),
        corrects_id: fields.corrects,
        prev_hash: prev,
        hash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db
      .updateTable("cases")
      .set({ log_seq: seq, log_hash: hash, updated_at: recordedAt })
      .where("id", "=", id)
      .execute();
    await audit(tx, {
      event: "crisis_log.appended",
      targetType: "case",
      targetId: id,
      details: { seq, kind: input.entry.kind },
    });
    return presentEntry(row);
  });
}

/** May the caller follow this case's crisis log live? Throws 404 otherwise; the opening is audited. */
export async function openCrisisStream(ctx: Ctx, id: string, purpose: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await caseWith(tx, id, "crisis_log.read");
    await audit(tx, {
      event: "crisis_log.viewed",
      targetType: "case",
      targetId: id,
      purpose,
      details: { live: true },
    });
  });
}

/** Entries recorded after the one a reconnecting live stream saw last (SSE `Last-Event-ID`). */
export async function crisisEntriesAfter(ctx: Ctx, id: string, afterId: number) {
  await caseWith(ctx, id, "crisis_log.read");
  const rows = await ctx.db
    .selectFrom("crisis_log")
    .selectAll()
    .where("case_id", "=", id)
    .where("id", ">", afterId)
    .orderBy("seq")
    .limit(1000)
    .execute();
  return rows.map(presentEntry);
}

/** May the user still follow the case's crisis log? Checked before each live delivery. */
export async function onCrisisTeam(ctx: Ctx, id: string): Promise<boolean> {
  return holds(ctx, id, "crisis_log.read");
}

export async function readCrisisLog(ctx: Ctx, id: string, purpose: string) {
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, id, "crisis_log.read");
    // The log as of the head just read: an entry appended since (committed between the two
    // statements) is not taken for one inserted behind the chain's back; the node's full pass,
    // which rereads a suspect log under the case's lock, would find one that was.
    const rows = await tx.db
      .selectFrom("crisis_log")
      .selectAll()
      .where("case_id", "=", id)
      .where("seq", "<=", c.log_seq)
      .orderBy("seq")
      .execute();
    await audit(tx, {
      event: "crisis_log.viewed",
      targetType: "case",
      targetId: id,
      purpose,
      details: { entries: rows.length },
    });
    const firstBroken = crisisLogBreak(c, rows);
    return { entries: rows.map(presentEntry), verified: firstBroken === null, firstBroken };
  });
}

/** Recompute a case's crisis-log chain: true when no entry was edited, inserted or deleted. */
export function verifyCrisisRows(c: Selectable<CasesTable>, rows: Selectable<CrisisLogTable>[]): boolean {
  return crisisLogBreak(c, rows) === null;
}

/** The first entry of a case's crisis log that breaks its chain, and why (null when it holds). */
export function crisisLogBreak(
  c: Pick<Selectable<CasesTable>, "log_seq" | "log_hash">,
  rows: Selectable<CrisisLogTable>[],
): { seq: number; reason: string } | null {
  let prev: Buffer = Buffer.alloc(32);
  for (const [i, r] of rows.entries()) {
    if (r.seq !== i + 1) return { seq: i + 1, reason: "missing (an entry was deleted)" };
    if (!Buffer.from(r.prev_hash).equals(prev))
      return { seq: r.seq, reason: "does not follow the entry before it" };
    const h = crisisEntryHash(prev, {
      seq: r.seq,
      caseId: r.case_id,
      occurredAt: iso(r.occurred_at),
      recordedAt: iso(r.recorded_at),
      authorId: r.author_id,
      content: r.content,
      corrects: r.corrects_id,
    });
    if (!h.equals(Buffer.from(r.hash))) return { seq: r.seq, reason: "content does not match its hash" };
    prev = h;
  }
  if (rows.length !== c.log_seq) return { seq: rows.length + 1, reason: "missing (the log was cut short)" };
  if (!prev.equals(Buffer.from(c.log_hash)))
    return { seq: rows.length, reason: "the case's head does not match" };
  return null;
}
