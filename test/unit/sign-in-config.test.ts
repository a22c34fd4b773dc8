/** The sign-in settings: the trusted proxies as a list, checked at start-up; the ceilings' defaults. */
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigInput, loadConfig } from "../../src/platform/config.ts";

const base: ConfigInput = { ARIADNE_MODE: "sandbox", ARIADNE_NODE_ID: "COL" };
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, base);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe("ARIADNE_TRUST_PROXY", () => {
  it("is a comma-separated list of addresses, CIDR blocks and named sets", () => {
    const c = loadConfig({ ARIADNE_TRUST_PROXY: "10.0.0.1, 192.168.0.0/16,::1, fd00::/8,loopback" }, base);
    expect(c.trustProxy).toEqual(["10.0.0.1", "192.168.0.0/16", "::1", "fd00::/8", "loopback"]);
  });

  it("trusts nobody by default or when false; true means the proxy on this machine", () => {
    expect(loadConfig({}, base).trustProxy).toEqual([]);
    expect(loadConfig({ ARIADNE_TRUST_PROXY: "false" }, base).trustProxy).toEqual([]);
    expect(loadConfig({ ARIADNE_TRUST_PROXY: "true" }, base).trustProxy).toEqual(["loopback"]);
    expect(loadConfig({}, { ...base, ARIADNE_TRUST_PROXY: true }).trustProxy).toEqual(["loopback"]);
  });

  it("refuses a malformed list, naming the variable and the entry", () => {
    expect(problems({ ARIADNE_TRUST_PROXY: "10.0.0.1, proxy.example.org" })).toEqual([
      'ARIADNE_TRUST_PROXY "proxy.example.org" is not an IP address, a CIDR block (10.0.0.0/8) or one of loopback, linklocal, uniquelocal (give a comma-separated list, or false)',
    ]);
    expect(problems({ ARIADNE_TRUST_PROXY: "10.0.0.0/33" })[0]).toMatch(
      /^ARIADNE_TRUST_PROXY "10.0.0.0\/33" has a prefix length that is not 0 to 32/,
    );
    expect(problems({ ARIADNE_TRUST_PROXY: "2001:db8::/129" })[0]).toMatch(/^ARIADNE_TRUST_PROXY .*0 to 128/);
    expect(problems({ ARIADNE_TRUST_PROXY: "10.0.0.1/8/2" })[0]).toMatch(/^ARIADNE_TRUST_PROXY /);
    expect(problems({ ARIADNE_TRUST_PROXY: "256.1.1.1" })[0]).toMatch(/^ARIADNE_TRUST_PROXY /);
  });
});

describe("sign-in ceilings", () => {
  it("default to ten times the per-username rate per address, and 100 failures an hour per username", () => {
    const c = loadConfig({}, base);
    expect(c.login).toEqual({
      maxAttempts: 5,
      lockoutBaseMs: 30_000,
      rateLimitPerMinute: 30,
      addressRateLimitPerMinute: 300,
      accountFailuresPerHour: 100,
    });
    expect(loadConfig({ ARIADNE_AUTH_RATE_LIMIT: "50" }, base).login.addressRateLimitPerMinute).toBe(500);
    expect(loadConfig({ ARIADNE_AUTH_ADDRESS_RATE_LIMIT: "80" }, base).login.addressRateLimitPerMinute).toBe(
      80,
    );
    expect(problems({ ARIADNE_LOGIN_ACCOUNT_FAILURES_PER_HOUR: "3" })[0]).toMatch(
      /^ARIADNE_LOGIN_ACCOUNT_FAILURES_PER_HOUR /,
    );
  });
});
