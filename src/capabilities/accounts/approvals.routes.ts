/** Four eyes: the requests that wait for a second administrator, and the security notices. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { approvalSchema, securityNoticeSchema, text, tokenSchema, userSchema } from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as approvals from "./approvals.ts";
import * as notices from "./notices.ts";

export function approvalRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/approvals", {
    config: { access: "users.manage" },
    schema: {
      tags: ["approvals"],
      summary:
        "Requests waiting for a second administrator (pending), or decided ones; expired ones are marked so",
      querystring: z.strictObject({ status: z.enum(["pending", "decided"]).optional() }),
      response: { 200: z.object({ approvals: z.array(approvalSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ approvals: await approvals.listApprovals(ctxOf(req, deps), req.query) }),
  });

  r.get("/api/approvals/:id", {
    config: { access: "users.manage" },
    schema: {
      tags: ["approvals"],
      summary: "One request",
      params: idParams,
      response: { 200: approvalSchema, ...errorResponses },
    },
    handler: async (req) => approvals.getApproval(ctxOf(req, deps), req.params.id),
  });

  r.post("/api/approvals/:id/approve", {
    config: { access: "users.manage" },
    schema: {
      tags: ["approvals"],
      summary:
        "Approve a request (never one's own, never about one's own account): the change is made now; a one-time password or a token's secret is in this answer only",
      params: idParams,
      response: {
        200: z.object({
          approval: approvalSchema,
          user: userSchema.optional(),
          temporaryPassword: z.string().optional(),
          token: tokenSchema.optional(),
          secret: z.string().optional(),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => approvals.approve(ctxOf(req, deps), req.params.id),
  });

  r.post("/api/approvals/:id/refuse", {
    config: { access: "users.manage" },
    schema: {
      tags: ["approvals"],
      summary: "Refuse a request (never one's own, never about one's own account); nothing changes",
      params: idParams,
      body: z.strictObject({ reason: text(500).optional() }),
      response: { 200: approvalSchema, ...errorResponses },
    },
    handler: async (req) => approvals.refuse(ctxOf(req, deps), req.params.id, req.body),
  });

  r.get("/api/security-notices", {
    config: { access: "users.read", purpose: "user administration" },
    schema: {
      tags: ["approvals"],
      summary:
        "Every change made to an account by someone else (resets, grants, tokens), newest first; break-glass ones marked (administrators and auditors)",
      querystring: z.strictObject({ breakGlass: z.enum(["true", "false"]).optional() }),
      response: { 200: z.object({ notices: z.array(securityNoticeSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      notices: await notices.listNotices(ctxOf(req, deps), {
        breakGlass: req.query.breakGlass === undefined ? undefined : req.query.breakGlass === "true",
      }),
    }),
  });

  r.get("/api/me/security-notices", {
    config: { access: "self.read" },
    schema: {
      tags: ["auth"],
      summary: "Changes someone else made to my account that I have not acknowledged: who, what, when",
      response: { 200: z.object({ notices: z.array(securityNoticeSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ notices: await notices.myNotices(ctxOf(req, deps)) }),
  });

  r.post("/api/me/security-notices/:id/acknowledge", {
    config: { access: "self.update" },
    schema: {
      tags: ["auth"],
      summary: "Acknowledge a notice about my account (audited); it is no longer shown to me",
      params: idParams,
      response: { 200: securityNoticeSchema, ...errorResponses },
    },
    handler: async (req) => notices.acknowledgeNotice(ctxOf(req, deps), req.params.id),
  });
}
