import { describe, expect, it } from "vitest";
import {
  CONTEXTS,
  ContradictoryIncidentError,
  classify,
  ICCS_LABELS,
  type IncidentElements,
  OPERATIONAL_TYPES,
  PURPOSES,
  parseIncident,
} from "../../src/domain/definition.ts";
import { EXAMPLES, REFUSALS } from "./definition-examples.ts";

function elementsOf(input: unknown): IncidentElements {
  const r = parseIncident(input);
  if (!r.ok) throw new Error(`refused: ${r.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  return r.elements;
}

describe("the worked examples of the common definition (2002/16 §1)", () => {
  it("has at least 30 examples, each with its reasoning, under distinct names", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(EXAMPLES.map((x) => x.name)).size).toBe(EXAMPLES.length);
    for (const x of EXAMPLES) expect(x.reasoning.length, x.name).toBeGreaterThan(40);
  });

  it.each(EXAMPLES)("$name", ({ input, expected }) => {
    const c = classify(elementsOf(input));
    expect({ iccs: c.iccs, kidnapping: c.kidnapping, type: c.type }).toEqual(expected);
    expect(c.reasons.length).toBeGreaterThan(0);
    for (const r of c.reasons) expect(r).toMatch(/^[a-zA-Z"].*[^.]$/);
  });

  it("covers every ICCS outcome, operational type, context and purpose, minors and adults", () => {
    const parsed = EXAMPLES.map((x) => ({ e: elementsOf(x.input), x }));
    expect(new Set(EXAMPLES.map((x) => x.expected.iccs))).toEqual(
      new Set([...(Object.keys(ICCS_LABELS) as string[]), null]),
    );
    expect(new Set(EXAMPLES.map((x) => x.expected.type))).toEqual(new Set(OPERATIONAL_TYPES));
    expect(new Set(parsed.map((p) => p.e.context))).toEqual(new Set(CONTEXTS));
    expect(new Set(parsed.map((p) => p.e.purpose))).toEqual(new Set(PURPOSES));
    const ages = parsed.map((p) => p.e.victimAgeYears ?? null);
    expect(ages.some((a) => a !== null && a < 18)).toBe(true);
    expect(ages.some((a) => a !== null && a >= 18)).toBe(true);
    expect(ages.some((a) => a === null)).toBe(true);
  });

  it("counts as kidnapping exactly the incidents classed 020221", () => {
    for (const x of EXAMPLES) {
      const c = classify(elementsOf(x.input));
      expect(c.kidnapping, x.name).toBe(c.iccs === "020221");
      expect(x.expected.kidnapping, `${x.name} (table)`).toBe(x.expected.iccs === "020221");
    }
  });

  it("is deterministic: the same elements always give the same classification", () => {
    for (const x of EXAMPLES) {
      const first = classify(elementsOf(x.input));
      const again = classify(elementsOf(structuredClone(x.input)));
      expect(again, x.name).toEqual(first);
      // Key order in the input does not matter either.
      const reversed = Object.fromEntries(Object.entries(x.input).reverse());
      expect(classify(elementsOf(reversed)), x.name).toEqual(first);
    }
  });

  it("never counts an unknown purpose as kidnapping", () => {
    const unknown = EXAMPLES.filter((x) => x.input.purpose === "unknown");
    expect(unknown.length).toBeGreaterThan(0);
    for (const x of unknown) {
      const c = classify(elementsOf(x.input));
      expect(c.kidnapping, x.name).toBe(false);
      expect(c.reasons.join(" "), x.name).toMatch(/purpose is unknown/);
    }
  });

  it("names the deciding elements in the reasons", () => {
    const virtual = classify(elementsOf(EXAMPLES.find((x) => x.expected.type === "virtual")?.input));
    expect(virtual.reasons[0]).toMatch(/^victimDetained is false: nobody was held.*ICCS 0202/);
    const simulated = classify(elementsOf(EXAMPLES.find((x) => x.expected.type === "simulated")?.input));
    expect(simulated.reasons[0]).toMatch(/^againstWill is false/);
    const hostage = classify(
      elementsOf({
        victimDetained: true,
        victimMoved: false,
        againstWill: true,
        purpose: "compel_third_party",
        context: "hostage",
      }),
    );
    expect(hostage.reasons.join("\n")).toMatch(/ICCS lists hostage-taking under illegal restraint/);
  });

  it("leaves movement out of the decision for adults", () => {
    for (const purpose of PURPOSES) {
      const base = { victimDetained: true, againstWill: true, purpose, victimAgeYears: 40 };
      const moved = classify(elementsOf({ ...base, victimMoved: true }));
      const held = classify(elementsOf({ ...base, victimMoved: false }));
      expect([moved.iccs, moved.type], purpose).toEqual([held.iccs, held.type]);
    }
  });
});

describe("refusing invalid or contradictory incidents", () => {
  it("has at least 8 refusals", () => {
    expect(REFUSALS.length).toBeGreaterThanOrEqual(8);
  });

  it.each(REFUSALS)("refuses $name on $path", ({ input, path }) => {
    const r = parseIncident(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    // The message names a field (or, for a non-object, says what is expected) and why.
    if (path !== "") expect(hit?.message).toContain(path);
    expect(hit?.message.length).toBeGreaterThan(20);
  });

  it("reports every unknown field, each under its own path", () => {
    const r = parseIncident({
      victimDetained: true,
      victimMoved: true,
      againstWill: true,
      purpose: "none",
      a: 1,
      b: 2,
    });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(["a", "b"]);
  });

  it("refuses a __proto__ key from JSON instead of merging it", () => {
    const r = parseIncident(
      JSON.parse(
        '{"victimDetained":true,"victimMoved":true,"againstWill":true,"purpose":"none","__proto__":{}}',
      ),
    );
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(["__proto__"]);
  });

  it("says a required element is required", () => {
    const r = parseIncident({ victimMoved: true, againstWill: true, purpose: "ransom" });
    expect(r.ok ? [] : r.errors).toEqual([
      { path: "victimDetained", message: "victimDetained is required: true or false" },
    ]);
  });

  it("classify throws on a contradictory record that bypassed parseIncident", () => {
    const bad = {
      victimDetained: false,
      victimMoved: true,
      againstWill: true,
      purpose: "ransom",
      takenByParentOrGuardian: false,
      context: "none",
    } satisfies IncidentElements;
    expect(() => classify(bad)).toThrow(ContradictoryIncidentError);
  });
});
