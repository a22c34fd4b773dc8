/** Liveness, readiness, Prometheus metrics and the OpenAPI document. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { INTEGRITY_STATES } from "../../domain/integrity.ts";
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
      summary:
        "The database answers and its migrations are current (503 otherwise). A node whose evidence no longer verifies still serves, and says so: status degraded, the integrity state and the reason",
      response: {
        200: z.object({
          status: z.enum(["ready", "degraded"]),
          integrity: z.enum(INTEGRITY_STATES),
          reason: z.string().optional(),
        }),
        503: z.object({ status: z.literal("not_ready"), reason: z.string() }),
      },
    },
    handler: async (_req, reply) => {
      try {
        if (await migrationsCurrent(deps.db.kysely)) {
          // Tampered evidence is not cured by taking the node out of the load balancer: it keeps
          // serving (its staff must see it and act), and says so here, in /metrics and on the pages.
          const r = deps.integrity.report();
          if (r.state !== "broken") return { status: "ready" as const, integrity: r.state };
          // Which chain broke, and where, is for those who may check (GET /api/integrity): this
          // route answers anyone, the one who tampered included.
          const what = [
            r.audit.ok === false ? "audit" : null,
            r.crisisLogs.ok === false ? "crisis_log" : null,
            r.attachments.ok === false ? "attachments" : null,
          ].filter(Boolean);
          return {
            status: "degraded" as const,
            integrity: r.state,
            reason: `integrity broken (${what.join(", ")}): details in GET /api/integrity`,
          };
        }
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
