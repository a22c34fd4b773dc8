import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hashPassword,
  newTotpSecret,
  SecretBox,
  totpMatch,
  totpNow,
  verifyPassword,
} from "../../src/platform/auth/crypto.ts";

describe("passwords", () => {
  it("are hashed with argon2id and verify only the right password", async () => {
    const h = await hashPassword("correct horse battery staple");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(h, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});

describe("secrets at rest", () => {
  it("round-trip, and fail on tampering or a wrong key", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.open(sealed)).toBe("JBSWY3DPEHPK3PXP");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC 6238 SHA-1 test vector", () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits: 287082.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(totpNow(secret, 59_000)).toBe("287082");
  });

  it("accepts the neighbouring step and reports which step matched", () => {
    const s = newTotpSecret();
    const t = 1_800_000_000_000;
    const step = Math.floor(t / 30_000);
    expect(totpMatch(s, totpNow(s, t), t)).toBe(step);
    expect(totpMatch(s, totpNow(s, t - 30_000), t)).toBe(step - 1);
    expect(totpMatch(s, totpNow(s, t + 30_000), t)).toBe(step + 1);
    expect(totpMatch(s, totpNow(s, t + 90_000), t)).toBeNull();
  });
});
