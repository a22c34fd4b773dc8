/** Cross-border hit/no-hit (issue 5): ask from a case, watch the answers, decide follow-ups. Thin routes. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  askableItemSchema,
  createHitQuerySchema,
  decideFollowupSchema,
  FOLLOWUP_STATUSES,
  followupSchema,
  hitQuerySchema,
} from "../../domain/hits.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import * as hits from "./ask.ts";
import * as followups from "./followups.ts";

const tags = ["hit/no-hit"];

export function hitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/cases/:id/hit-items", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary:
        "What the case's team may ask partner nodes about: its persons (when described well enough), phones, accounts, wallets, documents and plates",
      params: idParams,
      response: { 200: z.object({ items: z.array(askableItemSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ items: await hits.askableItems(ctxOf(req, deps), req.params.id) }),
  });

  r.get("/api/cases/:id/hit-queries", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags,
      summary:
        "The case's hit/no-hit queries and each peer's answer, with what was disclosed (team only; audited)",
      params: idParams,
      querystring: z.strictObject({ disclosures: z.enum(["include", "omit"]).default("include") }),
      response: { 200: z.object({ queries: z.array(hitQuerySchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      queries: await hits.listHitQueries(ctxOf(req, deps), req.params.id, purposeOf(req), {
        omitInformation: req.query.disclosures === "omit",
      }),
    }),
  });

  r.post("/api/cases/:id/hit-queries", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary:
        "Ask peers whether they know items of the case: only keyed pseudonyms and Bloom-filter encodings leave the node, with the purpose and legal basis (audited; limited per user and hour)",
      params: idParams,
      body: createHitQuerySchema,
      response: { 202: hitQuerySchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const query = await hits.createHitQuery(ctxOf(req, deps), req.params.id, req.body);
      deps.delivery.kick();
      return reply.code(202).send(query);
    },
  });

  r.get("/api/hits/followups", {
    config: { access: "cases.work", purpose: "international cooperation" },
    schema: {
      tags,
      summary: "Follow-ups of partner nodes' hits on the caller's cases, to approve or refuse (audited)",
      querystring: z.strictObject({ status: z.enum(FOLLOWUP_STATUSES).optional() }),
      response: { 200: z.object({ followups: z.array(followupSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      followups: await followups.listFollowups(ctxOf(req, deps), req.query, purposeOf(req)),
    }),
  });

  r.post("/api/hits/followups/:id/decision", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary:
        "The matched case's lead or crisis team approves a follow-up (disclosing what they write) or refuses it; the asking node is told",
      params: idParams,
      body: decideFollowupSchema,
      response: { 200: followupSchema, ...errorResponses },
    },
    handler: async (req) => {
      const f = await followups.decideFollowup(ctxOf(req, deps), req.params.id, req.body);
      deps.delivery.kick();
      return f;
    },
  });
}
