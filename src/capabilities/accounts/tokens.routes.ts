/** The caller's own API tokens. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { permissionSchema, text, tokenSchema } from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as tokens from "./tokens.ts";

export function tokenRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/tokens", {
    config: { access: "tokens.own" },
    schema: {
      tags: ["tokens"],
      summary: "List my API tokens",
      response: { 200: z.object({ tokens: z.array(tokenSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ tokens: await tokens.listTokens(ctxOf(req, deps)) }),
  });

  r.post("/api/tokens", {
    config: { access: "tokens.own" },
    schema: {
      tags: ["tokens"],
      summary: "Create an API token; the secret is shown once",
      body: z.strictObject({
        name: text(100, 1),
        scopes: z.array(permissionSchema).min(1, "must name at least one scope"),
        expiresInDays: z.number().int("must be a whole number").min(1).max(365),
      }),
      response: { 201: z.object({ token: tokenSchema, secret: z.string() }), ...errorResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await tokens.createToken(ctxOf(req, deps), req.body)),
  });

  r.delete("/api/tokens/:id", {
    config: { access: "tokens.own" },
    schema: {
      tags: ["tokens"],
      summary: "Revoke one of my API tokens",
      params: idParams,
      response: { 200: tokenSchema, ...errorResponses },
    },
    handler: async (req) => tokens.revokeToken(ctxOf(req, deps), req.params.id),
  });
}
