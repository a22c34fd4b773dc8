/**
 * The other records of a case: organised groups, vehicles, selectors, attachments,
 * rescue operations and charges. Thin routes; need-to-know lives in the use cases.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  attachmentQuerySchema,
  attachmentSchema,
  chargeInputSchema,
  chargeSchema,
  groupInputSchema,
  groupSchema,
  rescueInputSchema,
  rescueSchema,
  selectorInputSchema,
  selectorSchema,
  vehicleInputSchema,
  vehicleSchema,
} from "../../domain/case-records.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import * as records from "./records.ts";

const tags = ["case records"];
const recordsSchema = z.object({
  groups: z.array(groupSchema),
  vehicles: z.array(vehicleSchema),
  selectors: z.array(selectorSchema),
  attachments: z.array(attachmentSchema),
  rescues: z.array(rescueSchema),
  charges: z.array(chargeSchema),
});
const chargeParams = z.strictObject({ id: z.uuid("must be a UUID"), chargeId: z.uuid("must be a UUID") });
const attachmentParams = z.strictObject({
  id: z.uuid("must be a UUID"),
  attachmentId: z.uuid("must be a UUID"),
});

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function caseRecordRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/cases/:id/records", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags,
      summary:
        "Organised groups, vehicles, selectors, attachments, rescue operations and charges of the case (team members only; the read is audited)",
      params: idParams,
      response: { 200: recordsSchema, ...errorResponses },
    },
    handler: async (req) => records.readRecords(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.post("/api/cases/:id/groups", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary: "Record an organised group involved in the case",
      params: idParams,
      body: groupInputSchema,
      response: { 201: groupSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await records.addGroup(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.post("/api/cases/:id/vehicles", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary: "Record a vehicle; its plate is also kept normalised for search",
      params: idParams,
      body: vehicleInputSchema,
      response: { 201: vehicleSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await records.addVehicle(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.post("/api/cases/:id/selectors", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary:
        "Record a phone (to E.164), an IBAN (checked) or a crypto wallet (checked for its asset); a duplicate is refused",
      params: idParams,
      body: selectorInputSchema,
      response: { 201: selectorSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await records.addSelector(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.post("/api/cases/:id/rescues", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary: "Record a rescue operation (lead and crisis team); recorded operations are not changed",
      params: idParams,
      body: rescueInputSchema,
      response: { 201: rescueSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await records.recordRescue(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.post("/api/cases/:id/charges", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary: "Record a charge: the offence, its legal provision, the court and the stage reached",
      params: idParams,
      body: chargeInputSchema,
      response: { 201: chargeSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await records.addCharge(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.put("/api/cases/:id/charges/:chargeId", {
    config: { access: "cases.work" },
    schema: {
      tags,
      summary: "The charge as it stands now: stage, verdict, sentence, appeal (each change is audited)",
      params: chargeParams,
      body: chargeInputSchema,
      response: { 200: chargeSchema, ...errorResponses },
    },
    handler: async (req) =>
      records.updateCharge(ctxOf(req, deps), req.params.id, req.params.chargeId, req.body),
  });

  r.get("/api/cases/:id/attachments/:attachmentId", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags,
      summary:
        "Download an attachment (team members only; the read is audited, the content checked against its SHA-256)",
      params: attachmentParams,
      response: { 200: z.unknown().describe("the file's bytes"), ...errorResponses },
    },
    handler: async (req, reply) => {
      const { meta, content } = await records.readAttachment(
        ctxOf(req, deps),
        req.params.id,
        req.params.attachmentId,
        purposeOf(req),
      );
      reply
        .type(meta.mediaType)
        .header("content-disposition", contentDisposition(meta.filename))
        .header("x-content-sha256", meta.sha256)
        .header("cache-control", "no-store")
        // A file from a case is never run as a page of this origin.
        .header("content-security-policy", "sandbox; default-src 'none'");
      return reply.send(content);
    },
  });

  // Uploads carry the file's own bytes as the body, whatever its type, up to the node's limit.
  void app.register((upload, _opts, done) => {
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: deps.config.attachmentMaxBytes },
      (_req, body, done) => done(null, body),
    );
    upload.withTypeProvider<ZodTypeProvider>().post("/api/cases/:id/attachments", {
      bodyLimit: deps.config.attachmentMaxBytes,
      config: { access: "cases.work" },
      schema: {
        tags,
        summary:
          "Attach a file: the body is the file itself (its Content-Type is kept); the node computes its SHA-256 and keeps it in its database",
        params: idParams,
        querystring: attachmentQuerySchema,
        response: { 201: attachmentSchema, ...errorResponses },
      },
      handler: async (req, reply) => {
        const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const saved = await records.addAttachment(ctxOf(req, deps), req.params.id, {
          filename: req.query.filename,
          description: req.query.description,
          mediaType: req.headers["content-type"],
          content,
        });
        return reply.code(201).send(saved);
      },
    });
    done();
  });
}
