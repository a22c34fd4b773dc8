/**
 * The transactional outbox: a message is queued in the transaction of the change that
 * causes it (if that rolls back, nothing is sent), one row per recipient, and the delivery
 * worker carries it afterwards, at least once. Who may send what, and about which case, is
 * the calling capability's to check; the outbox checks the recipients and threads.
 */
import { type Selectable, sql } from "kysely";
import { uuidv7 } from "uuidv7";
import { AppError } from "../../domain/errors.ts";
import {
  type MessageContent,
  messageBodySchema,
  type OutboxMessageView,
  type QueuedMessageInput,
} from "../../domain/federation.ts";
import { auditMany } from "../audit/index.ts";
import { type Ctx, inTransaction } from "../context.ts";
import type { OutboxTable } from "../db/schema.ts";
import { iso } from "../time.ts";

/**
 * A stored message's type, version and body. The body was checked against its type's schema
 * when it was queued (the outbox refuses a body its schema does not accept) or received.
 */
export function contentOf(m: { mtype: string; mversion: number; body: unknown }): MessageContent {
  return { type: m.mtype, version: m.mversion, body: m.body } as MessageContent;
}

export function presentOutbox(m: Selectable<OutboxTable>): OutboxMessageView {
  return {
    id: m.id,
    recipient: m.recipient,
    ...contentOf(m),
    thread: m.thread,
    tlp: m.tlp,
    handling: m.handling,
    caseId: m.case_id,
    namedRecipients: m.named_recipients,
    restrictions: m.restrictions,
    createdAt: iso(m.created_at),
    expiresAt: iso(m.expires_at),
    status: m.status as OutboxMessageView["status"],
    attempts: m.attempts,
    nextAttemptAt: iso(m.next_attempt_at),
    lastError: m.last_error,
    doneAt: m.done_at ? iso(m.done_at) : null,
  };
}

/**
 * Queue messages to the chosen peers (or every active peer), all or none, in the caller's
 * transaction; `at(i)` names the i-th message in an error. Returns, per message, a row per recipient.
 */
export async function queueMessages(
  ctx: Ctx,
  inputs: readonly QueuedMessageInput[],
  at: (i: number) => string,
  forwardedFrom?: string,
): Promise<OutboxMessageView[][]> {
  return inTransaction(ctx, async (tx) => {
    const active = await tx.db.selectFrom("peers").select("node_id").where("status", "=", "active").execute();
    const activeIds = new Set(active.map((p) => p.node_id));
    const threads = [...new Set(inputs.flatMap((m) => (m.thread ? [m.thread] : [])))];
    const known = new Set<string>();
    if (threads.length > 0) {
      const rows = await tx.db
        .selectFrom("outbox")
        .select("thread")
        .where("thread", "in", threads)
        .union(tx.db.selectFrom("inbox").select("thread").where("thread", "in", threads))
        .execute();
      for (const r of rows) known.add(r.thread);
    }
    const now = new Date();
    const plans = inputs.map((input, i) => {
      const recipients = input.to === "all" ? [...activeIds] : [...new Set(input.to)];
      if (recipients.length === 0) throw AppError.field(`${at(i)}.to`, "there is no active peer to send to");
      for (const [j, r] of recipients.entries()) {
        if (!activeIds.has(r)) throw AppError.field(`${at(i)}.to.${j}`, `${r} is not an active peer`);
      }
      if (input.thread && !known.has(input.thread))
        throw AppError.field(`${at(i)}.thread`, "is not a thread this node has sent or received");
      // The node never sends what a peer would refuse: the body must pass its type's schema.
      const schema = messageBodySchema(input.type, input.version);
      if (!schema)
        throw AppError.field(`${at(i)}.version`, `is not a version of ${input.type} this node sends`);
      const checked = schema.safeParse(input.body);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw AppError.field(
          [`${at(i)}.body`, ...(issue?.path ?? []).map(String)].join("."),
          issue?.message ?? "does not match its type",
        );
      }
      return { input, recipients, thread: input.thread ?? uuidv7(), ids: recipients.map(() => uuidv7()) };
    });
    const values = plans.flatMap(({ input, recipients, thread, ids }) =>
      recipients.map((recipient, j) => ({
        id: ids[j] as string,
        recipient,
        mtype: input.type,
        mversion: input.version,
        thread,
        tlp: input.tlp,
        handling: [...new Set(input.handling)].sort(),
        body: JSON.stringify(input.body),
        case_id: input.caseId ?? null,
        named_recipients: input.namedRecipients ?? [],
        restrictions: input.handling.includes("H3") ? (input.restrictions?.trim() ?? null) : null,
        forwarded_from: forwardedFrom ?? null,
        created_at: now,
        created_by: tx.actor.userId,
        expires_at: new Date(now.getTime() + tx.config.federation.messageTtlMs),
        status: "queued",
        next_attempt_at: now,
      })),
    );
    // A statement carries at most 65,535 parameters: 1,000 rows of 16 columns each stay well below.
    const rows: Selectable<OutboxTable>[] = [];
    for (let i = 0; i < values.length; i += 1000) {
      rows.push(
        ...(await tx.db
          .insertInto("outbox")
          .values(values.slice(i, i + 1000))
          .returningAll()
          .execute()),
      );
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    const queued = plans.map((p) => p.ids.map((id) => byId.get(id) as Selectable<OutboxTable>));
    await auditMany(
      tx,
      plans.map(({ input, recipients, thread, ids }) => ({
        event: "message.sent",
        targetType: "thread",
        targetId: thread,
        details: {
          type: input.type,
          recipients,
          ids,
          caseId: input.caseId ?? null,
          tlp: input.tlp,
          handling: input.handling,
          forwardedFrom: forwardedFrom ?? null,
        },
      })),
    );
    return queued.map((q) => q.map(presentOutbox));
  });
}

/**
 * Messages waiting, oldest due first, and the active peers they go to: of each thread
 * to each peer only the oldest queued message, so that a thread keeps its order.
 * `exclude`: messages already on their way (still queued until their receipt is in);
 * `recipients`: which of the active peers to look for (all by default).
 */
export async function dueMessages(
  ctx: Ctx,
  limit: number,
  opts: { exclude?: readonly string[]; recipients?: (nodeId: string) => boolean } = {},
) {
  const active = await ctx.db.selectFrom("peers").selectAll().where("status", "=", "active").execute();
  const peers = new Map(active.map((p) => [p.node_id, p]));
  const to = active.map((p) => p.node_id).filter((id) => opts.recipients?.(id) ?? true);
  if (to.length === 0) return { messages: [], peers };
  // The recipients as a list rather than a join with peers, and the thread check as a
  // subquery per row: the plan then walks the due index in order and stops at the limit
  // (with the join, PostgreSQL checked every queued row first: 40 ms rather than 1 ms for
  // 400 of 10,000 queued).
  let q = ctx.db
    .selectFrom("outbox as o")
    .selectAll("o")
    .where("o.status", "=", "queued")
    .where("o.next_attempt_at", "<=", new Date())
    .where(sql<boolean>`o.recipient = ANY(${to}::text[])`)
    .where(
      sql<boolean>`(SELECT NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'queued' AND e.recipient = o.recipient
        AND e.thread = o.thread AND e.id < o.id))`,
    );
  if (opts.exclude?.length) q = q.where(sql<boolean>`o.id <> ALL(${opts.exclude}::uuid[])`);
  const messages = await q.orderBy("o.next_attempt_at").orderBy("o.id").limit(limit).execute();
  return { messages, peers };
}
