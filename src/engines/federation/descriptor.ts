/**
 * A node's public descriptor (issue 4): who it is, where it listens, and its
 * public keys as a JWKS — signed by its own signing key (a compact JWS). The
 * signature proves the descriptor was not altered and that its author holds the
 * key; whether the key is really that State's is what administrators settle by
 * comparing fingerprints out of band before they approve the peer.
 */
import { type KeyObject, sign, verify } from "node:crypto";
import type { JWK } from "jose";
import { z } from "zod";
import { importPublicJwk, type NodeKeyPair, type NodeKeys, publicJwks, thumbprint } from "./keys.ts";

const okp = z.object({
  kty: z.literal("OKP"),
  crv: z.enum(["Ed25519", "X25519"]),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a 32-byte key, base64url"),
  use: z.enum(["sig", "enc"]),
  kid: z.string().min(1).max(100),
  alg: z.string().optional(),
});

export const descriptorSchema = z.strictObject({
  nodeId: z.string().regex(/^([A-Z]{3}|UNODC)$/, "must be an ISO 3166-1 alpha-3 code or UNODC"),
  name: z.string().min(1).max(200),
  /** Base URL of the node's federation endpoint. */
  endpoint: z.url(),
  jwks: z.object({ keys: z.array(okp).min(2).max(8) }),
  /** When the descriptor was issued (ISO 8601). */
  issuedAt: z.iso.datetime({ offset: true }),
  /**
   * After a key rotation, during the overlap: the previous signing key's word
   * that the new keys are the node's own (a compact JWS over the node id, the new
   * key ids and the issue time). A peer that approved the previous key accepts
   * the new ones on it without a new out-of-band comparison.
   */
  endorsement: z.string().max(2000).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

const b64 = (x: string | Buffer) => Buffer.from(x).toString("base64url");

function compactJws(typ: string, payload: unknown, key: NodeKeyPair): string {
  const header = b64(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ }));
  const input = `${header}.${b64(JSON.stringify(payload))}`;
  return `${input}.${b64(sign(null, Buffer.from(input, "ascii"), key.privateKey))}`;
}

interface EndorsementClaims {
  nodeId: string;
  signingKid: string;
  encryptionKid: string;
  issuedAt: string;
}

export function signDescriptor(
  d: { nodeId: string; name: string; endpoint: string; issuedAt?: string },
  keys: NodeKeys,
  /** The signing key the new keys replace, during the overlap after a rotation. */
  previousSigning?: NodeKeyPair,
): string {
  const issuedAt = d.issuedAt ?? new Date().toISOString();
  const claims: EndorsementClaims = {
    nodeId: d.nodeId,
    signingKid: keys.signing.kid,
    encryptionKid: keys.encryption.kid,
    issuedAt,
  };
  const body: Descriptor = {
    nodeId: d.nodeId,
    name: d.name,
    endpoint: d.endpoint,
    jwks: publicJwks(keys) as Descriptor["jwks"],
    issuedAt,
    ...(previousSigning
      ? { endorsement: compactJws("ariadne-key-endorsement+jws", claims, previousSigning) }
      : {}),
  };
  return compactJws("ariadne-descriptor+jws", body, keys.signing);
}

/**
 * Does the descriptor's endorsement hold under a signing key already trusted
 * for this node (the one an administrator approved), and name exactly the new
 * keys? Then the new keys inherit that approval.
 */
export function endorsedBy(v: VerifiedDescriptor, trusted: { kid: string; key: KeyObject }): boolean {
  const token = v.descriptor.endorsement;
  if (!token) return false;
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as {
      alg?: unknown;
      kid?: unknown;
    };
    if (header.alg !== "EdDSA" || header.kid !== trusted.kid) return false;
    if (!verify(null, Buffer.from(`${h}.${p}`, "ascii"), trusted.key, Buffer.from(s, "base64url")))
      return false;
    const c = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Partial<EndorsementClaims>;
    return (
      c.nodeId === v.descriptor.nodeId &&
      c.signingKid === v.signingKid &&
      c.encryptionKid === v.encryptionKid &&
      c.issuedAt === v.descriptor.issuedAt
    );
  } catch {
    return false;
  }
}

export interface VerifiedDescriptor {
  descriptor: Descriptor;
  signingKey: KeyObject;
  signingKid: string;
  encryptionKey: KeyObject;
  encryptionKid: string;
}

/**
 * Check a descriptor's form, that each key id is its key's thumbprint (the
 * fingerprint people compare is computed, never taken on trust), and its
 * self-signature. The error says what is wrong.
 */
export async function verifyDescriptor(token: string): Promise<VerifiedDescriptor> {
  const parts = token.trim().split(".");
  if (parts.length !== 3) throw new Error("is not a signed descriptor (a compact JWS)");
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    throw new Error("is not a signed descriptor (its parts are not JSON)");
  }
  if (header.alg !== "EdDSA") throw new Error("must be signed with EdDSA");
  const parsed = descriptorSchema.safeParse(payload);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${i?.path.join(".") || "descriptor"}: ${i?.message ?? "is invalid"}`);
  }
  const d = parsed.data;
  const sig = d.jwks.keys.find((k) => k.use === "sig" && k.crv === "Ed25519" && k.kid === header.kid);
  const enc = d.jwks.keys.find((k) => k.use === "enc" && k.crv === "X25519");
  if (!sig) throw new Error("names a signing key that its JWKS does not hold");
  if (!enc) throw new Error("holds no X25519 encryption key");
  const signingKey = importPublicJwk(sig as JWK, "Ed25519");
  const encryptionKey = importPublicJwk(enc as JWK, "X25519");
  if ((await thumbprint(signingKey)) !== sig.kid || (await thumbprint(encryptionKey)) !== enc.kid) {
    throw new Error("a key id is not the thumbprint of its key");
  }
  if (!verify(null, Buffer.from(`${h}.${p}`, "ascii"), signingKey, Buffer.from(s, "base64url"))) {
    throw new Error("signature does not verify: the descriptor was altered or not signed by its key");
  }
  return {
    descriptor: d,
    signingKey,
    signingKid: sig.kid,
    encryptionKey,
    encryptionKid: enc.kid,
  };
}
