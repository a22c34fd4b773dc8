/** The federation (issue 4): the node's signed descriptor, and the administration of its peers. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  approvePeerSchema,
  importPeerSchema,
  nodeIdSchema,
  peerSchema,
  suspendPeerSchema,
} from "../../domain/federation.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf } from "../http/guard.ts";
import * as federation from "../usecases/federation.ts";
import { errorResponses } from "./common.ts";

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
}
