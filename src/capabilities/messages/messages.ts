/**
 * The liaison officers' messages (issue 4, DESIGN.md M5): notices, information requests
 * and replies composed by people; the inbox and outbox as they read them, links to their
 * cases, forwarding under TLP and handling codes, and sending dead letters again. The
 * exchange beneath (src/platform/exchange) queues, carries and receives them.
 */
import { type Selectable, sql } from "kysely";
import type { CaseView, CreateCaseInput } from "../../domain/cases.ts";
import { AppError } from "../../domain/errors.ts";
import {
  type CaseMessages,
  forwardRefusal,
  type InboxMessageDetail,
  type InboxMessageView,
  markedFor,
  type OutboxMessageView,
  type SendMessageInput,
} from "../../domain/federation.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { InboxTable } from "../../platform/db/schema.ts";
import { contentOf, presentOutbox, queueMessages } from "../../platform/exchange/outbox.ts";
import type { MessageTypes } from "../../platform/exchange/registry.ts";
import { iso } from "../../platform/time.ts";
import { casesWith, caseWith, createCase, me } from "../cases/index.ts";

function presentInbox(m: Selectable<InboxTable>): InboxMessageView {
  return {
    id: m.id,
    sender: m.sender,
    ...contentOf(m),
    thread: m.thread,
    tlp: m.tlp,
    handling: m.handling,
    namedRecipients: m.named_recipients,
    restrictions: m.restrictions,
    sentAt: iso(m.sent_at),
    receivedAt: iso(m.received_at),
    forwardable: forwardRefusal(m) === null,
    judicialUse: !m.handling.includes("H1"),
  };
}

/**
 * Queue a message to the chosen peers (or every active peer), in the caller's
 * transaction: if the change that causes it rolls back, nothing is sent.
 */
export async function sendMessage(
  ctx: Ctx,
  input: SendMessageInput,
  forwardedFrom?: string,
): Promise<OutboxMessageView[]> {
  return (await queueChecked(ctx, [input], () => "body", forwardedFrom))[0] ?? [];
}

/**
 * Queue several messages at once (a national system feeding the exchange, e.g. a
 * ransom watch per bank alert): all or none, in one transaction, with the same
 * checks as one message; an error names the message by its index.
 * Returns, per message, what was queued for each recipient.
 */
export async function sendMessages(
  ctx: Ctx,
  inputs: readonly SendMessageInput[],
): Promise<OutboxMessageView[][]> {
  return queueChecked(ctx, inputs, (i) => `body.messages.${i}`);
}

/** A message about a case is sent only by someone on that case's team (others do not know it exists). */
async function queueChecked(
  ctx: Ctx,
  inputs: readonly SendMessageInput[],
  at: (i: number) => string,
  forwardedFrom?: string,
): Promise<OutboxMessageView[][]> {
  return inTransaction(ctx, async (tx) => {
    // One query for every case the messages name (a batch may name up to a hundred).
    const named = inputs.flatMap((m) => (m.caseId ? [m.caseId] : []));
    const mine = await casesWith(tx, named, "case.read");
    if (named.some((id) => !mine.has(id))) throw AppError.notFound("case");
    return queueMessages(tx, inputs, at, forwardedFrom);
  });
}

/** The outbox holds what this node told its peers, personal data included: reading it is audited. */
export async function listOutbox(
  ctx: Ctx,
  input: { status?: string | undefined; thread?: string | undefined; limit: number },
  purpose: string,
) {
  return inTransaction(ctx, async (tx) => {
    let q = tx.db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(input.limit);
    if (input.status) q = q.where("status", "=", input.status);
    if (input.thread) q = q.where("thread", "=", input.thread);
    const rows = await q.execute();
    await audit(tx, {
      event: "messages.viewed",
      purpose,
      details: {
        box: "outbox",
        status: input.status ?? null,
        thread: input.thread ?? null,
        count: rows.length,
      },
    });
    return rows.map(presentOutbox);
  });
}

/** `markedFor` in SQL, over the inbox (or its alias): TLP:RED only where the user is named. */
function markedForUser(username: string, alias?: string) {
  const col = (c: string) => sql.ref(alias ? `${alias}.${c}` : c);
  return sql<boolean>`(${col("tlp")} <> 'red' OR ${username} = ANY(${col("named_recipients")}))`;
}

/** The caller's user name: TLP:RED messages are shown to the people they name, and nobody else. */
async function usernameOf(ctx: Ctx): Promise<string> {
  if (!ctx.actor.userId) return "";
  const u = await ctx.db
    .selectFrom("users")
    .select("username")
    .where("id", "=", ctx.actor.userId)
    .executeTakeFirst();
  return u?.username ?? "";
}

