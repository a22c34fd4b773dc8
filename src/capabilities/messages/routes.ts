import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { caseSchema, createCaseSchema } from "../../domain/cases.ts";
import {
  caseMessagesSchema,
  forwardMessageSchema,
  inboxMessageDetailSchema,
  inboxMessageSchema,
  linkMessageSchema,
  MAX_SEND_BATCH,
  MESSAGE_STATUSES,
  nodeIdSchema,
  outboxMessageSchema,
  sendMessageSchema,
  sendMessagesSchema,
} from "../../domain/federation.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import { openSse } from "../../platform/http/sse.ts";
import { INBOX_TOPIC } from "../../platform/live.ts";
import * as messages from "./messages.ts";

const tags = ["federation"];
const _peerParams = z.strictObject({ nodeId: nodeIdSchema });

export function messageRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post("/api/federation/messages", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Send a notice, request or reply to chosen peers or to all: queued in the outbox, delivered signed and encrypted",
      body: sendMessageSchema,
      response: { 202: z.object({ messages: z.array(outboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req, reply) => {
      const queued = await messages.sendMessage(ctxOf(req, deps), req.body);
      deps.delivery.kick();
      return reply.code(202).send({ messages: queued });
    },
  });

  r.get("/api/cases/:id/messages", {
    config: { access: "cases.work", purpose: "case work" },
    schema: {
      tags: ["cases"],
      summary:
        "What the federation carried about a case (team members only; the read is audited): received messages linked to it, TLP:RED only for its named recipients, and the messages this node sent about it with their delivery state",
      params: idParams,
      response: { 200: caseMessagesSchema, ...errorResponses },
    },
    handler: async (req) => messages.caseMessages(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.post("/api/federation/messages/batch", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary: `Send up to ${MAX_SEND_BATCH} messages at once (a national system feeding the exchange): queued all or none, in one transaction; the answer lists, per message in the order sent, what was queued for each recipient`,
      body: sendMessagesSchema,
      response: {
        202: z.object({ results: z.array(z.object({ messages: z.array(outboxMessageSchema) })) }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const queued = await messages.sendMessages(ctxOf(req, deps), req.body.messages);
      deps.delivery.kick();
      return reply.code(202).send({ results: queued.map((m) => ({ messages: m })) });
    },
  });

  r.get("/api/federation/outbox", {
    config: { access: "federation.exchange", purpose: "international cooperation" },
    schema: {
      tags,
      summary:
        "Messages sent, newest first, with their delivery state (dead: the dead letters); the read is audited",
      querystring: z.strictObject({
        status: z.enum(MESSAGE_STATUSES).optional(),
        thread: z.uuid("must be a thread id").optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ messages: z.array(outboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      messages: await messages.listOutbox(ctxOf(req, deps), req.query, purposeOf(req)),
    }),
  });

  r.post("/api/federation/outbox/:id/retry", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary: "Send a dead or rejected message again",
      params: idParams,
      response: { 200: outboxMessageSchema, ...errorResponses },
    },
    handler: async (req) => {
      const m = await messages.retryMessage(ctxOf(req, deps), req.params.id);
      deps.delivery.kick();
      return m;
    },
  });

  r.get("/api/federation/inbox", {
    config: { access: "federation.exchange", purpose: "international cooperation" },
    schema: {
      tags,
      summary: "Messages received from peers, newest first (the read is audited)",
      querystring: z.strictObject({
        thread: z.uuid("must be a thread id").optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ messages: z.array(inboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      messages: await messages.listInbox(ctxOf(req, deps), deps.messageTypes, req.query, purposeOf(req)),
    }),
  });

  r.get("/api/federation/inbox/stream", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Messages as they arrive (Server-Sent Events, `event: message`, `id` = message id: sender, type, TLP, urgent) — enough to raise an alert; the content is read from the inbox. TLP:RED arrivals reach their named recipients only; a reconnect with `Last-Event-ID` first receives what it missed",
      response: { 200: z.string().describe("text/event-stream"), ...errorResponses },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(req, deps);
      const stream = openSse(req, reply, deps.live);
      const seen = new Set<string>();
      type Arrival = { id: string; tlp: string; namedRecipients: string[] };
      const send = async (event: string, m: Arrival) => {
        if (seen.has(m.id) || !(await messages.mayHearOf(ctx, m))) return;
        seen.add(m.id);
        stream.send(event, m.id, m);
      };
      const resumeFrom = String(req.headers["last-event-id"] ?? "");
      let queue: Promise<void> = z.uuid().safeParse(resumeFrom).success
        ? messages.inboxEventsAfter(ctx, deps.messageTypes, resumeFrom).then(async (missed) => {
            for (const m of missed) await send("message", m);
          })
        : Promise.resolve();
      // Subscribed before the replay is read, so that nothing falls between the two.
      stream.onClose(
        deps.live.subscribe(INBOX_TOPIC, (event, data) => {
          queue = queue
            .then(() => send(event, data as Arrival))
            .catch((err: unknown) => {
              req.log.error({ err }, "inbox stream failed");
              stream.close();
            });
        }),
      );
      queue = queue.catch((err: unknown) => {
        req.log.error({ err }, "inbox replay failed");
        stream.close();
      });
    },
  });

  r.get("/api/federation/inbox/:id", {
    config: { access: "federation.exchange", purpose: "international cooperation" },
    schema: {
      tags,
      summary:
        "One received message in full, with the local cases it is linked to (those the reader works on); the read is audited",
      params: idParams,
      response: { 200: inboxMessageDetailSchema, ...errorResponses },
    },
    handler: async (req) => messages.getInboxMessage(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.post("/api/federation/inbox/:id/links", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Link a received message to a local case the caller works on (a case they are not on does not exist for them)",
      params: idParams,
      body: linkMessageSchema,
      response: { 200: inboxMessageDetailSchema, ...errorResponses },
    },
    handler: async (req) => messages.linkMessageToCase(ctxOf(req, deps), req.params.id, req.body),
  });

  r.post("/api/federation/inbox/:id/case", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Open a local case from a received notice, linked to it, in one step; the caller leads the new case",
      params: idParams,
      body: createCaseSchema,
      response: {
        201: z.object({ case: caseSchema, message: inboxMessageDetailSchema }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await messages.openCaseFromMessage(ctxOf(req, deps), req.params.id, req.body)),
  });

  r.post("/api/federation/inbox/:id/forward", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Pass a received message on to other peers — only what its TLP and handling codes allow (CLEAR or GREEN, no H2 or H3)",
      params: idParams,
      body: forwardMessageSchema,
      response: { 202: z.object({ messages: z.array(outboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req, reply) => {
      const sent = await messages.forwardMessage(ctxOf(req, deps), req.params.id, req.body);
      deps.delivery.kick();
      return reply.code(202).send({ messages: sent });
    },
  });
}
