/**
 * The national annual return (issue 6) on a node, and its reception at the
 * Secretariat. The focal point opens a year (the node computes the tables from
 * its cases with the counting rules, in SQL), reviews the validation, writes the
 * notes the large changes need, answers the questionnaire and submits: the
 * return goes to the Secretariat (`UNODC`) as SDMX-CSV in a signed `stats-return`
 * message. The Secretariat imports it as observations of that State — only of
 * that State — in the transaction that stores the message, and acknowledges
 * (`stats-ack`). A second submission of a year is a revision that supersedes the
 * first in the Secretariat's report.
 */
import { createHash } from "node:crypto";
import type { Selectable } from "kysely";
import { uuidv7 } from "uuidv7";
import type { z } from "zod";
import { type NationalReturn, suppressSmallCells, validateReturn } from "../../domain/counting.ts";
import { AppError } from "../../domain/errors.ts";
import {
  issueId,
  QUESTIONNAIRE_VERSION,
  type Questionnaire,
  type RETURN_MESSAGE_TYPES,
  type ReturnStatus,
  type ReturnView,
} from "../../domain/returns.ts";
import { computeReturnSql } from "../../engines/statistics/compute.ts";
import { storeObservations } from "../../engines/statistics/import/index.ts";
import { parseSdmxCsv } from "../../engines/statistics/import/sdmx-csv.ts";
import { returnToObservations, writeSdmxCsv, writeSdmxJson } from "../../engines/statistics/sdmx.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { StatReturnsTable } from "../../platform/db/schema.ts";
import { queueMessages } from "../../platform/exchange/outbox.ts";
import type { Arrival } from "../../platform/exchange/registry.ts";
import { iso } from "../../platform/time.ts";
import { me } from "../cases/index.ts";

/** The Secretariat's node id: where returns go. */
export const SECRETARIAT = "UNODC";

type Row = Selectable<StatReturnsTable>;

const tablesOf = (r: Row): NationalReturn["tables"] => r.tables as NationalReturn["tables"];

async function rowOf(ctx: Ctx, id: string, opts: { forUpdate?: boolean } = {}): Promise<Row> {
  let q = ctx.db.selectFrom("stat_returns").selectAll().where("id", "=", id);
  if (opts.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) throw AppError.notFound("return");
  return r;
}

/** The latest submitted return of a year (the one the Secretariat holds), if any. */
async function latestSubmitted(ctx: Ctx, year: number): Promise<Row | undefined> {
  return ctx.db
    .selectFrom("stat_returns")
    .selectAll()
    .where("year", "=", year)
    .where("status", "<>", "draft")
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();
}

async function view(ctx: Ctx, r: Row): Promise<ReturnView> {
  const current: NationalReturn = { country: ctx.config.nodeId, year: r.year, tables: tablesOf(r) };
  const prev = await latestSubmitted(ctx, r.year - 1);
  const population = r.population === null ? undefined : Number(r.population);
  const issues = validateReturn(
    current,
    prev ? { country: ctx.config.nodeId, year: prev.year, tables: tablesOf(prev) } : null,
    { population },
  ).map((i) => {
    const id = issueId(i);
    return { ...i, id, noted: Boolean(r.notes.issues[id]?.trim()) };
  });
  const blockers: string[] = [];
  if (r.status !== "draft")
    blockers.push(`it was ${r.status === "submitted" ? "submitted" : r.status} already`);
  for (const i of issues) {
    if (i.severity === "error") blockers.push(`${i.table}: ${i.message}`);
    else if (i.needsNote && !i.noted)
      blockers.push(`${i.table} ${i.key.join(" ")}: needs a note (${i.message})`);
  }
  if (!r.questionnaire)
    blockers.push("the questionnaire on legislation and domestic measures is not answered");
  const secretariat = await ctx.db
    .selectFrom("peers")
    .select("status")
    .where("node_id", "=", SECRETARIAT)
    .executeTakeFirst();
  if (secretariat?.status !== "active")
    blockers.push("the Secretariat (UNODC) is not an active peer of this node");
  return {
    id: r.id,
    year: r.year,
    revision: r.revision,
    status: r.status as ReturnStatus,
    openedAt: iso(r.opened_at),
    computedAt: iso(r.computed_at),
    submittedAt: r.submitted_at ? iso(r.submitted_at) : null,
    acknowledgedAt: r.acknowledged_at ? iso(r.acknowledged_at) : null,
    acknowledgement: r.acknowledgement,
    tables: tablesOf(r),
    issues,
    notes: { general: r.notes.general ?? null, issues: r.notes.issues },
    questionnaire: (r.questionnaire as Questionnaire | null) ?? null,
    questionnaireVersion: r.questionnaire_version,
    minCell: r.min_cell,
    blockers,
  };
}

