/**
 * The federation's shapes that cross the API (issue 4, DESIGN.md M5): peers and
 * their states. Pure; the cryptography lives in src/engines/federation.
 */
import { z } from "zod";
import { text } from "./schemas.ts";

export const PEER_STATUSES = ["pending", "active", "suspended"] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

export const nodeIdSchema = z
  .string()
  .regex(/^([A-Z]{3}|UNODC)$/, "must be an ISO 3166-1 alpha-3 code or UNODC");

export const importPeerSchema = z.strictObject({
  /** The peer's signed descriptor (a compact JWS), as its administrator sent it. */
  descriptor: z.string().min(20, "is not a signed descriptor").max(20_000, "is too long for a descriptor"),
});

export const approvePeerSchema = z.strictObject({
  /** The peer's signing-key fingerprint as read out of band (spaces and case do not matter). */
  signingFingerprint: text(200, 1),
});

export const suspendPeerSchema = z.strictObject({ reason: text(1000, 1) });

export const peerSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  endpoint: z.string(),
  status: z.enum(PEER_STATUSES),
  statusReason: z.string().nullable(),
  fingerprints: z.object({ signing: z.string(), encryption: z.string() }),
  issuedAt: z.string(),
  importedAt: z.string(),
  approvedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type PeerView = z.infer<typeof peerSchema>;
