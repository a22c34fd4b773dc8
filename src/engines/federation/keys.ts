/**
 * A node's federation keys (issue 4): an Ed25519 key that signs and an X25519
 * key that agrees pairwise encryption keys with each peer. Public keys travel
 * as a JWKS; a key's fingerprint (RFC 7638 thumbprint) is what administrators
 * compare out of band before they approve a peer. Library code: no HTTP, no DB.
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

export interface NodeKeyPair {
  /** Key id: the RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface NodeKeys {
  signing: NodeKeyPair;
  encryption: NodeKeyPair;
}

async function pair(type: "ed25519" | "x25519"): Promise<NodeKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync(type as "ed25519");
  return { kid: await thumbprint(publicKey), privateKey, publicKey };
}

export async function generateNodeKeys(): Promise<NodeKeys> {
  return { signing: await pair("ed25519"), encryption: await pair("x25519") };
}

/** The public JWK of a key (OKP, RFC 8037), with its use and key id. */
export function publicJwk(k: NodeKeyPair, use: "sig" | "enc"): JWK {
  const jwk = k.publicKey.export({ format: "jwk" }) as JWK;
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, use, kid: k.kid, alg: use === "sig" ? "EdDSA" : "ECDH-ES" };
}

export function publicJwks(keys: NodeKeys): { keys: JWK[] } {
  return { keys: [publicJwk(keys.signing, "sig"), publicJwk(keys.encryption, "enc")] };
}

/** RFC 7638 thumbprint (SHA-256, base64url) of a public key. */
export async function thumbprint(publicKey: KeyObject): Promise<string> {
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, "sha256");
}

/** The fingerprint people read aloud: the thumbprint as hex, in groups of four. */
export function fingerprint(kid: string): string {
  const hex = Buffer.from(kid, "base64url").toString("hex").toUpperCase();
  return hex.match(/.{1,4}/g)?.join(" ") ?? hex;
}

/** Import a peer's public OKP key from its JWK; refuses anything but the expected curve. */
export function importPublicJwk(jwk: JWK, crv: "Ed25519" | "X25519"): KeyObject {
  if (jwk.kty !== "OKP" || jwk.crv !== crv || typeof jwk.x !== "string") {
    throw new Error(`expected an OKP ${crv} public key`);
  }
  if ("d" in jwk) throw new Error("a public descriptor must not carry a private key");
  return createPublicKey({ key: { kty: "OKP", crv, x: jwk.x }, format: "jwk" });
}

/** Private keys at rest: PKCS#8 DER (the node encrypts it with its secret key before storing it). */
export function exportPrivateKey(k: KeyObject): Buffer {
  return k.export({ format: "der", type: "pkcs8" });
}

export async function importKeyPair(pkcs8: Buffer): Promise<NodeKeyPair> {
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  return { kid: await thumbprint(publicKey), privateKey, publicKey };
}

/**
 * The key two nodes share for one key epoch: X25519 agreement, then HKDF-SHA-256
 * with both node ids (sorted, so both sides derive the same key) and both key
 * ids in the context. A new encryption key on either side gives a new pairwise
 * key; the `kid` says which one a message used.
 */
export function pairwiseKey(
  mine: { nodeId: string; encryption: NodeKeyPair },
  peer: { nodeId: string; encryptionKey: KeyObject; encryptionKid: string },
): { kid: string; key: Buffer } {
  const shared = diffieHellman({ privateKey: mine.encryption.privateKey, publicKey: peer.encryptionKey });
  const ends = [
    [mine.nodeId, mine.encryption.kid],
    [peer.nodeId, peer.encryptionKid],
  ].sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1));
  const context = ends.map((e) => e.join("~")).join("|");
  const key = Buffer.from(
    hkdfSync("sha256", shared, Buffer.from("ariadne/federation/v1", "utf8"), `pairwise|${context}`, 32),
  );
  const kid = `pw1.${Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "kid", 12)).toString("base64url")}`;
  return { kid, key };
}
