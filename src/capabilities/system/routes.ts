/** Liveness, readiness, Prometheus metrics and the OpenAPI document. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { migrationsCurrent } from "../../platform/db/index.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses } from "../../platform/http/common.ts";

export function systemRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/health", {
    config: { access: "public" },
    schema: {
      tags: ["system"],
      summary: "The process is alive",
      response: { 200: z.object({ status: z.literal("ok") }) },
    },
    handler: async () => ({ status: "ok" as const }),
  });

  r.get("/ready", {
    config: { access: "public" },
    schema: {
      tags: ["system"],
      summary: "The database answers and its migrations are current",
      response: {
        200: z.object({ status: z.literal("ready") }),
        503: z.object({ status: z.literal("not_ready"), reason: z.string() }),
      },
    },
    handler: async (_req, reply) => {
      try {
        if (await migrationsCurrent(deps.db.kysely)) return { status: "ready" as const };
        return reply.code(503).send({ status: "not_ready" as const, reason: "migrations pending" });
      } catch {
        return reply.code(503).send({ status: "not_ready" as const, reason: "database unreachable" });
      }
    },
  });

  r.get("/metrics", {
    config: { access: "system.monitor" },
    schema: {
      tags: ["system"],
      summary: "Prometheus metrics (API token with the system.monitor scope)",
      response: { 200: z.string(), ...errorResponses },
    },
    handler: async (_req, reply) => {
      reply.header("content-type", deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  });

  r.get("/api/openapi.json", {
    config: { access: "public" },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
}
