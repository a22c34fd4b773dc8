/** The federation's administration (issue 4): this node's signed descriptor and keys, and its peers. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  approvePeerSchema,
  importPeerSchema,
  nodeIdSchema,
  partnerSchema,
  peerSchema,
  suspendPeerSchema,
} from "../../domain/federation.ts";
import type { AppDeps } from "../../platform/deps.ts";
import * as federation from "../../platform/exchange/peers.ts";
import { errorResponses } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";

const tags = ["federation"];
const peerParams = z.strictObject({ nodeId: nodeIdSchema });

export function peerRoutes(app: FastifyInstance, deps: AppDeps) {
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
}
