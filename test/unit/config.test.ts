/** Settings are read and checked once, at start-up (TLS files, the hit/no-hit policy): a wrong one names the variable and the reason. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, type ConfigInput, loadConfig } from "../../src/platform/config.ts";
import { type Authority, newAuthority } from "../helpers/pki.ts";

let ca: Authority;
let node: { certFile: string; keyFile: string };
let other: { certFile: string; keyFile: string };

const base: ConfigInput = { ARIADNE_MODE: "sandbox", ARIADNE_NODE_ID: "COL" };
const problems = (over: ConfigInput): string[] => {
  try {
    loadConfig({}, { ...base, ...over });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

beforeAll(async () => {
  ca = await newAuthority("Config test CA");
  node = await ca.issue("COL");
  other = await ca.issue("MEX");
});

describe("TLS configuration", () => {
  it("reads the certificates, key and authorities once", () => {
    const c = loadConfig(
      {},
      {
        ...base,
        ARIADNE_TLS_CERT: node.certFile,
        ARIADNE_TLS_KEY: node.keyFile,
        ARIADNE_TLS_CLIENT_CA: ca.caFile,
        ARIADNE_FEDERATION_CLIENT_CERT: node.certFile,
        ARIADNE_FEDERATION_CLIENT_KEY: node.keyFile,
        ARIADNE_FEDERATION_CA: ca.caFile,
      },
    );
    expect(c.tls?.cert.toString()).toContain("BEGIN CERTIFICATE");
    expect(c.tls?.clientCa?.toString()).toContain("BEGIN CERTIFICATE");
    expect(c.federation.client.key?.toString()).toContain("BEGIN PRIVATE KEY");
    expect(loadConfig({}, base).tls).toBeUndefined();
  });

  it("names the variable and the reason when a setting is wrong", () => {
    expect(problems({ ARIADNE_TLS_CERT: node.certFile })).toEqual([
      "ARIADNE_TLS_KEY is required with ARIADNE_TLS_CERT",
    ]);
    expect(problems({ ARIADNE_FEDERATION_CLIENT_KEY: node.keyFile })).toEqual([
      "ARIADNE_FEDERATION_CLIENT_CERT is required with ARIADNE_FEDERATION_CLIENT_KEY",
    ]);
    expect(problems({ ARIADNE_TLS_CLIENT_CA: ca.caFile })[0]).toMatch(
      /^ARIADNE_TLS_CLIENT_CA needs ARIADNE_TLS_CERT and ARIADNE_TLS_KEY/,
    );
    expect(problems({ ARIADNE_TLS_CERT: node.certFile, ARIADNE_TLS_KEY: other.keyFile })[0]).toMatch(
      /^ARIADNE_TLS_KEY does not fit ARIADNE_TLS_CERT/,
    );
    expect(problems({ ARIADNE_FEDERATION_CA: "/nonexistent/ca.pem" })).toEqual([
      "ARIADNE_FEDERATION_CA /nonexistent/ca.pem cannot be read (ENOENT)",
    ]);
    const notPem = join(ca.caFile, "..", "not.pem");
    writeFileSync(notPem, "hello");
    expect(
      problems({
        ARIADNE_TLS_CLIENT_CA: notPem,
        ARIADNE_TLS_CERT: node.certFile,
        ARIADNE_TLS_KEY: node.keyFile,
      }),
    ).toEqual([`ARIADNE_TLS_CLIENT_CA ${notPem} is not a PEM file`]);
  });

  it("reads the hit/no-hit answering policy per peer, naming what is wrong", () => {
    const c = loadConfig(
      {},
      { ...base, ARIADNE_HITS_ANSWER: "phone,person", ARIADNE_HITS_ANSWER_PEERS: "MEX=person; ESP=" },
    );
    expect(c.hits.answer).toEqual(["phone", "person"]);
    expect(c.hits.answerPeers).toEqual({ MEX: ["person"], ESP: [] });
    expect(problems({ ARIADNE_HITS_ANSWER_PEERS: "mex=person" })[0]).toMatch(
      /^ARIADNE_HITS_ANSWER_PEERS "mex=person" is not NODE=type/,
    );
    expect(problems({ ARIADNE_HITS_ANSWER_PEERS: "MEX=passport" })[0]).toMatch(
      /"passport" is not an item type/,
    );
    expect(problems({ ARIADNE_HITS_ANSWER: "phone,fingerprint" })[0]).toMatch(/^ARIADNE_HITS_ANSWER/);
  });
});
