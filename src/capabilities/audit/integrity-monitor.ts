/**
 * The node's integrity, kept in one place. At start (`start()`, awaited by `openNode` before the
 * node serves) it verifies the recent part: the newest `recentEntries` entries of the audit chain
 * against its head, and every case's crisis-log head against the entry it names (recomputing that
 * entry's hash). Then, in the background, the full pass: the whole audit chain, every crisis log
 * entry by entry and every attachment's SHA-256 (verifyChain, verifyRecords), with progress.
 * The full pass runs again every `intervalMs` and on demand (`verifyNow`, POST /api/integrity/verify).
 *
 * The state turns broken as soon as any check finds a break, and stays broken until a full
 * pass finds everything whole again (a restore, say). An error line is logged at start when the
 * node starts broken, whenever the state turns broken, and when what is broken changes; the
 * routes (/ready, /api/integrity) and the metrics read `report()`. Nothing here writes to the
 * database.
 */
import type { IntegrityReport, IntegrityView } from "../../domain/integrity.ts";
import { verifyChain } from "../../platform/audit/index.ts";
import type { Ctx } from "../../platform/context.ts";
import { crisisEntryHash } from "../cases/index.ts";
import { verifyRecords } from "./integrity.ts";

/** The two lines of a logger the monitor writes (pino's or Fastify's). */
export interface IntegrityLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IntegrityOptions {
  /** Audit entries verified at start, newest first (0: none; the full pass still checks all). */
  recentEntries: number;
  /** Between full passes while the node runs (0: at start and on demand only). */
  intervalMs: number;
}

const blank = (): IntegrityReport => ({
  state: "verifying",
  scope: "none",
  checkedAt: null,
  fullCheckedAt: null,
  running: null,
  audit: { ok: null, entries: 0, head: null, firstBroken: null },
  crisisLogs: { ok: null, cases: 0, broken: [] },
  attachments: { ok: null, count: 0, broken: [] },
  error: null,
});

const brokenIn = (r: IntegrityReport) =>
  r.audit.ok === false || r.crisisLogs.ok === false || r.attachments.ok === false;

/**
 * Each case's head against the last entry of its log: that entry exists, its hash recomputes
 * from its own content and its prev_hash, and equals the case's head. One query; it catches a
 * log cut short and an edited last entry at once, the rest waits for the full pass.
 */
async function verifyLogHeads(ctx: Ctx, signal?: AbortSignal) {
  const broken: IntegrityReport["crisisLogs"]["broken"] = [];
  let cases = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    signal?.throwIfAborted();
    const rows = await ctx.db
      .selectFrom("cases as c")
      .leftJoin("crisis_log as l", (j) => j.onRef("l.case_id", "=", "c.id").onRef("l.seq", "=", "c.log_seq"))
      .select([
        "c.id",
        "c.reference",
        "c.log_seq",
        "c.log_hash",
        "l.seq",
        "l.case_id",
        "l.occurred_at",
        "l.recorded_at",
        "l.author_id",
        "l.content",
        "l.corrects_id",
        "l.prev_hash",
        "l.hash",
      ])
      .where("c.id", ">", after)
      .orderBy("c.id")
      .limit(1000)
      .execute();
    for (const r of rows) {
      cases++;
      if (r.log_seq === 0) continue;
      const fault =
        r.seq == null || !r.prev_hash || !r.hash || !r.occurred_at || !r.recorded_at || !r.author_id
          ? "missing (the log was cut short)"
          : !crisisEntryHash(r.prev_hash, {
                seq: r.seq,
                caseId: r.id,
                occurredAt: new Date(r.occurred_at).toISOString(),
                recordedAt: new Date(r.recorded_at).toISOString(),
                authorId: r.author_id,
                content: r.content,
                corrects: r.corrects_id ?? null,
              }).equals(Buffer.from(r.hash))
            ? "content does not match its hash"
            : !Buffer.from(r.hash).equals(Buffer.from(r.log_hash))
              ? "the case's head does not match"
              : null;
      if (fault) broken.push({ caseId: r.id, case: r.reference, seq: r.log_seq, reason: fault });
    }
    if (rows.length < 1000) break;
    after = rows.at(-1)?.id ?? after;
  }
  return { cases, broken };
}

