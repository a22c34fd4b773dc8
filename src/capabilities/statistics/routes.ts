/** The national return (issue 6) and, at the Secretariat, the returns received and the global report. Thin routes. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import {
  globalReportSchema,
  openReturnSchema,
  questionnaireSchema,
  receivedReturnSchema,
  reportQuerySchema,
  returnNotesSchema,
  returnSchema,
  submitReturnSchema,
  worldMapSchema,
} from "../../domain/returns.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as report from "./report.ts";
import * as returns from "./returns.ts";

const tags = ["statistics"];

/** SDMX-CSV is text; SDMX-JSON is a JSON document (the handler sends either as its text). */
const sdmxResponse = {
  description: "SDMX-CSV 2.0 (format=csv) or SDMX-JSON (format=json)",
  content: {
    "text/csv": { schema: z.string() },
    "application/json": { schema: z.looseObject({}) },
  },
};

export function statisticsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post("/api/statistics/returns", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary:
        "Open the annual return of a year: the tables computed from the node's cases by the counting rules",
      body: openReturnSchema,
      response: { 201: returnSchema, ...errorResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await returns.openReturn(ctxOf(req, deps), req.body)),
  });

  r.get("/api/statistics/returns", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary: "The node's annual returns, drafts and submissions, newest first",
      response: { 200: z.object({ returns: z.array(returnSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ returns: await returns.listReturns(ctxOf(req, deps)) }),
  });

  r.get("/api/statistics/returns/:id", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary:
        "One return: its tables, the validation against the previous year, notes, questionnaire, what blocks its submission",
      params: idParams,
      response: { 200: returnSchema, ...errorResponses },
    },
    handler: async (req) => returns.getReturn(ctxOf(req, deps), req.params.id),
  });

  r.patch("/api/statistics/returns/:id", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary: "A draft: compute its tables again, write its notes, answer the questionnaire",
      params: idParams,
      body: z.strictObject({
        recompute: z.boolean().optional(),
        notes: returnNotesSchema.optional(),
        questionnaire: questionnaireSchema.optional(),
      }),
      response: { 200: returnSchema, ...errorResponses },
    },
    handler: async (req) => returns.updateReturn(ctxOf(req, deps), req.params.id, req.body),
  });

  r.post("/api/statistics/returns/:id/submit", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary:
        "Submit the return to the Secretariat: checked again, signed and sent as SDMX-CSV with the questionnaire and notes (small cells withheld as chosen)",
      params: idParams,
      body: submitReturnSchema,
      response: { 200: returnSchema, ...errorResponses },
    },
    handler: async (req) => {
      const v = await returns.submitReturn(ctxOf(req, deps), req.params.id, req.body);
      deps.delivery.kick();
      return v;
    },
  });

  r.get("/api/statistics/returns/:id/sdmx", {
    config: { access: "statistics.returns" },
    schema: {
      tags,
      summary: "The return as SDMX-CSV 2.0 or SDMX-JSON (docs/sdmx-dsd.md), as published",
      params: idParams,
      querystring: z.strictObject({ format: z.enum(["csv", "json"]).default("csv") }),
      response: { 200: sdmxResponse, ...errorResponses },
    },
    handler: async (req, reply) => {
      const body = await returns.returnSdmx(ctxOf(req, deps), req.params.id, req.query.format);
      reply.type(req.query.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
      reply.header(
        "content-disposition",
        `attachment; filename="return-${req.params.id}.${req.query.format}"`,
      );
      return reply.send(body);
    },
  });

  r.get("/api/statistics/received", {
    config: { access: "statistics.report" },
    schema: {
      tags,
      summary: "At the Secretariat: the annual returns received, with their provenance and questionnaires",
      response: { 200: z.object({ returns: z.array(receivedReturnSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ returns: await report.receivedReturns(ctxOf(req, deps)) }),
  });

  r.get("/api/statistics/report", {
    config: { access: "statistics.report" },
    schema: {
      tags,
      summary:
        "The global report for a period, from the historical series and the returns received: counts and rates by country and year, medians, regions, disagreements between sources, method",
      querystring: reportQuerySchema,
      response: { 200: globalReportSchema, ...errorResponses },
    },
    handler: async (req) => report.globalReportOf(ctxOf(req, deps), req.query),
  });

  r.get("/api/statistics/map", {
    config: { access: "statistics.report" },
    schema: {
      tags,
      summary:
        "The world map of the period's last year: each country's outline as SVG path data (Equal Earth projection, Natural Earth 1:110m), its rate per 100,000 and its class",
      querystring: reportQuerySchema,
      response: { 200: worldMapSchema, ...errorResponses },
    },
    handler: async (req) => report.worldMapOf(ctxOf(req, deps), req.query),
  });

  r.get("/api/statistics/report.sdmx", {
    config: { access: "statistics.report" },
    schema: {
      tags,
      summary:
        "The figures of the global report (one count, and rate where known, per country and year, with source and status) as SDMX-CSV 2.0 or SDMX-JSON (docs/sdmx-dsd.md)",
      querystring: z.strictObject({
        from: z.coerce.number().int().min(1990).max(2200),
        to: z.coerce.number().int().min(1990).max(2200),
        format: z.enum(["csv", "json"]).default("csv"),
      }),
      response: { 200: sdmxResponse, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { from, to, format } = req.query;
      if (from > to) throw AppError.field("query.from", "must not be after to");
      const body = await report.globalReportSdmx(ctxOf(req, deps), { from, to }, format);
      reply.type(format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
      reply.header("content-disposition", `attachment; filename="global-report-${from}-${to}.${format}"`);
      return reply.send(body);
    },
  });

  r.get("/api/statistics/report.pdf", {
    config: { access: "statistics.report" },
    schema: {
      tags,
      summary: "The global report as PDF (made on the server, without a browser)",
      querystring: reportQuerySchema,
      response: { 200: z.unknown().describe("the PDF's bytes"), ...errorResponses },
    },
    handler: async (req, reply) => {
      const pdf = await report.globalReportPdf(ctxOf(req, deps), req.query);
      reply.type("application/pdf");
      reply.header(
        "content-disposition",
        `attachment; filename="global-report-${req.query.from}-${req.query.to}.pdf"`,
      );
      return reply.send(pdf);
    },
  });
}