/** A received message, if the caller may see it (TLP:RED: only its named recipients). */
async function visibleInbox(ctx: Ctx, id: string) {
  const m = await ctx.db.selectFrom("inbox").selectAll().where("id", "=", id).executeTakeFirst();
  if (!m || !markedFor({ tlp: m.tlp, namedRecipients: m.named_recipients }, await usernameOf(ctx))) {
    throw AppError.notFound("message");
  }
  return m;
}

export async function listInbox(
  ctx: Ctx,
  types: MessageTypes,
  input: { thread?: string | undefined; limit: number },
  purpose: string,
) {
  return inTransaction(ctx, async (tx) => {
    const me = await usernameOf(tx);
    let q = tx.db
      .selectFrom("inbox")
      .selectAll()
      .where(markedForUser(me))
      // The node's own messages (hit/no-hit, returns) are answered by the node, not read here.
      .where("mtype", "not in", types.nodeTypes())
      .orderBy("received_at", "desc")
      .limit(input.limit);
    if (input.thread) q = q.where("thread", "=", input.thread);
    const rows = await q.execute();
    await audit(tx, {
      event: "messages.viewed",
      purpose,
      details: { box: "inbox", thread: input.thread ?? null, count: rows.length },
    });
    return rows.map(presentInbox);
  });
}

/** The local cases a message is linked to, of those the caller is on the team of. */
async function linksOf(ctx: Ctx, messageId: string): Promise<InboxMessageDetail["links"]> {
  const rows = await ctx.db
    .selectFrom("message_case_links as l")
    .innerJoin("cases as c", "c.id", "l.case_id")
    .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "c.id").on("t.user_id", "=", me(ctx)))
    .select(["c.id", "c.reference", "c.title", "l.linked_at", "l.opened_case"])
    .where("l.message_id", "=", messageId)
    .orderBy("l.linked_at")
    .execute();
  return rows.map((r) => ({
    caseId: r.id,
    reference: r.reference,
    title: r.title,
    linkedAt: iso(r.linked_at),
    openedFromMessage: r.opened_case,
  }));
}

/**
 * What the federation carried about one case, for its team: the received messages
 * linked to it (TLP:RED only for its named recipients) and what this node sent
 * about it. A case the caller is not on does not exist; the read is audited.
 */
export async function caseMessages(ctx: Ctx, caseId: string, purpose: string): Promise<CaseMessages> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.read");
    const me = await usernameOf(tx);
    const received = await tx.db
      .selectFrom("message_case_links as l")
      .innerJoin("inbox as m", "m.id", "l.message_id")
      .selectAll("m")
      .select(["l.linked_at", "l.opened_case"])
      .where("l.case_id", "=", caseId)
      .where(markedForUser(me, "m"))
      .orderBy("m.received_at", "desc")
      .limit(500)
      .execute();
    const sent = await tx.db
      .selectFrom("outbox")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("id", "desc")
      .limit(500)
      .execute();
    await audit(tx, {
      event: "messages.viewed",
      targetType: "case",
      targetId: caseId,
      purpose,
      details: { box: "case", received: received.length, sent: sent.length },
    });
    return {
      received: received.map(({ linked_at, opened_case, ...m }) => ({
        ...presentInbox(m),
        linkedAt: iso(linked_at),
        openedFromMessage: opened_case,
      })),
      sent: sent.map(presentOutbox),
    };
  });
}

/** One received message, read in full (audited with the stated purpose), with the caller's linked cases. */
export async function getInboxMessage(ctx: Ctx, id: string, purpose: string): Promise<InboxMessageDetail> {
  return inTransaction(ctx, async (tx) => {
    const m = await visibleInbox(tx, id);
    await audit(tx, {
      event: "message.viewed",
      targetType: "message",
      targetId: id,
      purpose,
      details: { sender: m.sender, type: m.mtype },
    });
    return { ...presentInbox(m), links: await linksOf(tx, id) };
  });
}

async function insertLink(tx: Ctx, m: Selectable<InboxTable>, caseId: string, openedCase: boolean) {
  const inserted = await tx.db
    .insertInto("message_case_links")
    .values({
      message_id: m.id,
      case_id: caseId,
      linked_at: new Date(),
      linked_by: me(tx),
      opened_case: openedCase,
    })
    .onConflict((oc) => oc.columns(["message_id", "case_id"]).doNothing())
    .returning("case_id")
    .executeTakeFirst();
  if (!inserted) throw AppError.field("body.caseId", "is already linked to this message", "conflict");
  await audit(tx, {
    event: "message.linked",
    targetType: "message",
    targetId: m.id,
    details: {
      caseId,
      sender: m.sender,
      type: m.mtype,
      openedCase,
      // H1 travels with the link: the case's prosecutors see that the sender's permission is needed in court.
      judicialUse: !m.handling.includes("H1"),
    },
  });
}

