import { describe, expect, it } from "vitest";
import {
  chargeInputSchema,
  groupInputSchema,
  rescueInputSchema,
  selectorInputSchema,
  vehicleInputSchema,
} from "../../src/domain/case-records.ts";
import { createCaseSchema, personInputSchema } from "../../src/domain/cases.ts";
import { classify, parseIncident } from "../../src/domain/definition.ts";
import { normalisePhone } from "../../src/domain/selectors.ts";
import { demoCase } from "../../src/server/demo/cases.ts";

describe("synthetic demo cases", () => {
  it("are the same for the same seed and differ across seeds", () => {
    expect(demoCase(7, 3)).toEqual(demoCase(7, 3));
    expect(demoCase(7, 3)).not.toEqual(demoCase(8, 3));
  });

  it("are valid cases whose people have valid phones, across the typology and in several scripts", () => {
    const iccs = new Set<string | null>();
    const scripts = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const d = demoCase(1, i);
      expect(createCaseSchema.safeParse(d.create).success, `case ${i}`).toBe(true);
      const parsed = parseIncident(d.create.elements);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const cls = classify(parsed.elements);
      iccs.add(cls.iccs);
      // Only a case where nobody was really held ends as "found simulated", and such a case ends no other way.
      expect(d.target.outcome === "found_simulated", `case ${i}`).toBe(
        cls.type === "virtual" || cls.type === "simulated",
      );
      for (const p of d.persons) {
        expect(personInputSchema.safeParse(p).success).toBe(true);
        for (const ph of p.phones) expect(normalisePhone(ph.number).ok, ph.number).toBe(true);
        for (const n of p.names) scripts.add(n.script);
      }
    }
    expect([...iccs].sort()).toEqual(["02021", "020221", "020222", null].sort());
    expect(scripts.size).toBeGreaterThanOrEqual(3);
  });

  it("carry valid groups, vehicles, selectors, rescues and charges where the story calls for them", () => {
    const seen = { group: 0, vehicle: 0, selector: 0, rescue: 0, charge: 0, convicted: 0 };
    for (let i = 0; i < 200; i++) {
      const d = demoCase(3, i);
      const check = (
        schema: { safeParse(x: unknown): { success: boolean } },
        x: unknown,
        what: keyof typeof seen,
      ) => {
        expect(schema.safeParse(x).success, `case ${i} ${what}`).toBe(true);
        seen[what]++;
      };
      if (d.group) check(groupInputSchema, d.group, "group");
      if (d.vehicle) check(vehicleInputSchema, d.vehicle, "vehicle");
      for (const sel of d.selectors) check(selectorInputSchema, sel, "selector");
      // A rescue only ends a case resolved as rescued; a charge only exists once the case is prosecuted.
      expect(d.rescue !== null, `case ${i} rescue`).toBe(
        d.target.outcome === "rescued" && !["reported", "active_crisis"].includes(d.target.status),
      );
      expect(d.charge !== null, `case ${i} charge`).toBe(
        ["in_prosecution", "closed"].includes(d.target.status),
      );
      if (d.rescue) {
        check(rescueInputSchema, d.rescue, "rescue");
        expect(new Date(d.rescue.startedAt) >= new Date(d.create.occurredAt ?? 0)).toBe(true);
      }
      if (d.charge) {
        check(chargeInputSchema, d.charge, "charge");
        if (d.charge.verdict === "convicted") seen.convicted++;
      }
    }
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
  });
});
