/**
 * Every refusal audited, without letting a flood of them flood the trail (EU Law
 * Enforcement Directive art. 25: the logs of consultation include the attempts refused).
 *
 * A refusal has no business transaction to join, and must be recorded although its
 * request fails. So it is counted first in `refusals`, one row per minute and per
 * identical refusal — same actor, address, method and route pattern, reason and object
 * (and the few details that qualify the reason: the permission missing, a token's owner)
 * — by `INSERT … ON CONFLICT DO UPDATE SET count = count + n`, in a statement of its own.
 * Refusals that arrive while a write is in flight wait for the next one and go in it
 * together (a group commit): a quiet node writes one row per refusal at once, a flood
 * costs one statement per round trip whatever the number of requests, and 10,000
 * identical refusals in a minute are one row with count 10,000. The request is answered
 * once its refusal is written.
 *
 * A flusher (`RefusalFlusher`, beside the AuditSealer in every node, and at the end of
 * every CLI command) moves each closed minute into the audit trail as one `access.refused`
 * entry (actor, address, object as its target, and in its details the count, method,
 * route, reason, object, first and last time) and deletes the rows, in one transaction:
 * a refusal is in the trail, or still counted here, never both and never neither. On
 * close it flushes the open minute too, so nothing is lost when a node stops.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { type Insertable, type Kysely, sql } from "kysely";
import type { Database, RefusalsTable } from "../db/schema.ts";

/** One refused request (or envelope): who, from where, what, on what, why. */
export interface Refusal {
  actorId: string | null;
  actorLabel: string;
  ip: string | null;
  method: string;
  /** The route's pattern (`/api/cases/:id`), not the URL: one row for every id probed is the object's job. */
  route: string;
  /** Why: `not_found`, `permission`, `csrf_failed`, `token_revoked`, `rate_limited`, an envelope's reason… */
  reason: string;
  objectType?: string | null | undefined;
  objectId?: string | null | undefined;
  /** What qualifies the reason (the permission missing, a token's owner): part of what makes two refusals identical. */
  details?: Record<string, unknown> | undefined;
  /** The first request of the row, to find it in the node's log. */
  requestId?: string | null | undefined;
  at?: Date | undefined;
}

const MINUTE = 60_000;
/** Rows per INSERT: a flood of distinct refusals is written in statements of bounded size. */
const WRITE_CHUNK = 500;
/** Closed rows moved into the trail per transaction. */
const FLUSH_BATCH = 1000;

/**
 * What a database text or jsonb value can hold: a refusal's strings come from the caller (a path
 * segment, an unsigned header), and one NUL or lone surrogate would fail the statement that writes
 * everyone's refusals of the moment. Such characters become U+FFFD, and the string is cut to `n`.
 */
function storable(s: string, n: number): string {
  return s.slice(0, n).toWellFormed().replaceAll("\0", "\uFFFD");
}
const clip = (s: string | null | undefined, n = 200): string | null => (s == null ? null : storable(s, n));

/** The details of a refusal, storable and bounded: strings cut to 200 characters, at most 20 keys, two levels deep. */
function storableDetails(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return storable(value, 200);
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (depth >= 2 || typeof value !== "object") return storable(String(value), 200);
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => storableDetails(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .slice(0, 20)
      .map(([k, v]) => [storable(k, 100), storableDetails(v, depth + 1)]),
  );
}

/**
 * Refusals of callers the node does not know yet. Anyone on the network can send them with a new
 * object each time (a random id in the path, a made-up sender), so the object is not part of what
 * makes two of them identical: per address, route and reason they are one row a minute, which
 * keeps the object of the first as a sample.
 */
const BEFORE_SIGN_IN = new Set([
  "unauthenticated",
  "token_unknown",
  "csrf_failed",
  "rate_limited",
  "client_certificate_required",
  "malformed",
  "oversized",
  "unknown_sender",
  "bad_signature",
  "unknown_key",
]);

export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
}

/** A row as written: the table's columns, with the times as dates and the details as JSON text. */
type Row = Insertable<RefusalsTable> & {
  minute: Date;
  first_at: Date;
  last_at: Date;
  details: string;
  count: number;
};

function rowOf(r: Refusal): Row {
  const at = r.at ?? new Date();
  const fields = {
    actorId: r.actorId,
    actorLabel: clip(r.actorLabel) ?? "",
    ip: clip(r.ip, 100),
    method: clip(r.method, 10) ?? "",
    route: clip(r.route, 300) ?? "",
    reason: clip(r.reason, 100) ?? "",
    objectType: clip(r.objectType ?? null, 100),
    objectId: clip(r.objectId ?? null),
    details: storableDetails(r.details ?? {}) as Record<string, unknown>,
  };
  const anonymous = r.actorId === null && BEFORE_SIGN_IN.has(fields.reason);
  const identity = anonymous
    ? { ip: fields.ip, method: fields.method, route: fields.route, reason: fields.reason }
    : fields;
  const key = createHash("sha256")
    .update(canonicalize(identity) ?? "", "utf8")
    .digest("hex");
  return {
    minute: minuteOf(at),
    key,
    actor_id: fields.actorId,
    actor_label: fields.actorLabel,
    ip: fields.ip,
    method: fields.method,
    route: fields.route,
    reason: fields.reason,
    object_type: fields.objectType,
    object_id: fields.objectId,
    details: JSON.stringify(fields.details),
    request_id: clip(r.requestId ?? null),
    count: 1,
    first_at: at,
    last_at: at,
  };
}

