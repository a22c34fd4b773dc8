/**
 * The delivery worker (issue 4): carries queued outbox messages to their peers,
 * at least once, with exponential backoff and jitter; keeps each thread in
 * order (the next message of a thread waits until the one before it is done);
 * moves messages that could not be delivered in time to the dead letters.
 * One worker per node process (the node runs as one process).
 *
 * Messages due to the same peer travel together: one HTTP request carries a batch
 * of envelopes (each still signed and encrypted on its own), the peer stores them
 * in one transaction and answers with a receipt per envelope, and the outcomes are
 * written back in one statement. A few requests are in flight at once.
 */

import { type Selectable, sql } from "kysely";
import { type EnvelopeHeader, seal } from "../../engines/federation/envelope.ts";
import { verifyReceipt } from "../../engines/federation/receipt.ts";
import { auditMany } from "../audit/index.ts";
import { type Ctx, inTransaction } from "../context.ts";
import type { OutboxTable, PeersTable } from "../db/schema.ts";
import { dueMessages } from "./outbox.ts";
import { peerFetch } from "./peer-http.ts";
import { acceptance, peerCrypto } from "./peer-keys.ts";
import { deliverable, nodeKeys, previousNodeKeys, refreshPeer } from "./peers.ts";
import { MAX_BATCH_ENVELOPES, maxBatchBytes } from "./receive.ts";

const MAX_DELAY_MS = 300_000;
/** A peer that did not understand a batch gets single envelopes for this long. */
const SINGLES_FOR_MS = 10 * 60_000;
/** Single envelopes to one peer in flight at once (when it takes no batches). */
const SINGLES_AT_ONCE = 16;

type Message = Selectable<OutboxTable>;
type Peer = Selectable<PeersTable>;
type Sealed = { m: Message; token: string };

/** What became of one message: done (processed, rejected, dead) with its receipt, or to be tried again. */
type Outcome = Done | Retry;
type Done = { m: Message; done: string; error: string | null; receipt: string | null };
type Retry = { m: Message; retry: string };
const isDone = (o: Outcome): o is Done => "done" in o;
const isRetry = (o: Outcome): o is Retry => "retry" in o;
/** The audit event of each way a message is done. */
const DONE_EVENT = {
  processed: "message.delivered",
  rejected: "message.rejected",
  dead: "message.dead",
} as const;

/** The answer of a peer to one request: an outcome per message, and whether the peer answered at all. */
interface Answer {
  outcomes: Outcome[];
  /** At least one receipt came back, signed by the peer. */
  answered: boolean;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Messages on their way (still queued until their receipt is in): not taken again meanwhile. */
  private readonly onTheirWay = new Set<string>();
  /** Peers whose last answer carried receipts. */
  private readonly answering = new Set<string>();
  /** Peers that did not understand a batch, until when they get single envelopes. */
  private readonly singlesUntil = new Map<string, number>();

