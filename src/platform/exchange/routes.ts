/**
 * Envelopes from peers: authenticated by their signature, not by a session. One envelope
 * (application/jose), or a batch of them (application/json `{"envelopes": [...]}`), each
 * signed, checked and accepted or refused on its own, answered with its receipt in order.
 */
import type { TLSSocket } from "node:tls";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import type { Refusal } from "../audit/refusals.ts";
import type { AppDeps } from "../deps.ts";
import { errorBodySchema } from "../http/common.ts";
import { ctxOf } from "../http/request.ts";
import { INBOX_TOPIC } from "../live.ts";
import {
  type Delivery,
  MAX_BATCH_ENVELOPES,
  maxBatchBytes,
  receiveEnvelope,
  receiveEnvelopes,
} from "./receive.ts";

const tags = ["federation"];

export function envelopeRoutes(app: FastifyInstance, deps: AppDeps) {
  void app.register((inbound, _opts, done) => {
    const maxEnvelope = deps.config.federation.maxMessageBytes;
    const maxBatch = maxBatchBytes(maxEnvelope);
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
        summary: `Receive envelopes from a peer: one (application/jose, a JWS over a JWE), answered with a signed receipt when the sender is authenticated; or a batch (application/json {"envelopes": [...]}, at most ${MAX_BATCH_ENVELOPES} envelopes, and twice the largest envelope in bytes but at least 1 MiB), each checked and accepted or refused on its own, answered with a receipt per envelope in the same order (null when its sender is not authenticated) and the refusals`,
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
        const heard = (d: Delivery) => {
          // The node's own messages (hit/no-hit, returns): no officer is alerted to them.
          if (d.received && !deps.messageTypes.isNodeType(d.received.type))
            deps.live.publish(INBOX_TOPIC, "message", d.received);
          if (d.error) req.log.error({ err: d.error }, "an envelope of a batch was not stored");
        };
        const refusal = (d: Delivery) => ({
          code: d.status === 500 ? "internal" : "rejected",
          message: d.status === 500 ? (d.reason ?? "not stored") : `refused: ${d.reason ?? "unknown"}`,
        });
        if (typeof req.body !== "string" || req.headers["content-type"]?.startsWith("application/json")) {
          const tokens = batchOf(req.body);
          const ds = await receiveEnvelopes(ctx, deps.messageTypes, tokens);
          for (const d of ds) heard(d);
          await recordRefusals(req, ds);
          return reply.code(200).send({
            receipts: ds.map((d) => d.receipt ?? null),
            errors: ds.flatMap((d, index) => (d.status === 200 ? [] : [{ index, ...refusal(d) }])),
          });
        }
        const d = await receiveEnvelope(ctx, deps.messageTypes, req.body.trim());
        heard(d);
        await recordRefusals(req, [d]);
        if (d.status === 200) return reply.code(200).send({ receipt: d.receipt ?? "" });
        const error = refusal(d);
        if (d.status === 400) return reply.code(400).send({ receipt: d.receipt ?? "", error });
        return reply.code(403).send({ error });
      },
    });
    done();
  });
}

/**
 * Count what the inbox's own entries leave out: envelopes refused before their sender was
 * authenticated (anyone can send those: a flood of them is one access.refused a minute,
 * with the sender they claimed), and envelopes received before and sent again (a replay,
 * or a retry after a lost receipt), never processed twice. Refusals of a signed envelope
 * are message.refused entries of their own, written with the batch.
 */
async function recordRefusals(req: FastifyRequest, ds: readonly Delivery[]): Promise<void> {
  const route = req.routeOptions.url ?? "/api/federation/envelopes";
  const base = { actorId: null, ip: req.ip, method: req.method, route, requestId: req.id };
  const refusals = ds.flatMap((d): Refusal[] => {
    if (d.duplicate)
      return [
        {
          ...base,
          actorLabel: `peer:${d.duplicate.sender}`,
          reason: "replayed",
          objectType: "message",
          objectId: d.duplicate.id,
          details: { sender: d.duplicate.sender },
        },
      ];
    if (d.status === 403)
      return [
        {
          ...base,
          actorLabel: req.actor?.label ?? "anonymous",
          reason: d.reason ?? "refused",
          details: { claimedSender: d.claimedSender || null },
        },
      ];
    return [];
  });
  if (refusals.length === 0 || !req.server.refusals) return;
  try {
    await req.server.refusals.record(refusals);
  } catch (err) {
    req.log.error({ err }, "refused envelopes could not be recorded");
  }
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
  if (list.length > MAX_BATCH_ENVELOPES) {
    throw new AppError(
      "payload_too_large",
      `A batch carries at most ${MAX_BATCH_ENVELOPES} envelopes; this one has ${list.length}.`,
      [{ path: "body.envelopes", message: `must hold at most ${MAX_BATCH_ENVELOPES} envelopes` }],
    );
  }
  return list.map((t: string) => t.trim());
}
