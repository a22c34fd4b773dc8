/** The audit trail, for auditors. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { auditEntrySchema, auditEventSchema, text } from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as auditUc from "./audit.ts";

export function auditRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/audit", {
    config: { access: "audit.read", purpose: "audit review" },
    schema: {
      tags: ["audit"],
      summary: "Entries of the audit trail, newest first, with filters",
      querystring: z.strictObject({
        event: auditEventSchema.optional(),
        actor: text(200).optional(),
        targetId: text(200).optional(),
        refusals: z
          .enum(["true", "false"])
          .optional()
          .describe(
            "true: only the entries that record a refusal (access.refused, message.refused, sign-in failures…)",
          ),
        reason: text(100)
          .optional()
          .describe("a refusal's reason (details.reason), e.g. not_found, csrf_failed"),
        route: text(300)
          .optional()
          .describe("a refused request's route pattern (details.route), e.g. /api/cases/:id"),
        from: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).optional(),
        to: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).optional(),
        before: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: {
        200: z.object({ entries: z.array(auditEntrySchema), nextBefore: z.number().nullable() }),
        ...errorResponses,
      },
    },
    handler: async (req) =>
      auditUc.listAudit(ctxOf(req, deps), { ...req.query, refusals: req.query.refusals === "true" }),
  });

  r.get("/api/audit/verify", {
    config: { access: "audit.verify" },
    schema: {
      tags: ["audit"],
      summary: "Recompute the hash chain and report the first broken entry, if any",
      response: {
        200: z.object({
          ok: z.boolean(),
          entries: z.number(),
          pending: z.number(),
          head: z.object({ seq: z.number(), hash: z.string() }),
          firstBroken: z.object({ seq: z.number(), reason: z.string() }).optional(),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => auditUc.verifyAudit(ctxOf(req, deps)),
  });
}