/** Link a received message to a local case the caller works on (need-to-know: other cases do not exist). */
export async function linkMessageToCase(
  ctx: Ctx,
  id: string,
  input: { caseId: string },
): Promise<InboxMessageDetail> {
  return inTransaction(ctx, async (tx) => {
    const m = await visibleInbox(tx, id);
    await caseWith(tx, input.caseId, "case.records");
    await insertLink(tx, m, input.caseId, false);
    return { ...presentInbox(m), links: await linksOf(tx, id) };
  });
}

/**
 * Open a local case from a received notice, linked to it, in one transaction:
 * the caller leads the new case, as with any case they open.
 */
export async function openCaseFromMessage(
  ctx: Ctx,
  id: string,
  input: CreateCaseInput,
): Promise<{ case: CaseView; message: InboxMessageDetail }> {
  // The route is for liaison work; opening a case also needs the right to open one.
  if (!ctx.actor.permissions.has("cases.create")) throw AppError.notFound("message");
  return inTransaction(ctx, async (tx) => {
    const m = await visibleInbox(tx, id);
    const opened = await createCase(tx, input);
    await insertLink(tx, m, opened.id, true);
    return { case: opened, message: { ...presentInbox(m), links: await linksOf(tx, id) } };
  });
}

/** For a reconnecting live inbox (SSE `Last-Event-ID`): what arrived after that message, as the caller may hear of it. */
export async function inboxEventsAfter(ctx: Ctx, types: MessageTypes, lastId: string) {
  const last = await ctx.db
    .selectFrom("inbox")
    .select("received_at")
    .where("id", "=", lastId)
    .executeTakeFirst();
  if (!last) return [];
  const username = await usernameOf(ctx);
  const rows = await ctx.db
    .selectFrom("inbox")
    .select(["id", "sender", "mtype", "mversion", "tlp", "named_recipients", "body"])
    // A batch is stored at one instant: the message id orders within it.
    .where(sql<boolean>`(received_at, id) > (${last.received_at}, ${lastId}::uuid)`)
    .where(markedForUser(username))
    .orderBy("received_at")
    .orderBy("id")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    sender: r.sender,
    type: r.mtype,
    tlp: r.tlp,
    namedRecipients: r.named_recipients,
    urgent: types.urgent(r.mtype, r.mversion, r.body),
  }));
}

/**
 * Pass a received message on to other peers, as the receiving node may under
 * its TLP and handling codes (see forwardRefusal): a new message in a new
 * thread, with the same type, body, TLP and handling, noting where it came from.
 */
export async function forwardMessage(
  ctx: Ctx,
  id: string,
  input: { to: string[] },
): Promise<OutboxMessageView[]> {
  return inTransaction(ctx, async (tx) => {
    const m = await visibleInbox(tx, id);
    const refusal = forwardRefusal(m);
    if (refusal) throw AppError.field("params.id", `may not be passed on: ${refusal}`, "invalid_state");
    if (input.to.includes(m.sender)) throw AppError.field("body.to", `${m.sender} sent it`);
    // The same type, version, body and marking, in a new thread (forwardRefusal allowed only
    // CLEAR or GREEN without H2 or H3: no named recipients or restrictions travel on).
    const [sent = []] = await queueMessages(
      tx,
      [
        {
          to: input.to,
          ...contentOf(m),
          tlp: m.tlp as SendMessageInput["tlp"],
          handling: m.handling as SendMessageInput["handling"],
        },
      ],
      () => "body",
      m.id,
    );
    await audit(tx, {
      event: "message.forwarded",
      targetType: "message",
      targetId: id,
      details: { from: m.sender, to: input.to, ids: sent.map((x) => x.id) },
    });
    return sent;
  });
}

/** Send a dead or rejected message again, with a fresh lifetime. */
export async function retryMessage(ctx: Ctx, id: string): Promise<OutboxMessageView> {
  return inTransaction(ctx, async (tx) => {
    const m = await tx.db
      .selectFrom("outbox")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!m) throw AppError.notFound("message");
    if (m.status !== "dead" && m.status !== "rejected") {
      throw AppError.field(
        "params.id",
        `is ${m.status}: only a dead or rejected message is sent again`,
        "invalid_state",
      );
    }
    const now = new Date();
    const row = await tx.db
      .updateTable("outbox")
      .set({
        status: "queued",
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        expires_at: new Date(now.getTime() + tx.config.federation.messageTtlMs),
        done_at: null,
        last_error: null,
        receipt: null,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "message.retried",
      targetType: "message",
      targetId: id,
      details: { from: m.status },
    });
    return presentOutbox(row);
  });
}

/** For the live inbox: the stream tells a TLP:RED arrival only to its named recipients. */
export async function mayHearOf(ctx: Ctx, m: { tlp: string; namedRecipients: string[] }): Promise<boolean> {
  return markedFor(m, await usernameOf(ctx));
}