  constructor(
    private readonly ctx: Ctx,
    private readonly onError: (e: unknown) => void,
    private readonly intervalMs = 200,
    /** Requests in flight at once. */
    private readonly window = 4,
    /** Envelopes per request. */
    private readonly batchSize = MAX_BATCH_ENVELOPES,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Look for due messages now (after a send), without waiting for the next tick. */
  kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      this.wake?.();
      return;
    }
    this.busy = true;
    this.running = this.drain()
      .catch(this.onError)
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.wake?.();
    await this.running;
  }

  /**
   * Deliver what is due, peer by peer. To a peer with nothing on its way, at once; while a
   * request to it is in flight, what comes due meanwhile waits for its answer and then goes
   * in the next request, so that messages travel alone when it is quiet and together under
   * load. A peer with a backlog (a full batch waiting) gets up to `window` requests at once.
   * A slow peer holds up only its own messages.
   */
  private async drain(): Promise<void> {
    const requests = new Set<Promise<void>>();
    const inFlight = new Map<string, number>();
    const backlog = new Set<string>();
    const free = (peer: string) => {
      const n = inFlight.get(peer) ?? 0;
      return n === 0 || (n < this.window && backlog.has(peer));
    };
    // Until a request finishes, or a kick says that something new is queued.
    const pause = () =>
      Promise.race([
        ...requests,
        new Promise<void>((resolve) => {
          this.wake = resolve;
        }),
      ]).finally(() => {
        this.wake = undefined;
      });
    let known: string[] = [];
    for (;;) {
      if (this.stopped) break;
      if (requests.size > 0 && known.length > 0 && !known.some(free)) {
        // Every peer has a request in flight: nothing to ask the database until one answers.
        await pause();
        continue;
      }
      this.again = false;
      const room = Math.max(1, this.window - requests.size) * this.batchSize;
      const { messages, peers } = await dueMessages(this.ctx, room, {
        exclude: [...this.onTheirWay],
        recipients: free,
      });
      known = [...peers.keys()];
      if (messages.length === 0) {
        if (requests.size === 0) return;
        if (!this.again) await pause();
        continue;
      }
      const byPeer = new Map<string, Message[]>();
      for (const m of messages) byPeer.set(m.recipient, [...(byPeer.get(m.recipient) ?? []), m]);
      for (const [recipient, all] of byPeer) {
        const peer = peers.get(recipient);
        if (!peer) continue;
        if (all.length >= this.batchSize) backlog.add(recipient);
        else backlog.delete(recipient);
        for (let i = 0; i < all.length && free(recipient); i += this.batchSize) {
          const batch = all.slice(i, i + this.batchSize);
          for (const m of batch) this.onTheirWay.add(m.id);
          inFlight.set(recipient, (inFlight.get(recipient) ?? 0) + 1);
          const request: Promise<void> = this.deliver(peer, batch)
            .catch(this.onError)
            .finally(() => {
              for (const m of batch) this.onTheirWay.delete(m.id);
              inFlight.set(recipient, (inFlight.get(recipient) ?? 1) - 1);
              requests.delete(request);
            });
          requests.add(request);
        }
      }
    }
    await Promise.all(requests);
  }

  /** Deliver messages due to one peer, and write down what became of each. */
  private async deliver(peer: Peer, batch: Message[]): Promise<void> {
    const ctx = this.ctx;
    const f = ctx.config.federation;
    const now = Date.now();
    const outcomes: Outcome[] = [];
    const live: Message[] = [];
    for (const m of batch) {
      if (
        now - new Date(m.created_at).getTime() > f.deadLetterMs ||
        now >= new Date(m.expires_at).getTime()
      ) {
        outcomes.push({ m, done: "dead", error: m.last_error ?? "not delivered in time", receipt: null });
      } else live.push(m);
    }
    if (live.length && !deliverable(peer.endpoint, f.plainLoopback)) {
      const error = f.plainLoopback
        ? `refusing plain HTTP to ${peer.endpoint}: only a loopback peer may be reached without TLS`
        : `refusing plain HTTP to ${peer.endpoint}: peers are reached over HTTPS`;
      for (const m of live) outcomes.push({ m, retry: error });
    } else if (live.length) {
      const sealed = await this.seal(peer, live, now);
      const answer =
        sealed.length > 1 && (this.singlesUntil.get(peer.node_id) ?? 0) <= now
          ? await this.postBatches(peer, sealed)
          : await this.postSingly(peer, sealed);
      outcomes.push(...answer.outcomes);
      await this.record(outcomes);
      if (!answer.answered) this.answering.delete(peer.node_id);
      else if (!this.answering.has(peer.node_id)) {
        this.answering.add(peer.node_id);
        await this.resume(peer.node_id);
      }
      return;
    }
    await this.record(outcomes);
  }

  private async seal(peer: Peer, messages: Message[], now: number): Promise<Sealed[]> {
    const ctx = this.ctx;
    const mine = await nodeKeys(ctx);
    const { pairwise } = peerCrypto(ctx, mine, peer);
    return messages.map((m) => {
      const header: EnvelopeHeader = {
        iss: ctx.config.nodeId,
        aud: m.recipient,
        jti: m.id,
        mt: m.mtype,
        mv: m.mversion,
        iat: Math.floor(now / 1000),
        exp: Math.floor(new Date(m.expires_at).getTime() / 1000),
        thr: m.thread,
        tlp: m.tlp,
        hc: m.handling,
        ...(m.named_recipients.length ? { rcp: m.named_recipients } : {}),
        ...(m.restrictions !== null ? { hr: m.restrictions } : {}),
      };
      const token = seal({
        header,
        body: m.body,
        signingKey: mine.signing.privateKey,
        signingKid: mine.signing.kid,
        pairwise,
      });
      return { m, token };
    });
  }

  /** The peer's receipt for a message, checked: signed by the peer's key, about this message, to us. */
  private async outcome(peer: Peer, m: Message, receipt: string): Promise<Outcome> {
    const ctx = this.ctx;
    const verify = async (p: Peer) => {
      const { signing } = acceptance(ctx, await nodeKeys(ctx), (await previousNodeKeys(ctx))?.keys, p);
      return verifyReceipt(receipt, {
        from: m.recipient,
        to: ctx.config.nodeId,
        jti: m.id,
        keyOf: (kid) => signing.get(kid),
      });
    };
    try {
      const r = await verify(peer);
      return { m, done: r.status, error: r.reason ?? null, receipt };
    } catch (e) {
      // Signed with a key this node does not know: the peer may have rotated its keys. Its
      // descriptor is fetched (at most every few seconds) and the receipt checked again.
      try {
        if (await refreshPeer(ctx, peer.node_id)) {
          const fresh = await ctx.db
            .selectFrom("peers")
            .selectAll()
            .where("node_id", "=", peer.node_id)
            .executeTakeFirstOrThrow();
          const r = await verify(fresh);
          return { m, done: r.status, error: r.reason ?? null, receipt };
        }
      } catch {
        // still not verifiable: retried below
      }
      return { m, retry: `bad receipt: ${(e as Error).message}` };
    }
  }

  /** Batches within the peer's limits (count and bytes), one request each, one after the other. */
  private async postBatches(peer: Peer, sealed: Sealed[]): Promise<Answer> {
    const limit = maxBatchBytes(this.ctx.config.federation.maxMessageBytes) - 64;
    const batches: Sealed[][] = [[]];
    let bytes = 0;
    for (const s of sealed) {
      const last = batches.at(-1) as Sealed[];
      const size = s.token.length + 3;
      if (last.length && (last.length >= this.batchSize || bytes + size > limit)) {
        batches.push([s]);
        bytes = size;
      } else {
        last.push(s);
        bytes += size;
      }
    }
    const all: Answer = { outcomes: [], answered: false };
    for (const b of batches) {
      const a = b.length > 1 ? await this.postBatch(peer, b) : await this.postSingly(peer, b);
      all.outcomes.push(...a.outcomes);
      all.answered ||= a.answered;
    }
    return all;
  }

  private async postBatch(peer: Peer, batch: Sealed[]): Promise<Answer> {
    const failed = (error: string): Answer => ({
      outcomes: batch.map(({ m }) => ({ m, retry: error })),
      answered: false,
    });
    let res: Response;
    try {
      res = await peerFetch(this.ctx.config)(new URL("/api/federation/envelopes", peer.endpoint), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ envelopes: batch.map((s) => s.token) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      return failed(`${peer.endpoint} unreachable: ${(e as Error).message}`);
    }
    let answer: { receipts?: unknown; errors?: unknown; error?: { message?: string } } = {};
    try {
      answer = (await res.json()) as typeof answer;
    } catch {
      // not JSON: handled below
    }
    const receipts = answer.receipts;
    if (res.status === 200 && Array.isArray(receipts) && receipts.length === batch.length) {
      const errors = new Map(
        (Array.isArray(answer.errors) ? (answer.errors as { index?: unknown; message?: unknown }[]) : []).map(
          (e) => [e.index, typeof e.message === "string" ? e.message : "refused"],
        ),
      );
      const outcomes = await Promise.all(
        batch.map(({ m }, i) => {
          const r: unknown = receipts[i];
          return typeof r === "string"
            ? this.outcome(peer, m, r)
            : ({ m, retry: `${res.status} without a receipt: ${errors.get(i) ?? "no answer"}` } as Outcome);
        }),
      );
      return { outcomes, answered: outcomes.some((o) => isDone(o) && o.receipt !== null) };
    }
    if (res.status >= 400 && res.status < 500) {
      // Not understood as a batch (a peer, or something in between, that takes single envelopes
      // only; or one too large for the peer): these go singly, and for a while the next too.
      if (res.status !== 413) this.singlesUntil.set(peer.node_id, Date.now() + SINGLES_FOR_MS);
      return this.postSingly(peer, batch);
    }
    return failed(`${res.status} without receipts: ${answer.error?.message ?? "no answer"}`);
  }

  /** Each envelope in a request of its own (application/jose), a few at a time. */
  private async postSingly(peer: Peer, sealed: Sealed[]): Promise<Answer> {
    const all: Answer = { outcomes: [], answered: false };
    for (let i = 0; i < sealed.length; i += SINGLES_AT_ONCE) {
      const answers = await Promise.all(
        sealed.slice(i, i + SINGLES_AT_ONCE).map((s) => this.postOne(peer, s)),
      );
      for (const a of answers) {
        all.outcomes.push(...a.outcomes);
        all.answered ||= a.answered;
      }
    }
    return all;
  }

  private async postOne(peer: Peer, { m, token }: Sealed): Promise<Answer> {
    const failed = (retry: string): Answer => ({ outcomes: [{ m, retry }], answered: false });
    let res: Response;
    try {
      res = await peerFetch(this.ctx.config)(new URL("/api/federation/envelopes", peer.endpoint), {
        method: "POST",
        headers: { "content-type": "application/jose" },
        body: token,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      return failed(`${peer.endpoint} unreachable: ${(e as Error).message}`);
    }
    let answer: { receipt?: unknown; error?: { message?: string } } = {};
    try {
      answer = (await res.json()) as typeof answer;
    } catch {
      // not JSON: handled below
    }
    if (typeof answer.receipt !== "string") {
      return failed(`${res.status} without a receipt: ${answer.error?.message ?? "no answer"}`);
    }
    const o = await this.outcome(peer, m, answer.receipt);
    return { outcomes: [o], answered: isDone(o) };
  }

  /**
   * A peer answers again after failing (or for the first time since this process started):
   * what waits for it in backoff is due now, rather than each message after its own delay.
   */
  private async resume(recipient: string): Promise<void> {
    const now = new Date();
    await this.ctx.db
      .updateTable("outbox")
      .set({ next_attempt_at: now })
      .where("status", "=", "queued")
      .where("recipient", "=", recipient)
      .where("attempts", ">", 0)
      .where("next_attempt_at", ">", now)
      .execute();
  }

  /**
   * Write every outcome down: one statement for those done, one for those to try again,
   * in one transaction with the audit entries of those done (delivered, refused by the
   * peer, moved to the dead letters): like every other write, through the audit helper.
   */
  private async record(outcomes: Outcome[]): Promise<void> {
    await inTransaction(this.ctx, (tx) => this.recordIn(tx, outcomes));
  }

  private async recordIn(tx: Ctx, outcomes: Outcome[]): Promise<void> {
    const db = tx.db;
    const done = outcomes.filter(isDone);
    const retry = outcomes.filter(isRetry);
    if (done.length) {
      const written = await sql<{ id: string }>`
        UPDATE outbox AS o
           SET status = v.status, done_at = ${new Date()}, last_error = v.last_error, receipt = v.receipt
          FROM unnest(${done.map((o) => o.m.id)}::uuid[], ${done.map((o) => o.done)}::text[],
                      ${done.map((o) => o.error)}::text[], ${done.map((o) => o.receipt)}::text[])
               AS v(id, status, last_error, receipt)
         WHERE o.id = v.id AND o.status = 'queued'
        RETURNING o.id`.execute(db);
      const ids = new Set(written.rows.map((r) => r.id));
      await auditMany(
        tx,
        done
          .filter((o) => ids.has(o.m.id))
          .map((o) => ({
            event: DONE_EVENT[o.done as keyof typeof DONE_EVENT] ?? "message.rejected",
            targetType: "message",
            targetId: o.m.id,
            details: {
              recipient: o.m.recipient,
              type: o.m.mtype,
              thread: o.m.thread,
              attempts: o.m.attempts + 1,
              ...(o.error ? { reason: o.error } : {}),
            },
          })),
      );
    }
    if (retry.length) {
      const base = this.ctx.config.federation.retryBaseMs;
      const at = (m: Message) =>
        new Date(
          Date.now() + Math.min(base * 2 ** m.attempts, MAX_DELAY_MS) * (0.5 + Math.random()),
        ).toISOString();
      await sql`
        UPDATE outbox AS o
           SET attempts = o.attempts + 1, next_attempt_at = v.next_attempt_at, last_error = v.last_error
          FROM unnest(${retry.map((o) => o.m.id)}::uuid[], ${retry.map((o) => at(o.m))}::timestamptz[],
                      ${retry.map((o) => o.retry)}::text[]) AS v(id, next_attempt_at, last_error)
         WHERE o.id = v.id AND o.status = 'queued'`.execute(db);
    }
  }
}
