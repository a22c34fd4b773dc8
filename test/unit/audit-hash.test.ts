import { describe, expect, it } from "vitest";
import { entryHash } from "../../src/platform/audit/index.ts";

const row = {
  seq: 7,
  at: new Date("2026-11-22T10:00:00.123Z"),
  actor_id: null,
  actor_label: "cli:root",
  event: "user.created",
  target_type: "user",
  target_id: "abc",
  purpose: null,
  request_id: null,
  ip: null,
  details: { b: 1, a: ["x", "ü"] },
  prev_hash: new Uint8Array(32),
  hash: new Uint8Array(32),
};

describe("audit entry hash", () => {
  it("is independent of the key order of details (JSON canonicalisation, RFC 8785)", () => {
    const prev = Buffer.alloc(32, 1);
    expect(entryHash(prev, row).equals(entryHash(prev, { ...row, details: { a: ["x", "ü"], b: 1 } }))).toBe(
      true,
    );
  });

  it("changes with any field, the sequence number and the previous hash", () => {
    const prev = Buffer.alloc(32, 1);
    const base = entryHash(prev, row);
    expect(entryHash(prev, { ...row, actor_label: "cli:rooT" }).equals(base)).toBe(false);
    expect(entryHash(prev, { ...row, seq: 8 }).equals(base)).toBe(false);
    expect(entryHash(prev, { ...row, at: new Date("2026-11-22T10:00:00.124Z") }).equals(base)).toBe(false);
    expect(entryHash(Buffer.alloc(32, 2), row).equals(base)).toBe(false);
  });
});
