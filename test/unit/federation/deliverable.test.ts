/** Where the delivery worker may send envelopes: HTTPS always; plain HTTP only to loopback, and only when allowed. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config.ts";
import { deliverable } from "../../../src/platform/exchange/peers.ts";

describe("peer endpoints", () => {
  it("always takes HTTPS, and plain HTTP only to this machine when the node allows it", () => {
    expect(deliverable("https://mex.example.org", false)).toBe(true);
    expect(deliverable("http://127.0.0.1:3001", false)).toBe(false);
    expect(deliverable("http://127.0.0.1:3001", true)).toBe(true);
    expect(deliverable("http://[::1]:3001", true)).toBe(true);
    expect(deliverable("http://mex.example.org", true)).toBe(false);
    expect(deliverable("http://10.0.0.5:3001", true)).toBe(false);
    expect(deliverable("ftp://127.0.0.1", true)).toBe(false);
    expect(deliverable("not a url", true)).toBe(false);
  });

  it("allows plain loopback HTTP in the sandbox, and in production only when configured", () => {
    const secret = Buffer.alloc(32, 1).toString("base64");
    const prod = { ARIADNE_MODE: "production", ARIADNE_NODE_ID: "COL", ARIADNE_SECRET_KEY: secret } as const;
    expect(loadConfig({}, prod).federation.plainLoopback).toBe(false);
    expect(
      loadConfig({}, { ...prod, ARIADNE_FEDERATION_PLAIN_LOOPBACK: true }).federation.plainLoopback,
    ).toBe(true);
    expect(loadConfig({}, { ARIADNE_MODE: "sandbox" }).federation.plainLoopback).toBe(true);
  });
});
