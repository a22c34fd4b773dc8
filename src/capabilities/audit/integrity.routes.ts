/**
 * The node's integrity for its administrators and auditors: what the last verification found
 * (which chain, which case and entry, which attachment), and a fresh full verification on demand.
 * It names records, never their content.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { integrityReportSchema } from "../../domain/integrity.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses } from "../../platform/http/common.ts";

export function integrityRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/integrity", {
    config: { access: "integrity.check" },
    schema: {
      tags: ["audit"],
      summary:
        "Whether the audit chain, every crisis log and every attachment verified at the node's last check (at start, periodically, on demand)",
      response: { 200: integrityReportSchema, ...errorResponses },
    },
    handler: async () => deps.integrity.report(),
  });

  r.post("/api/integrity/verify", {
    config: { access: "integrity.check" },
    schema: {
      tags: ["audit"],
      summary:
        "Start a full verification now (one already asked for is shared); answers at once with the current report — poll GET /api/integrity",
      response: { 202: integrityReportSchema, ...errorResponses },
    },
    handler: async (_req, reply) => {
      void deps.integrity.verifyNow().catch(() => {});
      return reply.code(202).send(deps.integrity.report());
    },
  });
}
