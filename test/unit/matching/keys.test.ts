import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateNodeKeys, pairwiseKey } from "../../../src/engines/federation/keys.ts";
import {
  deriveKey,
  PseudonymIndex,
  Pseudonymiser,
  pairwiseMatchingSecret,
  pseudonym,
  selectorKey,
} from "../../../src/engines/matching/keys.ts";
import { normalisePhone } from "../../../src/engines/matching/normalise.ts";

const node = () => generateKeyPairSync("x25519");

describe("pairwise matching secrets", () => {
  const a = node();
  const b = node();
  const c = node();
  const ab = pairwiseMatchingSecret(a.privateKey, b.publicKey, { ownNodeId: "COL", peerNodeId: "MEX" });
  const ba = pairwiseMatchingSecret(b.privateKey, a.publicKey, { ownNodeId: "MEX", peerNodeId: "COL" });
  const ac = pairwiseMatchingSecret(a.privateKey, c.publicKey, { ownNodeId: "COL", peerNodeId: "ESP" });

  it("A and B derive the same secret whoever computes it; A and C another", () => {
    expect(ab).toHaveLength(32);
    expect(ab.equals(ba)).toBe(true);
    expect(ab.equals(ac)).toBe(false);
  });

  it("A and B derive equal pseudonyms of the same phone typed two ways; A and C different ones", () => {
    const one = normalisePhone("+57 300 123 4567");
    const two = normalisePhone("0057 (300) 123-4567");
    if (!one.ok || !two.ok) throw new Error("normalisation failed");
    const pa = new Pseudonymiser(ab).pseudonym("phone", one.value);
    const pb = new Pseudonymiser(ba).pseudonym("phone", two.value);
    const pc = new Pseudonymiser(ac).pseudonym("phone", one.value);
    expect(pa.equals(pb)).toBe(true);
    expect(pa.equals(pc)).toBe(false);
    // The same string as another selector type is another pseudonym.
    expect(new Pseudonymiser(ab).pseudonym("email", one.value).equals(pa)).toBe(false);
  });

  it("is independent of the envelope's pairwise key and changes with a label", async () => {
    const ka = await generateNodeKeys();
    const kb = await generateNodeKeys();
    const envelope = pairwiseKey(
      { nodeId: "COL", encryption: ka.encryption },
      { nodeId: "MEX", encryptionKey: kb.encryption.publicKey, encryptionKid: kb.encryption.kid },
    ).key;
    const matching = pairwiseMatchingSecret(ka.encryption.privateKey, kb.encryption.publicKey, {
      ownNodeId: "COL",
      peerNodeId: "MEX",
    });
    expect(matching.equals(envelope)).toBe(false);
    const labelled = pairwiseMatchingSecret(ka.encryption.privateKey, kb.encryption.publicKey, {
      ownNodeId: "COL",
      peerNodeId: "MEX",
      label: "epoch-2",
    });
    expect(labelled.equals(matching)).toBe(false);
  });

  it("refuses keys that are not X25519", () => {
    const ed = generateKeyPairSync("ed25519");
    expect(() =>
      pairwiseMatchingSecret(ed.privateKey, b.publicKey, { ownNodeId: "A", peerNodeId: "B" }),
    ).toThrow(/X25519/);
  });

  it("derives distinct per-purpose keys and HMAC-SHA-256 pseudonyms", () => {
    expect(deriveKey(ab, "clk:name").equals(deriveKey(ab, "clk:dob"))).toBe(false);
    const k = selectorKey(ab, "iban");
    expect(pseudonym(k, "ES9121000418450200051332")).toHaveLength(32);
    expect(pseudonym(k, "x").equals(pseudonym(k, "x"))).toBe(true);
  });
});

describe("the pseudonym index", () => {
  it("answers hits with their references and no-hits with nothing, under a millisecond", () => {
    const p = new Pseudonymiser(Buffer.alloc(32, 3));
    const index = new PseudonymIndex<string>();
    const n = 50_000;
    for (let i = 0; i < n; i++) index.add(p.pseudonym("phone", `+5730${1_000_000 + i}`), `COL-${i}`);
    index.add(p.pseudonym("phone", "+57301000007"), "COL-extra");
    index.add(p.pseudonym("phone", "+57301000007"), "COL-extra");
    expect(index.size).toBe(n);
    expect(index.lookup(p.pseudonym("phone", "+57301000007"))).toEqual(["COL-7", "COL-extra"]);
    expect(index.lookup(p.pseudonym("phone", "+57399999999"))).toEqual([]);
    const queries = Array.from({ length: 2000 }, (_, i) =>
      p.pseudonym("phone", `+5730${1_000_000 + i * 13}`),
    );
    const t = performance.now();
    let found = 0;
    for (const q of queries) found += index.lookup(q).length ? 1 : 0;
    const perLookup = (performance.now() - t) / queries.length;
    expect(found).toBe(queries.filter((_, i) => i * 13 < n).length);
    expect(perLookup).toBeLessThan(1);
    index.delete(p.pseudonym("phone", "+57301000007"), "COL-7");
    expect(index.lookup(p.pseudonym("phone", "+57301000007"))).toEqual(["COL-extra"]);
  });
});
