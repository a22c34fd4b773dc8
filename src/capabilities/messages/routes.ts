/** The federation (issue 4): the node's signed descriptor, and the administration of its peers. */
import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { caseSchema, createCaseSchema } from "../../domain/cases.ts";
import { AppError } from "../../domain/errors.ts";
import {
  approvePeerSchema,
  caseMessagesSchema,
  forwardMessageSchema,
  importPeerSchema,
  inboxMessageDetailSchema,
  inboxMessageSchema,
  linkMessageSchema,
  MAX_SEND_BATCH,
  MESSAGE_STATUSES,
  nodeIdSchema,
  outboxMessageSchema,
  partnerSchema,
  peerSchema,
  SYSTEM_TYPES,
  sendMessageSchema,
  sendMessagesSchema,
  suspendPeerSchema,
} from "../../domain/federation.ts";
import { errorBodySchema, errorResponses, idParams } from "../../platform/http/common.ts";
import { openSse } from "../../platform/http/sse.ts";
import { INBOX_TOPIC } from "../../platform/live.ts";
import type { AppDeps } from "../../server/app.ts";
import { ctxOf, purposeOf } from "../accounts/guard.ts";
import * as federation from "../peers/peers.ts";
import * as messages from "./messages.ts";

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

  r.post("/api/federation/keys/rotate", {
    config: { access: "federation.manage" },
    schema: {
      tags,
      summary:
        "Rotate this node's keys: new ones from now on, the old ones still accepted during the overlap; peers that approved the old key take the new ones on its endorsement",
      response: {
        200: z.object({ signing: z.string(), encryption: z.string(), overlapUntil: z.string() }),
        ...errorResponses,
      },
    },
    handler: async (req) => federation.rotateNodeKeys(ctxOf(req, deps)),
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

  r.get("/api/federation/partners", {
    config: { access: "federation.exchange" },
    schema: {
      tags,
      summary: "The peers to address messages to: node id, name and state",
      response: { 200: z.object({ partners: z.array(partnerSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ partners: await federation.listPartners(ctxOf(req, deps)) }),
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
      messages: await messages.listInbox(ctxOf(req, deps), req.query, purposeOf(req)),
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
        ? messages.inboxEventsAfter(ctx, resumeFrom).then(async (missed) => {
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

  // Envelopes from peers: authenticated by their signature, not by a session. One envelope
  // (application/jose), or a batch of them (application/json `{"envelopes": [...]}`), each
  // signed, checked and accepted or refused on its own, answered with its receipt in order.
  void app.register((inbound, _opts, done) => {
    const maxEnvelope = deps.config.federation.maxMessageBytes;
    const maxBatch = messages.maxBatchBytes(maxEnvelope);
    const tooLarge = (what: string, limit: string) =>
      new AppError("payload_too_large", `${what} is larger than this node accepts: ${limit}.`, [
        { path: "body", message: `must be at most ${limit}` },
      ]);
    // Mutual TLS: with a client CA configured, only a peer presenting a certificate it
    // signed may deliver, checked before the body is read (the signature still decides who sent it).
    if (deps.config.tls?.clientCa) {
      inbound.addHook("onRequest", async (req) => {
        if (!(req.raw.socket as TLSSocket).authorized) {
          throw new AppError(
            "client_certificate_required",
            "This node accepts envelopes only from peers presenting a client certificate from an authority it trusts.",
          );
        }
      });
    }
    inbound.removeAllContentTypeParsers();
    inbound.addContentTypeParser(
      "application/jose",
      { parseAs: "string", bodyLimit: maxBatch },
      (_req, body, next) =>
        Buffer.byteLength(body as string) > maxEnvelope
          ? next(tooLarge("The envelope", `${maxEnvelope} bytes`))
          : next(null, body),
    );
    inbound.addContentTypeParser(
      "application/json",
      { parseAs: "string", bodyLimit: maxBatch },
      (_req, body, next) => {
        try {
          next(null, JSON.parse(body as string));
        } catch {
          next(
            new AppError("malformed_json", "The body is not valid JSON.", [
              { path: "body", message: "is not valid JSON" },
            ]),
          );
        }
      },
    );
    inbound.withTypeProvider<ZodTypeProvider>().post("/api/federation/envelopes", {
      bodyLimit: maxBatch,
      config: { access: "public" },
      schema: {
        tags,
        summary: `Receive envelopes from a peer: one (application/jose, a JWS over a JWE), answered with a signed receipt when the sender is authenticated; or a batch (application/json {"envelopes": [...]}, at most ${messages.MAX_BATCH_ENVELOPES} envelopes, and twice the largest envelope in bytes but at least 1 MiB), each checked and accepted or refused on its own, answered with a receipt per envelope in the same order (null when its sender is not authenticated) and the refusals`,
        response: {
          200: z.union([
            z.object({ receipt: z.string() }),
            z.object({
              receipts: z.array(z.string().nullable()),
              errors: z.array(z.object({ index: z.number().int(), code: z.string(), message: z.string() })),
            }),
          ]),
          400: z.union([
            z.object({ receipt: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
            errorBodySchema,
          ]),
          403: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
          413: errorBodySchema,
          415: errorBodySchema,
          500: errorBodySchema,
        },
      },
      handler: async (req, reply) => {
        const ctx = ctxOf(req, deps);
        // Committed: the liaison officers' open pages hear of it at once.
        const heard = (d: messages.Delivery) => {
          // The node's own messages (hit/no-hit, returns): no officer is alerted to them.
          if (d.received && !SYSTEM_TYPES.has(d.received.type))
            deps.live.publish(INBOX_TOPIC, "message", d.received);
          if (d.error) req.log.error({ err: d.error }, "an envelope of a batch was not stored");
        };
        const refusal = (d: messages.Delivery) => ({
          code: d.status === 500 ? "internal" : "rejected",
          message: d.status === 500 ? (d.reason ?? "not stored") : `refused: ${d.reason ?? "unknown"}`,
        });
        if (typeof req.body !== "string" || req.headers["content-type"]?.startsWith("application/json")) {
          const tokens = batchOf(req.body);
          const ds = await messages.receiveEnvelopes(ctx, tokens);
          for (const d of ds) heard(d);
          return reply.code(200).send({
            receipts: ds.map((d) => d.receipt ?? null),
            errors: ds.flatMap((d, index) => (d.status === 200 ? [] : [{ index, ...refusal(d) }])),
          });
        }
        const d = await messages.receiveEnvelope(ctx, req.body.trim());
        heard(d);
        if (d.status === 200) return reply.code(200).send({ receipt: d.receipt ?? "" });
        const error = refusal(d);
        if (d.status === 400) return reply.code(400).send({ receipt: d.receipt ?? "", error });
        return reply.code(403).send({ error });
      },
    });
    done();
  });
}

/** The envelopes of a batch body: a list of strings, at most MAX_BATCH_ENVELOPES of them. */
function batchOf(body: unknown): string[] {
  const list = (body as { envelopes?: unknown } | null)?.envelopes;
  if (
    !body ||
    typeof body !== "object" ||
    Object.keys(body).some((k) => k !== "envelopes") ||
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((t) => typeof t === "string")
  ) {
    throw AppError.field("body.envelopes", "must be a non-empty list of envelopes (compact JWS strings)");
  }
  if (list.length > messages.MAX_BATCH_ENVELOPES) {
    throw new AppError(
      "payload_too_large",
      `A batch carries at most ${messages.MAX_BATCH_ENVELOPES} envelopes; this one has ${list.length}.`,
      [{ path: "body.envelopes", message: `must hold at most ${messages.MAX_BATCH_ENVELOPES} envelopes` }],
    );
  }
  return list.map((t: string) => t.trim());
}
