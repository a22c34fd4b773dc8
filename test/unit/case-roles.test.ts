import { describe, expect, it } from "vitest";
import {
  ABILITY_OBJECT,
  abilitiesOf,
  CASE_ABILITIES,
  CASE_ROLE_ABILITIES,
  CASE_ROLES,
  mayOnCase,
  QUALIFIED_BY,
  rolesWith,
} from "../../src/domain/case-roles.ts";
import { ROLES } from "../../src/domain/roles.ts";

describe("the case-role table", () => {
  it("gives the lead every ability, the crisis team all but the team's management", () => {
    // The lead answers for the whole case, whatever their account's roles.
    expect(abilitiesOf("lead", ["investigator"])).toEqual(CASE_ABILITIES);
    expect(abilitiesOf("crisis_team", ["prosecutor"])).toEqual(
      CASE_ABILITIES.filter((a) => a !== "case.team"),
    );
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
      expect(mayOnCase("member", a, ["prosecutor", "investigator"]), a).toBe(false);
    }
    for (const a of ["case.read", "case.records", "hits.ask"] as const) {
      expect(mayOnCase("member", a, ["investigator"]), a).toBe(true);
    }
  });

  it("lets only prosecutors and the lead write prosecution records", () => {
    expect(QUALIFIED_BY["case.prosecution"]).toEqual(["prosecutor"]);
    for (const place of ["member", "crisis_team"] as const) {
      expect(mayOnCase(place, "case.prosecution", ["prosecutor"]), place).toBe(true);
      for (const r of ROLES.filter((x) => x !== "prosecutor")) {
        expect(mayOnCase(place, "case.prosecution", [r]), `${place} ${r}`).toBe(false);
      }
      expect(abilitiesOf(place, ["investigator"])).not.toContain("case.prosecution");
    }
    expect(mayOnCase("lead", "case.prosecution", ["investigator"])).toBe(true);
    expect(rolesWith("case.prosecution", ["investigator"])).toEqual(["lead"]);
    expect(rolesWith("case.prosecution", ["prosecutor"]).sort()).toEqual(["crisis_team", "lead", "member"]);
  });

  it("answers the same way for one role and for the set of roles", () => {
    for (const a of CASE_ABILITIES) {
      for (const account of ROLES) {
        expect(rolesWith(a, [account]).sort()).toEqual(
          CASE_ROLES.filter((r) => mayOnCase(r, a, [account])).sort(),
        );
        for (const r of CASE_ROLES)
          expect(abilitiesOf(r, [account]).includes(a)).toBe(mayOnCase(r, a, [account]));
      }
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
