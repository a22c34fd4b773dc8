/** The federation envelope: standard JOSE both ways, and every reason to refuse a message. */
import { randomUUID } from "node:crypto";
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EnvelopeError,
  type EnvelopeHeader,
  type OpenOptions,
  open,
  seal,
} from "../../../src/engines/federation/envelope.ts";
import {
  exportPrivateKey,
  fingerprint,
  generateNodeKeys,
  importKeyPair,
  importPublicJwk,
  type NodeKeys,
  pairwiseKey,
  publicJwks,
} from "../../../src/engines/federation/keys.ts";

let col: NodeKeys;
let mex: NodeKeys;
let esp: NodeKeys;
let colMex: { kid: string; key: Buffer };
beforeAll(async () => {
  [col, mex, esp] = await Promise.all([generateNodeKeys(), generateNodeKeys(), generateNodeKeys()]);
  colMex = pairwiseKey(
    { nodeId: "COL", encryption: col.encryption },
    { nodeId: "MEX", encryptionKey: mex.encryption.publicKey, encryptionKid: mex.encryption.kid },
  );
});

const now = () => Math.floor(Date.now() / 1000);
const header = (over: Partial<EnvelopeHeader> = {}): EnvelopeHeader => {
  const id = randomUUID();
  return {
    iss: "COL",
    aud: "MEX",
    jti: id,
    mt: "notice.abducted-person",
    mv: 1,
    iat: now(),
    exp: now() + 3600,
    thr: id,
    tlp: "amber",
    hc: ["H0", "H2"],
    ...over,
  };
};
const body = { victim: { given: "Lucía", family: "Ejemplo Sintético" }, note: "名前 — اسم" };
const sealed = (over: Partial<EnvelopeHeader> = {}, keys = col, pairwise = colMex) =>
  seal({
    header: header(over),
    body,
    signingKey: keys.signing.privateKey,
    signingKid: keys.signing.kid,
    pairwise,
  });

/** MEX's view: COL is an approved peer with its current keys. */
const atMex = (over: Partial<OpenOptions> = {}): OpenOptions => ({
  self: "MEX",
  signingKeyOf: (node, kid) =>
    node === "COL" && kid === col.signing.kid ? col.signing.publicKey : undefined,
  pairwiseKeyOf: (node, kid) => {
    if (node !== "COL") return undefined;
    const k = pairwiseKey(
      { nodeId: "MEX", encryption: mex.encryption },
      { nodeId: "COL", encryptionKey: col.encryption.publicKey, encryptionKid: col.encryption.kid },
    );
    return k.kid === kid ? k.key : undefined;
  },
  accepts: (t, v) => t === "notice.abducted-person" && v === 1,
  maxSkewSeconds: 120,
  maxBytes: 256 * 1024,
  ...over,
});

const refused = (token: string, o: OpenOptions) => {
  try {
    open(token, o);
  } catch (e) {
    if (e instanceof EnvelopeError) return e.reason;
    throw e;
  }
  return "accepted";
};

describe("keys", () => {
  it("both ends derive the same pairwise key; a third node derives another", () => {
    const fromMex = pairwiseKey(
      { nodeId: "MEX", encryption: mex.encryption },
      { nodeId: "COL", encryptionKey: col.encryption.publicKey, encryptionKid: col.encryption.kid },
    );
    expect(fromMex.key.equals(colMex.key)).toBe(true);
    expect(fromMex.kid).toBe(colMex.kid);
    const colEsp = pairwiseKey(
      { nodeId: "COL", encryption: col.encryption },
      { nodeId: "ESP", encryptionKey: esp.encryption.publicKey, encryptionKid: esp.encryption.kid },
    );
    expect(colEsp.key.equals(colMex.key)).toBe(false);
  });

  it("publishes public keys only, with fingerprints people can compare, and keys survive export", async () => {
    const jwks = publicJwks(col);
    expect(jwks.keys.map((k) => [k.crv, k.use, k.kid])).toEqual([
      ["Ed25519", "sig", col.signing.kid],
      ["X25519", "enc", col.encryption.kid],
    ]);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect(fingerprint(col.signing.kid)).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    const back = await importKeyPair(exportPrivateKey(col.signing.privateKey));
    expect(back.kid).toBe(col.signing.kid);
    expect(() => importPublicJwk({ ...jwks.keys[0], d: "x" }, "Ed25519")).toThrow(/private key/);
    expect(() => importPublicJwk(jwks.keys[1] ?? {}, "Ed25519")).toThrow(/Ed25519/);
  });
});

