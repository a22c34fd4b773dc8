import { describe, expect, it } from "vitest";
import {
  CASE_STATUSES,
  type CaseState,
  type CaseStatus,
  isLive,
  OUTCOMES,
  TRANSITIONS,
  transition,
} from "../../src/domain/case-lifecycle.ts";

const at = (status: CaseStatus, outcome: CaseState["outcome"] = null): CaseState => ({ status, outcome });

describe("the case lifecycle", () => {
  it("follows the main path from report to closure", () => {
    let s = at("reported");
    for (const step of [
      { to: "active_crisis" as const },
      { to: "resolved" as const, outcome: "rescued" as const },
      { to: "under_investigation" as const },
      { to: "in_prosecution" as const },
      { to: "closed" as const },
    ]) {
      const r = transition(s, step);
      if (!r.ok) throw new Error(r.error.message);
      s = r.state;
    }
    expect(s).toEqual({ status: "closed", outcome: "rescued" });
  });

  it("lets a case reported after the victim came back be resolved at once", () => {
    expect(transition(at("reported"), { to: "resolved", outcome: "released_after_payment" })).toEqual({
      ok: true,
      state: { status: "resolved", outcome: "released_after_payment" },
    });
  });

  it("refuses every transition not in the table, naming what is allowed", () => {
    let refused = 0;
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) {
        if (TRANSITIONS[from].includes(to)) continue;
        const r = transition(at(from, "rescued"), { to, outcome: "rescued", reason: "x" });
        expect(r.ok, `${from} → ${to}`).toBe(false);
        if (!r.ok) {
          expect(r.error.path).toBe("to");
          expect(r.error.message).toContain(`cannot become ${to}`);
        }
        refused++;
      }
    }
    expect(refused).toBe(36 - 10); // ten transitions are allowed
  });

  it("requires an outcome to resolve, and only then", () => {
    const r = transition(at("active_crisis"), { to: "resolved" });
    expect(r).toEqual({
      ok: false,
      error: { path: "outcome", message: expect.stringContaining("required") },
    });
    const s = transition(at("resolved", "escaped"), { to: "under_investigation", outcome: "killed" });
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.error.path).toBe("outcome");
  });

  it("keeps the outcome through investigation, prosecution and closure", () => {
    const r = transition(at("under_investigation", "died_in_captivity"), { to: "in_prosecution" });
    expect(r.ok && r.state.outcome).toBe("died_in_captivity");
  });

  it("requires a reason to reopen a closed case or return one to investigation", () => {
    expect(transition(at("closed", "rescued"), { to: "under_investigation" }).ok).toBe(false);
    expect(transition(at("closed", "rescued"), { to: "under_investigation", reason: "   " }).ok).toBe(false);
    expect(
      transition(at("closed", "rescued"), {
        to: "under_investigation",
        reason: "new evidence: phone records",
      }).ok,
    ).toBe(true);
    expect(transition(at("in_prosecution", "rescued"), { to: "under_investigation" }).ok).toBe(false);
  });

  it("accepts every outcome", () => {
    for (const outcome of OUTCOMES)
      expect(transition(at("active_crisis"), { to: "resolved", outcome }).ok).toBe(true);
  });

  it("knows when someone may still be held", () => {
    expect(CASE_STATUSES.filter(isLive)).toEqual(["reported", "active_crisis"]);
  });
});