/** Open a year: the tables computed from the node's cases now; a year already submitted opens its next revision. */
export async function openReturn(ctx: Ctx, input: { year: number }): Promise<ReturnView> {
  return inTransaction(ctx, async (tx) => {
    const draft = await tx.db
      .selectFrom("stat_returns")
      .select("id")
      .where("year", "=", input.year)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (draft) throw AppError.field("body.year", `has a draft open already (${draft.id})`, "conflict");
    const last = await latestSubmitted(tx, input.year);
    // The questionnaire carries over from the last submission of the year, to be reviewed.
    const previousAnswers = last?.questionnaire ?? null;
    const computed = await computeReturnSql(tx.db, { year: input.year, country: tx.config.nodeId });
    const now = new Date();
    const row = await tx.db
      .insertInto("stat_returns")
      .values({
        id: uuidv7(),
        year: input.year,
        revision: last ? last.revision + 1 : 0,
        status: "draft",
        opened_by: me(tx),
        opened_at: now,
        computed_at: now,
        tables: JSON.stringify(computed.tables),
        questionnaire: previousAnswers === null ? null : JSON.stringify(previousAnswers),
        questionnaire_version: QUESTIONNAIRE_VERSION,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "return.opened",
      targetType: "return",
      targetId: row.id,
      details: { year: row.year, revision: row.revision },
    });
    return view(tx, row);
  });
}

export async function listReturns(ctx: Ctx): Promise<ReturnView[]> {
  const rows = await ctx.db
    .selectFrom("stat_returns")
    .selectAll()
    .orderBy("year", "desc")
    .orderBy("revision", "desc")
    .execute();
  return Promise.all(rows.map((r) => view(ctx, r)));
}

export async function getReturn(ctx: Ctx, id: string): Promise<ReturnView> {
  return view(ctx, await rowOf(ctx, id));
}

/** Recompute the tables, set notes or answer the questionnaire: a draft only. */
export async function updateReturn(
  ctx: Ctx,
  id: string,
  input: {
    recompute?: boolean | undefined;
    notes?: { general?: string | undefined; issues: Record<string, string> } | undefined;
    questionnaire?: Questionnaire | undefined;
  },
): Promise<ReturnView> {
  return inTransaction(ctx, async (tx) => {
    const r = await rowOf(tx, id, { forUpdate: true });
    if (r.status !== "draft")
      throw AppError.field("params.id", `was ${r.status} already: open a revision`, "invalid_state");
    const set: Partial<Record<keyof StatReturnsTable, unknown>> = {};
    if (input.recompute) {
      const computed = await computeReturnSql(tx.db, { year: r.year, country: tx.config.nodeId });
      set.tables = JSON.stringify(computed.tables);
      set.computed_at = new Date();
    }
    if (input.notes) {
      set.notes = JSON.stringify({
        general: input.notes.general?.trim() || null,
        issues: Object.fromEntries(Object.entries(input.notes.issues).filter(([, v]) => v.trim())),
      });
    }
    if (input.questionnaire) set.questionnaire = JSON.stringify(input.questionnaire);
    if (Object.keys(set).length === 0)
      throw AppError.field("body", "names nothing to change: recompute, notes or questionnaire");
    const row = await tx.db
      .updateTable("stat_returns")
      .set(set as never)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "return.updated",
      targetType: "return",
      targetId: id,
      details: {
        recomputed: Boolean(input.recompute),
        notes: input.notes ? Object.keys(input.notes.issues).length : null,
        questionnaire: Boolean(input.questionnaire),
      },
    });
    return view(tx, row);
  });
}

