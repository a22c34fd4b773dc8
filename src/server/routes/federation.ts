/** The federation (issue 4): the node's signed descriptor, and the administration of its peers. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  approvePeerSchema,
  forwardMessageSchema,
  importPeerSchema,
  inboxMessageSchema,
  MESSAGE_STATUSES,
  nodeIdSchema,
  outboxMessageSchema,
  peerSchema,
  sendMessageSchema,
  suspendPeerSchema,
} from "../../domain/federation.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, purposeOf } from "../http/guard.ts";
import { openSse } from "../http/sse.ts";
import { INBOX_TOPIC } from "../live.ts";
import * as federation from "../usecases/federation.ts";
import * as messages from "../usecases/federation-messages.ts";
import { errorResponses, idParams } from "./common.ts";

const tags = ["federation"];
const peerParams = z.strictObject({ nodeId: nodeIdSchema });

export function federationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/federation/descriptor", {
    config: { access: "public" },
    schema: {
      tags: ["federation"],
      summary:
        "This node's public descriptor: node id, name, endpoint and public keys (JWKS), signed by the node (a compact JWS), with the key fingerprints to compare out of band",
      response: {
        200: z.object({
          nodeId: z.string(),
          descriptor: z.string(),
          fingerprints: z.object({ signing: z.string(), encryption: z.string() }),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => federation.nodeDescriptor(ctxOf(req, deps)),
  });

  r.get("/api/federation/peers", {
    config: { access: "federation.manage" },
    schema: {
      tags,
      summary: "The peer nodes, with their state and key fingerprints",
      response: { 200: z.object({ peers: z.array(peerSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ peers: await federation.listPeers(ctxOf(req, deps)) }),
  });

  r.post("/api/federation/peers", {
    config: { access: "federation.manage" },
    schema: {
      tags,
      summary:
        "Import a peer's signed descriptor; a new peer, or one whose keys changed, stays pending until approved",
      body: importPeerSchema,
      response: { 200: peerSchema, ...errorResponses },
    },
    handler: async (req) => federation.importPeer(ctxOf(req, deps), req.body),
  });

  r.post("/api/federation/peers/:nodeId/approve", {
    config: { access: "federation.manage" },
    schema: {
      tags,
      summary:
        "Approve a peer after comparing its signing-key fingerprint out of band (type it: it must match)",
      params: peerParams,
      body: approvePeerSchema,
      response: { 200: peerSchema, ...errorResponses },
    },
    handler: async (req) => federation.approvePeer(ctxOf(req, deps), req.params.nodeId, req.body),
  });

  r.post("/api/federation/peers/:nodeId/suspend", {
    config: { access: "federation.manage" },
    schema: {
      tags,
      summary: "Suspend a peer: nothing is accepted from it or sent to it until it is approved again",
      params: peerParams,
      body: suspendPeerSchema,
      response: { 200: peerSchema, ...errorResponses },
    },
    handler: async (req) => federation.suspendPeer(ctxOf(req, deps), req.params.nodeId, req.body),
  });

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

  r.get("/api/federation/outbox", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary: "Messages sent, newest first, with their delivery state (dead: the dead letters)",
      querystring: z.strictObject({
        status: z.enum(MESSAGE_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ messages: z.array(outboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ messages: await messages.listOutbox(ctxOf(req, deps), req.query) }),
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
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ messages: z.array(inboxMessageSchema) }), ...errorResponses },
    },
    handler: async (req) => ({
      messages: await messages.listInbox(ctxOf(req, deps), req.query, purposeOf(req)),
    }),
  });

  r.get("/api/federation/inbox/stream", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary:
        "Messages as they arrive (Server-Sent Events, `event: message`: id, sender, type, TLP, urgent) — enough to raise an alert; the content is read from the inbox",
      response: { 200: z.string().describe("text/event-stream"), ...errorResponses },
    },
    handler: async (req, reply) => {
      const stream = openSse(req, reply, deps.live);
      stream.onClose(
        deps.live.subscribe(INBOX_TOPIC, (event, data) =>
          stream.send(event, (data as { id: string }).id, data),
        ),
      );
    },
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

  // Envelopes from peers: authenticated by their signature, not by a session.
  void app.register((inbound, _opts, done) => {
    inbound.removeAllContentTypeParsers();
    inbound.addContentTypeParser(
      "application/jose",
      { parseAs: "string", bodyLimit: deps.config.federation.maxMessageBytes },
      (_req, body, next) => next(null, body),
    );
    inbound.withTypeProvider<ZodTypeProvider>().post("/api/federation/envelopes", {
      bodyLimit: deps.config.federation.maxMessageBytes,
      config: { access: "public" },
      schema: {
        tags,
        summary:
          "Receive an envelope from a peer (application/jose: a JWS over a JWE); answers with a signed receipt when the sender is authenticated",
        response: {
          200: z.object({ receipt: z.string() }),
          400: z.object({ receipt: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
          403: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
        },
      },
      handler: async (req, reply) => {
        const token = typeof req.body === "string" ? req.body.trim() : "";
        const d = await messages.receiveEnvelope(ctxOf(req, deps), token);
        // Committed: the liaison officers' open pages hear of it at once.
        if (d.received) deps.live.publish(INBOX_TOPIC, "message", d.received);
        if (d.status === 200) return reply.code(200).send({ receipt: d.receipt ?? "" });
        const error = { code: "rejected", message: `refused: ${d.reason ?? "unknown"}` };
        if (d.status === 400) return reply.code(400).send({ receipt: d.receipt ?? "", error });
        return reply.code(403).send({ error });
      },
    });
    done();
  });
}
