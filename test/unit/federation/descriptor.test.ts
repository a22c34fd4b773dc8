/** A node's signed public descriptor: what an administrator imports before approving a peer. */
import { beforeAll, describe, expect, it } from "vitest";
import { endorsedBy, signDescriptor, verifyDescriptor } from "../../../src/engines/federation/descriptor.ts";
import { fingerprint, generateNodeKeys, type NodeKeys } from "../../../src/engines/federation/keys.ts";

let mex: NodeKeys;
let other: NodeKeys;
beforeAll(async () => {
  [mex, other] = await Promise.all([generateNodeKeys(), generateNodeKeys()]);
});

const base = {
  nodeId: "MEX",
  name: "México — Unidad Antisecuestro (sandbox)",
  endpoint: "https://mex.example.org",
};
const parts = (t: string) => t.split(".") as [string, string, string];
const payloadOf = (t: string) => JSON.parse(Buffer.from(parts(t)[1], "base64url").toString("utf8"));
const withPayload = (t: string, p: unknown) => {
  const [h, , s] = parts(t);
  return `${h}.${Buffer.from(JSON.stringify(p)).toString("base64url")}.${s}`;
};

describe("node descriptors", () => {
  it("verify, and give the keys and their fingerprints", async () => {
    const v = await verifyDescriptor(signDescriptor(base, mex));
    expect(v.descriptor).toMatchObject(base);
    expect(v.signingKid).toBe(mex.signing.kid);
    expect(v.encryptionKid).toBe(mex.encryption.kid);
    expect(fingerprint(v.signingKid)).toBe(fingerprint(mex.signing.kid));
    expect(v.signingKey.equals(mex.signing.publicKey)).toBe(true);
  });

  it("refuse an altered descriptor: another endpoint, another key, or a key id that lies", async () => {
    const token = signDescriptor(base, mex);
    const p = payloadOf(token);
    await expect(
      verifyDescriptor(withPayload(token, { ...p, endpoint: "https://evil.example" })),
    ).rejects.toThrow(/signature does not verify/);
    // Another node's encryption key slipped in under the genuine key id.
    const otherEnc = signDescriptor(base, other);
    const swapped = {
      ...p,
      jwks: { keys: [p.jwks.keys[0], { ...payloadOf(otherEnc).jwks.keys[1], kid: mex.encryption.kid }] },
    };
    await expect(verifyDescriptor(withPayload(token, swapped))).rejects.toThrow(/thumbprint/);
    // Signed by someone else while claiming MEX's key.
    const forged = signDescriptor(base, { ...other, signing: { ...other.signing, kid: mex.signing.kid } });
    await expect(verifyDescriptor(forged)).rejects.toThrow(/thumbprint|signature/);
  });

  it("say what is wrong with a malformed one", async () => {
    await expect(verifyDescriptor("abc")).rejects.toThrow(/compact JWS/);
    await expect(verifyDescriptor("a.b.c")).rejects.toThrow(/not JSON/);
    const token = signDescriptor(base, mex);
    await expect(
      verifyDescriptor(withPayload(token, { ...payloadOf(token), nodeId: "Mexico" })),
    ).rejects.toThrow(/nodeId: must be an ISO 3166-1 alpha-3 code/);
    await expect(verifyDescriptor(withPayload(token, { ...payloadOf(token), extra: 1 }))).rejects.toThrow();
    await expect(
      verifyDescriptor(
        withPayload(token, {
          ...payloadOf(token),
          jwks: { keys: [...payloadOf(token).jwks.keys].reverse().slice(0, 1) },
        }),
      ),
    ).rejects.toThrow(/jwks/);
  });

  it("after a rotation, carry the old key's endorsement of the new keys, which holds only under the old key", async () => {
    const rotated = await generateNodeKeys();
    const v = await verifyDescriptor(signDescriptor(base, rotated, mex.signing));
    expect(v.signingKid).toBe(rotated.signing.kid);
    expect(endorsedBy(v, { kid: mex.signing.kid, key: mex.signing.publicKey })).toBe(true);
    // Not under another key, nor under the new key itself.
    expect(endorsedBy(v, { kid: other.signing.kid, key: other.signing.publicKey })).toBe(false);
    expect(endorsedBy(v, { kid: mex.signing.kid, key: other.signing.publicKey })).toBe(false);
    // A descriptor without one is not endorsed.
    expect(
      endorsedBy(await verifyDescriptor(signDescriptor(base, rotated)), {
        kid: mex.signing.kid,
        key: mex.signing.publicKey,
      }),
    ).toBe(false);
    // An endorsement lifted onto a descriptor with other keys does not carry over.
    const stolen = payloadOf(signDescriptor(base, rotated, mex.signing)).endorsement;
    const forged = signDescriptor(base, other);
    const forgedWithEndorsement = await verifyDescriptor(
      signDescriptor({ ...base, issuedAt: payloadOf(forged).issuedAt }, other),
    );
    forgedWithEndorsement.descriptor.endorsement = stolen;
    expect(endorsedBy(forgedWithEndorsement, { kid: mex.signing.kid, key: mex.signing.publicKey })).toBe(
      false,
    );
  });
});
