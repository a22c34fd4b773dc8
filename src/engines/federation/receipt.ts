/**
 * Signed receipts (issue 4): the receiver's signed word that a message was
 * processed, or rejected and why — a compact JWS (EdDSA) the sender verifies
 * with the receiver's key and keeps as evidence.
 */
import { type KeyObject, sign, verify } from "node:crypto";

export interface Receipt {
  /** The message the receipt is about. */
  jti: string;
  /** Who answers, and to whom. */
  iss: string;
  aud: string;
  status: "processed" | "rejected";
  /** Why it was rejected (a stable reason code), or that it had been processed before. */
  reason?: string;
  duplicate?: boolean;
  /** When, seconds since the epoch. */
  iat: number;
}

const b64 = (x: string | Buffer) => Buffer.from(x).toString("base64url");

export function signReceipt(r: Receipt, key: KeyObject, kid: string): string {
  const input = `${b64(JSON.stringify({ alg: "EdDSA", kid, typ: "ariadne-receipt+jws" }))}.${b64(JSON.stringify(r))}`;
  return `${input}.${b64(sign(null, Buffer.from(input, "ascii"), key))}`;
}

/** The receipt, if it is well formed and signed by the expected node's key for the expected message. */
export function verifyReceipt(
  token: string,
  expect: { from: string; to: string; jti: string; keyOf: (kid: string) => KeyObject | undefined },
): Receipt {
  const [h, p, s] = token.split(".");
  if (!h || !p || !s) throw new Error("the receipt is not a compact JWS");
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string; kid?: string };
  const key = header.alg === "EdDSA" && header.kid ? expect.keyOf(header.kid) : undefined;
  if (!key) throw new Error("the receipt is not signed with a key of the peer");
  if (!verify(null, Buffer.from(`${h}.${p}`, "ascii"), key, Buffer.from(s, "base64url"))) {
    throw new Error("the receipt's signature does not verify");
  }
  const r = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Receipt;
  if (r.iss !== expect.from || r.aud !== expect.to || r.jti !== expect.jti) {
    throw new Error("the receipt is about another message or between other nodes");
  }
  if (r.status !== "processed" && r.status !== "rejected") throw new Error("the receipt has no known status");
  return r;
}