/** What is published: the return with small cells withheld as chosen. */
function published(ctx: Ctx, r: Row): NationalReturn {
  const full: NationalReturn = { country: ctx.config.nodeId, year: r.year, tables: tablesOf(r) };
  return r.min_cell && r.min_cell > 1 ? suppressSmallCells(full, r.min_cell) : full;
}

/** Submit: checked again, then sent signed to the Secretariat as SDMX-CSV with the questionnaire and notes. */
export async function submitReturn(
  ctx: Ctx,
  id: string,
  input: { minCell: number; population?: number | undefined },
): Promise<ReturnView> {
  return inTransaction(ctx, async (tx) => {
    let r = await rowOf(tx, id, { forUpdate: true });
    if (input.population !== undefined || input.minCell !== r.min_cell) {
      r = await tx.db
        .updateTable("stat_returns")
        .set({
          min_cell: input.minCell,
          ...(input.population !== undefined ? { population: input.population } : {}),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    const v = await view(tx, r);
    if (v.blockers.length) {
      throw new AppError(
        "invalid_state",
        `The return cannot be submitted yet: ${v.blockers.join("; ")}.`,
        v.blockers.map((b) => ({ path: "params.id", message: b })),
      );
    }
    const observations = returnToObservations(published(tx, r), {
      source: tx.config.nodeId,
      submissionId: r.id,
      revision: r.revision,
    });
    const sdmxCsv = writeSdmxCsv(observations);
    const [queued] = await queueMessages(
      tx,
      [
        {
          to: [SECRETARIAT],
          type: "stats-return",
          version: 1,
          tlp: "clear",
          handling: ["H0"],
          body: {
            returnId: r.id,
            year: r.year,
            revision: r.revision,
            sdmxCsv,
            questionnaireVersion: r.questionnaire_version,
            questionnaire: r.questionnaire,
            notes: r.notes,
          },
        },
      ],
      () => "body",
    );
    const row = await tx.db
      .updateTable("stat_returns")
      .set({
        status: "submitted",
        submitted_by: me(tx),
        submitted_at: new Date(),
        message_id: queued?.[0]?.id ?? null,
        sdmx_csv: sdmxCsv,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "return.submitted",
      targetType: "return",
      targetId: id,
      details: {
        year: r.year,
        revision: r.revision,
        observations: observations.length,
        minCell: r.min_cell,
        sha256: createHash("sha256").update(sdmxCsv).digest("hex"),
      },
    });
    return view(tx, row);
  });
}

/** The return as SDMX (what is or would be published, small cells withheld as chosen). */
export async function returnSdmx(ctx: Ctx, id: string, format: "csv" | "json"): Promise<string> {
  const r = await rowOf(ctx, id);
  if (format === "csv" && r.sdmx_csv) return r.sdmx_csv;
  const obs = returnToObservations(published(ctx, r), {
    source: ctx.config.nodeId,
    submissionId: r.id,
    revision: r.revision,
  });
  return format === "csv" ? writeSdmxCsv(obs) : JSON.stringify(writeSdmxJson(obs));
}

// ---------------------------------------------------------------- between nodes

type ReturnArrival = Arrival<z.output<(typeof RETURN_MESSAGE_TYPES)["stats-return"][1]>>;
type AckArrival = Arrival<z.output<(typeof RETURN_MESSAGE_TYPES)["stats-ack"][1]>>;

/** A return reached this node (the Secretariat): import it as that State's observations, and acknowledge. */
export async function receiveReturn(tx: Ctx, m: ReturnArrival): Promise<void> {
  const b = m.body;
  const acknowledge = (status: "accepted" | "rejected", observations: number, reason?: string) =>
    queueMessages(
      tx,
      [
        {
          to: [m.sender],
          type: "stats-ack",
          version: 1,
          tlp: "clear",
          handling: ["H0"],
          thread: m.thread,
          body: {
            returnId: b.returnId,
            revision: b.revision,
            status,
            observations,
            ...(reason ? { reason } : {}),
          },
        },
      ],
      () => "body",
    );
  const file = `${m.sender}-${b.year}-r${b.revision}.csv`;
  let parsed: ReturnType<typeof parseSdmxCsv> = { source: m.sender, observations: [], rows: [] };
  // Whatever is wrong is refused with its reason, never left to fail the transaction that stores the message.
  const refusal = (): string | null => {
    if (tx.config.nodeId !== SECRETARIAT) return "only the Secretariat takes annual returns";
    try {
      parsed = parseSdmxCsv(b.sdmxCsv, file);
    } catch (e) {
      return `unreadable SDMX-CSV: ${(e as Error).message}`;
    }
    if (parsed.observations.length === 0) return "the return holds no observation";
    const foreign = parsed.observations.find((o) => o.country !== m.sender || o.timePeriod !== b.year);
    if (foreign)
      return `line ${foreign.rowNumber} is about ${foreign.refArea} ${foreign.timePeriod}: a State returns its own figures for the year it submits`;
    const rejected = parsed.rows.find((r) => r.status === "rejected");
    return rejected ? `line ${rejected.row}: ${rejected.reason ?? "unreadable"}` : null;
  };
  const reason = refusal();
  let count = 0;
  if (!reason) {
    // The provenance is the message's, whatever the file's attributes say.
    for (const o of parsed.observations) {
      o.source = m.sender;
      o.submissionId = b.returnId;
      o.revision = b.revision;
    }
    const report = await storeObservations(tx.db, parsed, {
      format: "sdmx-csv",
      file,
      sha256: createHash("sha256").update(b.sdmxCsv).digest("hex"),
      importedBy: `federation:${m.sender}`,
    });
    count = report.observations;
  }
  await tx.db
    .insertInto("stat_received_returns")
    .values({
      message_id: m.id,
      sender: m.sender,
      return_id: b.returnId,
      year: b.year,
      revision: b.revision,
      received_at: new Date(),
      sdmx_csv: b.sdmxCsv,
      questionnaire_version: b.questionnaireVersion,
      questionnaire: JSON.stringify(b.questionnaire),
      notes: JSON.stringify(b.notes),
      observations: count,
      status: reason ? "rejected" : "accepted",
      reason,
    })
    .execute();
  await acknowledge(reason ? "rejected" : "accepted", count, reason ?? undefined);
  await audit(tx, {
    event: "return.received",
    targetType: "message",
    targetId: m.id,
    details: { sender: m.sender, year: b.year, revision: b.revision, observations: count, rejected: reason },
  });
}

/** The Secretariat acknowledged (or refused) one of our returns. */
export async function recordAcknowledgement(tx: Ctx, m: AckArrival): Promise<void> {
  if (m.sender !== SECRETARIAT) return;
  const a = m.body;
  await tx.db
    .updateTable("stat_returns")
    .set({
      status: a.status === "accepted" ? "acknowledged" : "rejected",
      acknowledged_at: new Date(),
      acknowledgement:
        a.status === "accepted" ? `${a.observations} observations accepted` : (a.reason ?? "rejected"),
    })
    .where("id", "=", a.returnId)
    .where("revision", "=", a.revision)
    .where("status", "=", "submitted")
    .execute();
}
