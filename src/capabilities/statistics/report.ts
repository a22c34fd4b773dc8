/** At the Secretariat: the returns received and the global report over them and the historical series. */
import { isSeriousCrime, type Questionnaire } from "../../domain/returns.ts";
import { type WorldMap, worldMap } from "../../engines/statistics/map.ts";
import { reportPdf } from "../../engines/statistics/pdf.ts";
import { type GlobalReport, globalReport } from "../../engines/statistics/report.ts";
import { reportToObservations, writeSdmxCsv, writeSdmxJson } from "../../engines/statistics/sdmx.ts";
import type { Ctx } from "../../platform/context.ts";
import { iso } from "../../platform/time.ts";

export async function globalReportOf(
  ctx: Ctx,
  period: { from: number; to: number },
): Promise<Required<GlobalReport>> {
  const r = await globalReport(ctx.db, period);
  return { ...r, breakdowns: r.breakdowns ?? [], legal: r.legal ?? [] };
}

export async function globalReportPdf(ctx: Ctx, period: { from: number; to: number }): Promise<Buffer> {
  return reportPdf(await globalReportOf(ctx, period));
}

export async function globalReportSdmx(
  ctx: Ctx,
  period: { from: number; to: number },
  format: "csv" | "json",
): Promise<string> {
  const obs = reportToObservations(await globalReport(ctx.db, period));
  return format === "csv" ? writeSdmxCsv(obs) : JSON.stringify(writeSdmxJson(obs, { sender: "UNODC" }));
}

export async function worldMapOf(ctx: Ctx, period: { from: number; to: number }): Promise<WorldMap> {
  return worldMap(await globalReport(ctx.db, period));
}

export async function receivedReturns(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom("stat_received_returns")
    .selectAll()
    .orderBy("received_at", "desc")
    .limit(1000)
    .execute();
  return rows.map((r) => {
    const questionnaire = r.questionnaire as Questionnaire;
    return {
      messageId: r.message_id,
      sender: r.sender,
      returnId: r.return_id,
      year: r.year,
      revision: r.revision,
      receivedAt: iso(r.received_at),
      status: r.status as "accepted" | "rejected",
      reason: r.reason,
      observations: r.observations,
      questionnaireVersion: r.questionnaire_version,
      questionnaire,
      seriousCrime: isSeriousCrime(questionnaire),
    };
  });
}
