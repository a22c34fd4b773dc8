/** Kidnapping cases: thin routes over the cases use cases. Need-to-know is enforced in the use cases. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  appendCrisisLogSchema,
  caseFiltersShape,
  caseSchema,
  createCaseSchema,
  crisisLogEntrySchema,
  fromNotAfterTo,
  personInputSchema,
  personSchema,
  setTeamMemberSchema,
  teamMemberSchema,
  transitionSchema,
} from "../../domain/cases.ts";
import { text } from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import { openSse } from "../../platform/http/sse.ts";
import { crisisTopic } from "../../platform/live.ts";
import * as cases from "./cases.ts";
import * as crisisLog from "./crisis-log.ts";
import * as persons from "./persons.ts";
import * as search from "./search.ts";
import { caseStatistics } from "./statistics.ts";

const memberParams = z.strictObject({ id: z.uuid("must be a UUID"), userId: z.uuid("must be a UUID") });
const team = z.object({ team: z.array(teamMemberSchema) });

export function caseRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post("/api/cases", {
    config: { access: "cases.create" },
    schema: {
      tags: ["cases"],
      summary:
        "Open a case; its ICCS class and type are derived from the recorded elements, the opener leads its team",
      body: createCaseSchema,
      response: { 201: caseSchema, ...errorResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await cases.createCase(ctxOf(req, deps), req.body)),
  });

  r.get("/api/cases", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags: ["cases"],
      summary:
        "The cases whose team I am on, newest first, narrowed by status, type, ICCS code, place and dates",
      querystring: z
        .strictObject({ ...caseFiltersShape, limit: z.coerce.number().int().min(1).max(500).default(100) })
        .refine(...fromNotAfterTo),
      response: { 200: z.object({ cases: z.array(caseSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ cases: await cases.listCases(ctxOf(req, deps), req.query) }),
  });

  r.get("/api/cases/search", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags: ["cases"],
      summary:
        "Search my cases by reference, person name (any script, typos tolerated), vehicle plate, phone number, IBAN or crypto wallet, narrowed by the list's filters",
      querystring: z
        .strictObject({
          ...caseFiltersShape,
          q: text(200, 2),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        })
        .refine(...fromNotAfterTo),
      response: {
        200: z.object({
          hits: z.array(
            z.object({
              case: caseSchema,
              matchedOn: z.enum(["reference", "person", "phone", "iban", "wallet", "plate"]),
              person: z.string().nullable(),
              score: z.number(),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => ({ hits: await search.searchCases(ctxOf(req, deps), req.query) }),
  });

  /** A count, or null where it is below the node's minimum cell and withheld. */
  const cell = z.number().int().nullable();
  const counts = z.record(z.string(), cell);
  r.get("/api/cases/statistics", {
    config: { access: "cases.statistics", purpose: "statistics" },
    schema: {
      tags: ["cases"],
      summary:
        "Anonymised counts over all of the node's cases (by status, ICCS code, type, outcome, year, region) — never a case; counts below minCell are withheld (null)",
      querystring: z
        .strictObject({
          from: z.coerce.number().int().min(1900).max(2200).optional(),
          to: z.coerce.number().int().min(1900).max(2200).optional(),
        })
        .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
          message: "must not be after to",
          path: ["from"],
        }),
      response: {
        200: z.object({
          total: z.number().int(),
          minCell: z.number().int(),
          byStatus: counts,
          byIccs: counts,
          byType: counts,
          byOutcome: counts,
          byYear: z.array(z.object({ year: z.number().int(), cases: cell, kidnappings: cell })),
          byRegion: z.array(z.object({ country: z.string(), region: z.string().nullable(), cases: cell })),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => caseStatistics(ctxOf(req, deps), req.query),
  });

  r.get("/api/cases/:id", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags: ["cases"],
      summary: "One case (team members only; the read is audited)",
      params: idParams,
      response: { 200: caseSchema, ...errorResponses },
    },
    handler: async (req) => cases.getCase(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.post("/api/cases/:id/transition", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary: "Move the case along its lifecycle (an outcome to resolve it, a reason to reopen it)",
      params: idParams,
      body: transitionSchema,
      response: { 200: caseSchema, ...errorResponses },
    },
    handler: async (req) => cases.transitionCase(ctxOf(req, deps), req.params.id, req.body),
  });

  r.get("/api/cases/:id/persons", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags: ["cases"],
      summary: "The people of the case (team members only; the read is audited)",
      params: idParams,
      response: { 200: z.object({ persons: z.array(personSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      persons: await persons.listPersons(ctxOf(req, deps), req.params.id, purposeOf(req)),
    }),
  });

  r.post("/api/cases/:id/persons", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary:
        "Record a victim, suspect, family contact, witness or negotiator; phones become E.164, IBANs are checked",
      params: idParams,
      body: personInputSchema,
      response: { 201: personSchema, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await persons.addPerson(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.get("/api/cases/:id/team", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary: "The case team",
      params: idParams,
      response: { 200: team, ...errorResponses },
    },
    handler: async (req) => ({ team: await cases.listTeam(ctxOf(req, deps), req.params.id) }),
  });

  r.put("/api/cases/:id/team/:userId", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary: "The lead puts a colleague on the team, or changes their per-case role",
      params: memberParams,
      body: setTeamMemberSchema,
      response: { 200: team, ...errorResponses },
    },
    handler: async (req) => ({
      team: await cases.setTeamMember(ctxOf(req, deps), req.params.id, req.params.userId, req.body.caseRole),
    }),
  });

  r.delete("/api/cases/:id/team/:userId", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary: "The lead takes a colleague off the team",
      params: memberParams,
      response: { 200: team, ...errorResponses },
    },
    handler: async (req) => ({
      team: await cases.removeTeamMember(ctxOf(req, deps), req.params.id, req.params.userId),
    }),
  });

  r.get("/api/cases/:id/crisis-log", {
    config: { access: "cases.work", purpose: "crisis management" },
    schema: {
      tags: ["cases"],
      summary: "The crisis log (crisis team only), with the result of re-checking its hash chain",
      params: idParams,
      response: {
        200: z.object({ entries: z.array(crisisLogEntrySchema), verified: z.boolean() }),
        ...errorResponses,
      },
    },
    handler: async (req) => crisisLog.readCrisisLog(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.post("/api/cases/:id/crisis-log", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary:
        "Record a crisis-log entry; entries are never edited: a correction is a new entry that points to the old one",
      params: idParams,
      body: appendCrisisLogSchema,
      response: { 201: crisisLogEntrySchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const entry = await crisisLog.appendCrisisLog(ctxOf(req, deps), req.params.id, req.body);
      // Committed: now the crisis team's open pages may see it.
      deps.live.publish(crisisTopic(req.params.id), "entry", entry);
      return reply.code(201).send(entry);
    },
  });

  r.get("/api/cases/:id/crisis-log/stream", {
    config: { access: "cases.work", purpose: "crisis management" },
    schema: {
      tags: ["cases"],
      summary:
        "New crisis-log entries as they are recorded (Server-Sent Events, `event: entry`, `id` = entry id), for the crisis team; a reconnect with `Last-Event-ID` first receives what it missed; membership is re-checked before every delivery",
      params: idParams,
      response: { 200: z.string().describe("text/event-stream"), ...errorResponses },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req, deps);
      const caseId = req.params.id;
      await crisisLog.openCrisisStream(ctx, caseId, purposeOf(req));
      const stream = openSse(req, reply, deps.live);
      let lastSent = 0;
      const send = (event: string, e: { id: number }) => {
        if (e.id <= lastSent) return;
        lastSent = e.id;
        stream.send(event, e.id, e);
      };
      // A reconnecting browser says which entry it saw last: what it missed comes first, once.
      const resumeFrom = Number(req.headers["last-event-id"]);
      let queue: Promise<void> =
        Number.isSafeInteger(resumeFrom) && resumeFrom > 0
          ? crisisLog.crisisEntriesAfter(ctx, caseId, resumeFrom).then((missed) => {
              lastSent = resumeFrom;
              for (const e of missed) send("entry", e);
            })
          : Promise.resolve();
      // Subscribed before the replay is read, so that nothing falls between the two.
      stream.onClose(
        deps.live.subscribe(crisisTopic(caseId), (event, data) => {
          queue = queue
            .then(async () => {
              // Need-to-know holds on live streams too: taken off the team, the stream ends.
              if (!(await crisisLog.onCrisisTeam(ctx, caseId))) return stream.close();
              send(event, data as { id: number });
            })
            .catch((err: unknown) => {
              req.log.error({ err }, "crisis-log stream failed");
              stream.close();
            });
        }),
      );
      queue = queue.catch((err: unknown) => {
        req.log.error({ err }, "crisis-log replay failed");
        stream.close();
      });
    },
  });
}
