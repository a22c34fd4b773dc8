import { describe, expect, it } from "vitest";
import {
  ABILITY_OBJECT,
  abilitiesOf,
  CASE_ABILITIES,
  CASE_ROLE_ABILITIES,
  CASE_ROLES,
  mayOnCase,
  rolesWith,
} from "../../src/domain/case-roles.ts";

describe("the case-role table", () => {
  it("gives the lead every ability, the crisis team all but the team's management", () => {
    expect(abilitiesOf("lead")).toEqual(CASE_ABILITIES);
    expect(abilitiesOf("crisis_team")).toEqual(CASE_ABILITIES.filter((a) => a !== "case.team"));
  });

  it("keeps a plain member out of the crisis team's work", () => {
    for (const a of [
      "crisis_log.read",
      "crisis_log.write",
      "rescue.record",
      "case.transition",
      "case.team",
      "hits.decide",
    ] as const) {
      expect(mayOnCase("member", a), a).toBe(false);
    }
    for (const a of ["case.read", "case.records", "case.prosecution", "hits.ask"] as const) {
      expect(mayOnCase("member", a), a).toBe(true);
    }
  });

  it("answers the same way for one role and for the set of roles", () => {
    for (const a of CASE_ABILITIES) {
      expect(rolesWith(a).sort()).toEqual(CASE_ROLES.filter((r) => mayOnCase(r, a)).sort());
      expect(ABILITY_OBJECT[a]).toEqual(expect.any(String));
    }
    for (const r of CASE_ROLES) {
      // Everyone on the team sees the case; nothing outside the list is granted.
      expect(CASE_ROLE_ABILITIES[r]).toContain("case.read");
      expect(CASE_ROLE_ABILITIES[r].every((a) => (CASE_ABILITIES as readonly string[]).includes(a))).toBe(
        true,
      );
    }
  });
});