/** Add counted rows to the table: identical ones of the same minute become one. */
async function writeRows(db: Kysely<Database>, rows: readonly Row[]): Promise<void> {
  const upsert = (chunk: readonly Row[]) =>
    db
      .insertInto("refusals")
      .values([...chunk])
      .onConflict((oc) =>
        oc.columns(["minute", "key"]).doUpdateSet({
          count: sql`refusals.count + excluded.count`,
          first_at: sql`LEAST(refusals.first_at, excluded.first_at)`,
          last_at: sql`GREATEST(refusals.last_at, excluded.last_at)`,
        }),
      )
      .execute();
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    const chunk = rows.slice(i, i + WRITE_CHUNK);
    try {
      await upsert(chunk);
    } catch (e) {
      if (chunk.length === 1) throw e;
      // One row the database refuses must not take the others with it: each on its own, and
      // the first failure (after all the rest are written) is the caller's.
      const failures: unknown[] = [];
      for (const row of chunk) await upsert([row]).catch((err: unknown) => failures.push(err));
      if (failures.length > 0) throw failures[0];
    }
  }
}

/**
 * Counts refusals into `refusals`. `record` resolves once the refusal is written;
 * those that arrive while a write is in flight are merged and written together next.
 */
export class RefusalRecorder {
  private pending = new Map<string, Row>();
  private filling: Promise<void> | null = null;
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<Database>) {}

  record(refusals: Refusal | readonly Refusal[]): Promise<void> {
    const list = Array.isArray(refusals) ? refusals : [refusals as Refusal];
    if (list.length === 0) return Promise.resolve();
    for (const r of list) {
      const row = rowOf(r);
      const id = `${row.minute.getTime()}:${row.key}`;
      const seen = this.pending.get(id);
      if (!seen) this.pending.set(id, row);
      else {
        seen.count += 1;
        if (row.first_at < seen.first_at) seen.first_at = row.first_at;
        if (row.last_at > seen.last_at) seen.last_at = row.last_at;
      }
    }
    if (!this.filling) {
      const next = this.last.then(() => {
        const batch = [...this.pending.values()];
        this.pending = new Map();
        this.filling = null;
        return writeRows(this.db, batch);
      });
      this.filling = next;
      this.last = next.catch(() => {});
    }
    return this.filling;
  }

  /** Resolves when every refusal recorded so far is written (or failed). */
  async settled(): Promise<void> {
    for (;;) {
      const last = this.last;
      await last;
      if (last === this.last && !this.filling) return;
    }
  }
}

const withTable = new WeakSet<object>();

/** Does this database have the table yet (a CLI command on a database not migrated to 014)? Asked once. */
async function hasTable(db: Kysely<Database>): Promise<boolean> {
  if (withTable.has(db)) return true;
  const r = await sql<{ t: string | null }>`SELECT to_regclass('refusals')::text AS t`.execute(db);
  if (r.rows[0]?.t == null) return false;
  withTable.add(db);
  return true;
}

/**
 * Move counted refusals into the audit trail, one `access.refused` entry per row, and
 * delete the rows in the same transaction. Only closed minutes (before `now`'s), unless
 * `all` (a node closing, a CLI command). Returns how many entries were written.
 */
export async function flushRefusals(
  db: Kysely<Database>,
  opts: { all?: boolean; now?: Date } = {},
): Promise<number> {
  if (!(await hasTable(db))) return 0;
  const cutoff = minuteOf(opts.now ?? new Date());
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      let q = trx.selectFrom("refusals").selectAll();
      if (!opts.all) q = q.where("minute", "<", cutoff);
      const rows = await q.orderBy("minute").orderBy("first_at").limit(FLUSH_BATCH).forUpdate().execute();
      if (rows.length === 0) return 0;
      await trx
        .insertInto("audit_log")
        .values(
          rows.map((r) => ({
            at: r.first_at,
            actor_id: r.actor_id,
            actor_label: r.actor_label,
            event: "access.refused",
            target_type: r.object_type,
            target_id: r.object_id,
            purpose: null,
            request_id: r.request_id,
            ip: r.ip,
            details: JSON.stringify({
              ...r.details,
              reason: r.reason,
              count: r.count,
              method: r.method,
              route: r.route,
              object: r.object_type || r.object_id ? { type: r.object_type, id: r.object_id } : null,
              first: new Date(r.first_at).toISOString(),
              last: new Date(r.last_at).toISOString(),
            }),
            seq: null,
            prev_hash: null,
            hash: null,
          })),
        )
        .execute();
      const minutes = rows.map((r) => new Date(r.minute).toISOString());
      const keys = rows.map((r) => r.key);
      await sql`
        DELETE FROM refusals AS f
         USING unnest(${minutes}::timestamptz[], ${keys}::text[]) AS v(minute, key)
         WHERE f.minute = v.minute AND f.key = v.key`.execute(trx);
      return rows.length;
    });
    total += n;
    if (n < FLUSH_BATCH) return total;
  }
}

/**
 * Runs in the background of a node: moves closed minutes into the trail every few
 * seconds; on stop, waits for the refusals being written and flushes everything.
 */
export class RefusalFlusher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly recorder: RefusalRecorder,
    private readonly onError: (e: unknown) => void,
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => flushRefusals(this.db)).catch(this.onError);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Move every pending refusal into the trail now, the open minute included. */
  async flushAll(): Promise<number> {
    await this.recorder.settled();
    const run = this.running.then(() => flushRefusals(this.db, { all: true }));
    this.running = run.catch(this.onError);
    return run;
  }

  /** Stop the timer and move everything left into the trail (before the sealer's last run). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushAll().catch(this.onError);
  }
}
