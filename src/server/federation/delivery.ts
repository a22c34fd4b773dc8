/**
 * The delivery worker (issue 4): carries queued outbox messages to their peers,
 * at least once, with exponential backoff and jitter; keeps each thread in
 * order (the next message of a thread waits until the one before it is done);
 * moves messages that could not be delivered in time to the dead letters.
 * One worker per node process (the node runs as one process).
 */
import type { Selectable } from "kysely";
import { type EnvelopeHeader, seal } from "../../engines/federation/envelope.ts";
import { verifyReceipt } from "../../engines/federation/receipt.ts";
import type { Ctx } from "../context.ts";
import type { OutboxTable, PeersTable } from "../db/schema.ts";
import { nodeKeys } from "../usecases/federation.ts";
import { dueMessages, peerCrypto } from "../usecases/federation-messages.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Production speaks HTTPS between nodes; plain HTTP only to a peer on this machine (the sandbox). */
export function deliverable(endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname));
  } catch {
    return false;
  }
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly onError: (e: unknown) => void,
    private readonly intervalMs = 200,
    private readonly batch = 64,
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
    await this.running;
  }

  /**
   * Keep up to `batch` deliveries in flight: as one finishes, the next due message
   * takes its place, so that one slow peer or message does not hold up the rest.
   */
  private async drain(): Promise<void> {
    const inflight = new Map<string, Promise<void>>();
    for (;;) {
      if (this.stopped) break;
      // Refill when half the window is free, not after every single delivery.
      if (inflight.size > this.batch / 2) {
        await Promise.race(inflight.values());
        continue;
      }
      const room = this.batch - inflight.size;
      const due =
        room > 0
          ? (await dueMessages(this.ctx, this.batch)).filter((m) => !inflight.has(m.id)).slice(0, room)
          : [];
      if (due.length === 0) {
        if (inflight.size === 0) return;
        await Promise.race(inflight.values());
        continue;
      }
      const peers = new Map(
        (
          await this.ctx.db
            .selectFrom("peers")
            .selectAll()
            .where(
              "node_id",
              "in",
              due.map((m) => m.recipient),
            )
            .execute()
        ).map((p) => [p.node_id, p]),
      );
      for (const m of due) {
        const p = this.deliver(m, peers.get(m.recipient))
          .catch(this.onError)
          .finally(() => inflight.delete(m.id));
        inflight.set(m.id, p);
      }
    }
    await Promise.all(inflight.values());
  }

  private async deliver(m: Selectable<OutboxTable>, peer: Selectable<PeersTable> | undefined): Promise<void> {
    const ctx = this.ctx;
    const f = ctx.config.federation;
    const now = Date.now();
    if (!peer) return;
    if (now - new Date(m.created_at).getTime() > f.deadLetterMs || now >= new Date(m.expires_at).getTime()) {
      await this.finish(m, "dead", m.last_error ?? "not delivered in time");
      return;
    }
    if (!deliverable(peer.endpoint)) {
      await this.retry(
        m,
        `refusing plain HTTP to ${peer.endpoint}: only a loopback peer may be reached without TLS`,
      );
      return;
    }
    const mine = await nodeKeys(ctx);
    const { signingKey, pairwise } = peerCrypto(ctx, mine, peer);
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
    };
    const token = seal({
      header,
      body: m.body,
      signingKey: mine.signing.privateKey,
      signingKid: mine.signing.kid,
      pairwise,
    });
    let res: Response;
    try {
      res = await fetch(new URL("/api/federation/envelopes", peer.endpoint), {
        method: "POST",
        headers: { "content-type": "application/jose" },
        body: token,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      await this.retry(m, `${peer.endpoint} unreachable: ${(e as Error).message}`);
      return;
    }
    let answer: { receipt?: unknown; error?: { message?: string } } = {};
    try {
      answer = (await res.json()) as typeof answer;
    } catch {
      // not JSON: handled below
    }
    if (typeof answer.receipt !== "string") {
      await this.retry(m, `${res.status} without a receipt: ${answer.error?.message ?? "no answer"}`);
      return;
    }
    try {
      const r = verifyReceipt(answer.receipt, {
        from: m.recipient,
        to: ctx.config.nodeId,
        jti: m.id,
        keyOf: (kid) => (kid === peer.signing_kid ? signingKey : undefined),
      });
      await this.finish(m, r.status, r.reason ?? null, answer.receipt);
    } catch (e) {
      await this.retry(m, `bad receipt: ${(e as Error).message}`);
    }
  }

  private async finish(m: Selectable<OutboxTable>, status: string, error: string | null, receipt?: string) {
    await this.ctx.db
      .updateTable("outbox")
      .set({ status, done_at: new Date(), last_error: error, receipt: receipt ?? null })
      .where("id", "=", m.id)
      .where("status", "=", "queued")
      .execute();
  }

  private async retry(m: Selectable<OutboxTable>, error: string) {
    const base = this.ctx.config.federation.retryBaseMs;
    const delay = Math.min(base * 2 ** m.attempts, 300_000) * (0.5 + Math.random());
    await this.ctx.db
      .updateTable("outbox")
      .set({ attempts: m.attempts + 1, next_attempt_at: new Date(Date.now() + delay), last_error: error })
      .where("id", "=", m.id)
      .where("status", "=", "queued")
      .execute();
  }
}
