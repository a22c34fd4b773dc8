/** A case exported whole: JSON for the node's own tools, FollowTheMoney entities for investigative tools. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import { exportCase } from "./export.ts";

export function caseExportRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/cases/:id/export", {
    config: { access: "cases.work", purpose: "export to an investigative tool" },
    schema: {
      tags: ["cases"],
      summary:
        "The case as JSON (case, team, persons, and the crisis log for the crisis team), or as FollowTheMoney entities (JSON Lines) for investigative tools",
      params: idParams,
      querystring: z.strictObject({ format: z.enum(["json", "ftm"]).default("json") }),
      response: { 200: z.unknown(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await exportCase(ctxOf(req, deps), req.params.id, req.query.format, purposeOf(req));
      const name = `${req.params.id}.${req.query.format === "ftm" ? "ftm.json" : "json"}`;
      reply.header("content-disposition", `attachment; filename="${name}"`);
      if (Array.isArray(out)) {
        reply.type("application/x-ndjson");
        return reply.send(`${out.map((e) => JSON.stringify(e)).join("\n")}\n`);
      }
      return out;
    },
  });
}