describe("the envelope", () => {
  it("opens what it sealed", () => {
    const h = header();
    const token = seal({
      header: h,
      body,
      signingKey: col.signing.privateKey,
      signingKid: col.signing.kid,
      pairwise: colMex,
    });
    expect(open(token, atMex())).toEqual({ header: h, body });
  });

  it("is a standard JWS over a standard JWE: jose verifies and decrypts it", async () => {
    const token = sealed();
    const { payload, protectedHeader } = await compactVerify(token, col.signing.publicKey);
    expect(protectedHeader).toMatchObject({
      alg: "EdDSA",
      cty: "JWE",
      iss: "COL",
      aud: "MEX",
      hc: ["H0", "H2"],
    });
    const jwe = new TextDecoder().decode(payload);
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: "dir", enc: "A256GCM", kid: colMex.kid });
    const { plaintext } = await compactDecrypt(jwe, colMex.key);
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(body);
  });

  it("opens what jose built", async () => {
    const h = header();
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: colMex.kid })
      .encrypt(colMex.key);
    const token = await new CompactSign(new TextEncoder().encode(jwe))
      .setProtectedHeader({ alg: "EdDSA", kid: col.signing.kid, cty: "JWE", ...h })
      .sign(col.signing.privateKey);
    expect(open(token, atMex())).toEqual({ header: h, body });
  });

  it("keeps the content secret: no clear text in the token", () => {
    const token = sealed();
    const decoded = token
      .split(".")
      .map((p) => Buffer.from(p, "base64url").toString("utf8"))
      .join(" ");
    expect(decoded).not.toContain("Lucía");
    expect(decoded).not.toContain("Sintético");
  });

  it("refuses each bad message with its reason", () => {
    const good = sealed();
    const [h, p, s] = good.split(".") as [string, string, string];
    const flip = (x: string) =>
      x[5] === "A" ? `${x.slice(0, 5)}B${x.slice(6)}` : `${x.slice(0, 5)}A${x.slice(6)}`;
    const forgedKeys = { ...col, signing: { ...esp.signing, kid: col.signing.kid } };
    const cases: [string, string, OpenOptions?][] = [
      [`${h}.${p}.${flip(s)}`, "bad_signature"],
      [`${h}.${flip(p)}.${s}`, "bad_signature"],
      [sealed({}, forgedKeys), "bad_signature"],
      [sealed({ aud: "ESP" }), "wrong_recipient"],
      [sealed({ iat: now() - 7200, exp: now() - 1 }), "expired"],
      [sealed({ iat: now() + 3600, exp: now() + 7200 }), "clock_skew"],
      [sealed({ mt: "notice.unheard-of" }), "unknown_type"],
      [sealed({ mv: 99 }), "unknown_type"],
      [sealed({ iss: "ESP" }), "unknown_sender"],
      [good, "oversized", atMex({ maxBytes: 100 })],
      ["not a token", "malformed"],
      [`${h}.${p}`, "malformed"],
      [sealed({}, col, { kid: colMex.kid, key: Buffer.alloc(32, 7) }), "decrypt_failed"],
      [sealed({}, col, { kid: "pw1.unknown", key: colMex.key }), "unknown_key"],
      [good, "unknown_sender", atMex({ signingKeyOf: () => undefined })],
    ];
    for (const [token, reason, options] of cases)
      expect(refused(token, options ?? atMex()), reason).toBe(reason);
  });

  it("a refusal after the signature held carries the header, for a signed negative receipt", () => {
    try {
      open(sealed({ aud: "ESP" }), atMex());
    } catch (e) {
      expect(e).toBeInstanceOf(EnvelopeError);
      expect((e as EnvelopeError).header?.iss).toBe("COL");
      return;
    }
    throw new Error("accepted a misaddressed message");
  });
});
