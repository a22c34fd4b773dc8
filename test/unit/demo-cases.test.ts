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
import { ClkEncoder } from "../../src/engines/matching/clk.ts";
import { dice } from "../../src/engines/matching/dice.ts";
import { demoCase, demoProfile, sharedSuspect } from "../../src/server/demo/cases.ts";

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

  it("happen in the node's own country: its regions, phone numbers and map", () => {
    for (const [country, prefix] of [
      ["COL", "+57"],
      ["MEX", "+52"],
      ["ESP", "+34"],
    ] as const) {
      for (let i = 0; i < 10; i++) {
        const d = demoCase(2, i, country);
        expect(d.create.place.country).toBe(country);
        expect(demoProfile(country).regions).toContain(d.create.place.region);
        for (const p of d.persons) {
          expect(p.nationalities).toEqual([country]);
          expect(p.phones[0]?.number.startsWith(prefix), p.phones[0]?.number).toBe(true);
          expect(normalisePhone(p.phones[0]?.number ?? "").ok).toBe(true);
        }
      }
    }
  });

  it("the sandbox's shared suspect is COL's first, misspelt, with the same phone: a hit by the matching rules", () => {
    const original = demoCase(1, 0, "COL").persons.find((p) => p.role === "suspect");
    const shared = sharedSuspect({ seed: 1, nodeId: "COL" });
    const latin = original?.names.find((n) => n.script === "latin");
    expect(shared.names[0]?.given).toBe(latin?.given);
    expect(shared.names[0]?.family).not.toBe(latin?.family);
    expect(shared.phones).toEqual(original?.phones);
    expect(personInputSchema.safeParse(shared).success).toBe(true);
    const encoder = new ClkEncoder(Buffer.alloc(32, 7));
    const a = encoder.encode({ given: latin?.given, surname: latin?.family });
    const b = encoder.encode({ given: shared.names[0]?.given, surname: shared.names[0]?.family });
    expect(dice(a.filter, b.filter)).toBeGreaterThanOrEqual(0.7);
  });
});