export class IntegrityMonitor implements IntegrityView {
  private current: IntegrityReport = blank();
  private pass: Promise<IntegrityReport> | null = null;
  private queued: Promise<IntegrityReport> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private started = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly log: IntegrityLog,
    private readonly opts: IntegrityOptions,
  ) {}

  report(): IntegrityReport {
    return structuredClone(this.current);
  }

  /**
   * The recent part, awaited; then the full pass in the background, and the timer. Idempotent:
   * `openNode` starts it, and `buildApp` starts one it was not given.
   */
  async start(): Promise<IntegrityReport> {
    if (this.started) return this.report();
    this.started = true;
    const began = performance.now();
    try {
      await this.recent();
    } catch (e) {
      if (this.abort.signal.aborted) return this.report();
      this.current.error = `the start-up verification could not run: ${(e as Error).message}`;
      this.log.error({ err: e }, "integrity: the start-up verification could not run");
    }
    const ms = Math.round(performance.now() - began);
    if (this.current.state === "broken") {
      this.log.error({ integrity: this.summary(), ms }, "integrity: the node starts on BROKEN evidence");
    } else {
      this.log.info(
        { auditEntries: this.current.audit.entries, cases: this.current.crisisLogs.cases, ms },
        "integrity: the recent part verifies; the full verification runs in the background",
      );
    }
    void this.verifyNow().catch(() => {});
    if (this.opts.intervalMs > 0) {
      this.timer = setInterval(() => void this.verifyNow().catch(() => {}), this.opts.intervalMs);
      this.timer.unref();
    }
    return this.report();
  }

  /** Stop the timer and any pass between two pages (the node is closing). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort(new Error("the node is closing"));
    await Promise.allSettled([this.pass, this.queued]);
  }

  verifyNow(): Promise<IntegrityReport> {
    if (this.abort.signal.aborted) return Promise.resolve(this.report());
    if (this.queued !== null) return this.queued;
    if (this.pass === null) {
      this.pass = this.full().finally(() => {
        this.pass = null;
      });
      return this.pass;
    }
    // A pass is running (it may have read before a change): one more after it, shared by all who
    // ask. The queue is emptied before that pass starts, so that it starts (asking verifyNow while
    // still queued would wait on itself, and stop() with it).
    const queued = this.pass
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = null;
        return this.verifyNow();
      });
    this.queued = queued;
    return queued;
  }

  private summary() {
    const r = this.current;
    return {
      state: r.state,
      audit: r.audit.firstBroken,
      crisisLogs: r.crisisLogs.broken.map((b) => `${b.case} entry ${b.seq}: ${b.reason}`),
      attachments: r.attachments.broken.map((b) => `${b.case} ${b.attachment}: ${b.reason}`),
    };
  }

  private async recent(): Promise<void> {
    const signal = this.abort.signal;
    const head = await this.ctx.db
      .selectFrom("audit_head")
      .select("seq")
      .where("id", "=", 1)
      .executeTakeFirst();
    const from = Math.max(1, (head?.seq ?? 0) - this.opts.recentEntries + 1);
    const chain = this.opts.recentEntries > 0 ? await verifyChain(this.ctx.db, { from, signal }) : null;
    const logs = await verifyLogHeads(this.ctx, signal);
    const r = this.current;
    if (chain) {
      r.audit = {
        ok: chain.ok,
        entries: chain.entries,
        head: chain.head,
        firstBroken: chain.firstBroken ?? null,
      };
    }
    r.crisisLogs = { ok: logs.broken.length === 0, cases: logs.cases, broken: logs.broken };
    r.scope = "recent";
    r.checkedAt = new Date().toISOString();
    r.error = null;
    // The recent part alone never makes a node intact: only the full pass does.
    r.state = brokenIn(r) ? "broken" : "verifying";
  }

  private async full(): Promise<IntegrityReport> {
    const signal = this.abort.signal;
    const startedAt = new Date().toISOString();
    const wasBroken = this.current.state === "broken";
    const before = JSON.stringify(this.summary());
    this.current.running = { startedAt, checked: 0, total: 0 };
    try {
      const chain = await verifyChain(this.ctx.db, {
        signal,
        onProgress: (checked, total) => {
          this.current.running = { startedAt, checked, total };
        },
      });
      const records = await verifyRecords(this.ctx, signal);
      const r = this.current;
      r.audit = {
        ok: chain.ok,
        entries: chain.entries,
        head: chain.head,
        firstBroken: chain.firstBroken ?? null,
      };
      r.crisisLogs = {
        ok: records.crisisLogs.broken.length === 0,
        cases: records.crisisLogs.cases,
        broken: records.crisisLogs.broken,
      };
      r.attachments = {
        ok: records.attachments.broken.length === 0,
        count: records.attachments.count,
        broken: records.attachments.broken,
      };
      r.scope = "full";
      r.checkedAt = r.fullCheckedAt = new Date().toISOString();
      r.error = null;
      r.state = brokenIn(r) ? "broken" : "intact";
      r.running = null;
      if (r.state === "broken" && !wasBroken) {
        this.log.error(
          { integrity: this.summary() },
          "integrity: BROKEN: a hash chain or hash no longer verifies",
        );
      } else if (r.state === "broken" && JSON.stringify(this.summary()) !== before) {
        this.log.error({ integrity: this.summary() }, "integrity: BROKEN, and what is broken has changed");
      } else if (r.state === "intact" && wasBroken) {
        this.log.info({ auditEntries: r.audit.entries }, "integrity: every chain and hash verifies again");
      } else if (r.state === "intact") {
        this.log.info(
          {
            auditEntries: r.audit.entries,
            crisisLogEntries: records.crisisLogs.entries,
            attachments: r.attachments.count,
            ms: Date.now() - Date.parse(startedAt),
          },
          "integrity: every chain and hash verifies",
        );
      }
    } catch (e) {
      this.current.running = null;
      if (!signal.aborted) {
        this.current.error = `the verification could not run: ${(e as Error).message}`;
        this.log.error({ err: e }, "integrity: the verification could not run");
      }
    }
    return this.report();
  }
}
