import { describe, expect, it } from "vitest";
import { PERMISSIONS, POLICY, permissionsOf, ROLES } from "../../src/domain/roles.ts";

describe("the policy table", () => {
  it("covers every role and grants only known permissions", () => {
    expect(Object.keys(POLICY).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) for (const p of POLICY[role]) expect(PERMISSIONS).toContain(p);
  });

  it("lets everyone manage their own account and tokens", () => {
    for (const role of ROLES)
      expect(permissionsOf([role])).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    for (const role of ROLES)
      for (const p of ["self.read", "self.update", "tokens.own"] as const)
        expect(permissionsOf([role]).has(p)).toBe(true);
  });

  it("separates duties: the administrator cannot read the audit trail, the auditor cannot manage accounts", () => {
    expect(permissionsOf(["admin"]).has("audit.read")).toBe(false);
    expect(permissionsOf(["auditor"]).has("users.manage")).toBe(false);
    expect(permissionsOf(["auditor"]).has("audit.verify")).toBe(true);
  });

  it("unions the permissions of several roles", () => {
    const both = permissionsOf(["admin", "auditor"]);
    expect(both.has("users.manage") && both.has("audit.read")).toBe(true);
    expect(permissionsOf([]).size).toBe(0);
  });
});
