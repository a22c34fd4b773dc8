/** The counting rules against tables computed by hand (src/domain/counting.ts). */
import { describe, expect, it } from "vitest";
import {
  ageGroup,
  ageOn,
  type CaseFact,
  cell,
  citizenship,
  computeReturn,
  type NationalReturn,
  suppressSmallCells,
  table,
  validateReturn,
} from "../../../src/domain/counting.ts";

const base: Omit<CaseFact, "id" | "reportedAt" | "iccs" | "opType"> = {
  occurredAt: null,
  outcome: null,
  country: "COL",
  region: null,
  elementAge: null,
  purpose: null,
  victims: [],
  demands: [],
  rescues: [],
  charges: [],
};
const victim = (over: Partial<CaseFact["victims"][number]>) => ({
  sex: "unknown",
  dateOfBirth: null,
  ageMin: null,
  ageMax: null,
  nationalities: [],
  ...over,
});
const charge = (over: Partial<CaseFact["charges"][number]>): CaseFact["charges"][number] => ({
  personId: null,
  chargeId: "c",
  recordedAt: "2025-01-01T00:00:00Z",
  updatedAt: "2025-01-01T00:00:00Z",
  verdict: null,
  verdictDate: null,
  appeal: "none",
  ...over,
});

/** Five cases; the expected tables below were worked out by hand from them. */
const FACTS: CaseFact[] = [
  {
    ...base,
    id: "A",
    reportedAt: "2025-03-10T10:00:00Z",
    occurredAt: "2025-03-09T22:00:00Z",
    iccs: "020221",
    opType: "ransom",
    outcome: "released_after_payment",
    region: "Antioquia",
    elementAge: 40,
    purpose: "ransom",
    // 29 on the day of the incident (her 30th birthday is the day it was reported).
    victims: [victim({ sex: "female", dateOfBirth: "1995-03-10", nationalities: ["COL"] })],
    demands: [
      { amount: { value: 100, currency: "USD" } },
      { amount: { value: 80, currency: "USD" } },
      { amount: null },
    ],
  },
  {
    ...base,
    id: "B",
    reportedAt: "2025-12-31T23:30:00Z",
    iccs: "02021",
    opType: "family_custody",
    elementAge: 10,
    purpose: "none",
    // One victim: the age in the elements wins over the range.
    victims: [victim({ sex: "male", ageMin: 9, ageMax: 12 })],
  },
  {
    ...base,
    id: "C",
    reportedAt: "2025-06-01T12:00:00Z",
    iccs: null,
    opType: "virtual",
    outcome: "released_without_payment",
    region: "Cauca",
    elementAge: 70,
    purpose: "ransom",
    victims: [],
  },
  {
    ...base,
    id: "D",
    reportedAt: "2025-07-01T08:00:00Z",
    iccs: "020221",
    opType: "express",
    outcome: "rescued",
    country: "ESP",
    region: "Madrid",
    elementAge: 16,
    purpose: "other_economic_gain",
    victims: [
      victim({ sex: "male", ageMin: 16, ageMax: 17, nationalities: ["ESP", "COL"] }),
      victim({ sex: "other", ageMin: 20, ageMax: 35, nationalities: ["ESP"] }),
    ],
    rescues: [{ startedAt: "2025-07-02T03:00:00Z", suspectsArrested: 2 }],
    charges: [
      charge({ personId: "p1", chargeId: "c1", recordedAt: "2025-08-01T00:00:00Z" }),
      charge({ personId: "p1", chargeId: "c2", recordedAt: "2025-09-01T00:00:00Z" }),
      charge({
        chargeId: "c3",
        recordedAt: "2025-09-01T00:00:00Z",
        verdict: "convicted",
        verdictDate: "2026-01-15",
      }),
    ],
  },
  {
    ...base,
    id: "E",
    reportedAt: "2024-05-01T00:00:00Z",
    iccs: "020221",
    opType: "ransom",
    outcome: "rescued",
    region: "Antioquia",
    purpose: "ransom",
    victims: [victim({ sex: "female" })],
    rescues: [{ startedAt: "2025-01-05T00:00:00Z", suspectsArrested: 1 }],
    charges: [
      charge({
        personId: "p9",
        chargeId: "c9",
        recordedAt: "2024-06-01T00:00:00Z",
        updatedAt: "2025-02-01T00:00:00Z",
        verdict: "convicted",
      }),
      charge({
        personId: "p10",
        chargeId: "c10",
        recordedAt: "2024-06-01T00:00:00Z",
        verdict: "convicted",
        verdictDate: "2025-03-01",
        appeal: "overturned",
      }),
    ],
  },
];

const cellsOf = (r: NationalReturn, id: string) =>
  Object.fromEntries(table(r, id).cells.map((c) => [c.key.join(" × "), c.value]));

describe("the counting rules", () => {
  const r = computeReturn(FACTS, { year: 2025, country: "COL" });

  it("counts incidents by reporting year, by class, type, outcome and region", () => {
    expect(table(r, "incidents_by_iccs").total).toBe(4);
    expect(cellsOf(r, "incidents_by_iccs")).toEqual({ "020221": 2, "02021": 1, none: 1 });
    expect(cellsOf(r, "incidents_by_type")).toEqual({ ransom: 1, family_custody: 1, virtual: 1, express: 1 });
    expect(cellsOf(r, "incidents_by_iccs_type")).toEqual({
      "020221 × express": 1,
      "020221 × ransom": 1,
      "02021 × family_custody": 1,
      "none × virtual": 1,
    });
    expect(cellsOf(r, "incidents_by_outcome")).toEqual({
      released_after_payment: 1,
      pending: 1,
      released_without_payment: 1,
      rescued: 1,
    });
    expect(cellsOf(r, "incidents_by_region")).toEqual({ Antioquia: 1, unknown: 1, Cauca: 1, abroad: 1 });
  });

  it("counts ransom demanded (a demand, or the purpose) and paid, and the latest amount demanded", () => {
    expect(cellsOf(r, "incidents_by_ransom")).toEqual({ demanded: 2, paid: 1 });
    expect(cellsOf(r, "ransom_amount_demanded")).toEqual({ USD: 80 });
  });

  it("counts victims apart, with one unknown victim for an incident without one", () => {
    expect(table(r, "victims_by_iccs").total).toBe(5);
    expect(cellsOf(r, "victims_by_iccs")).toEqual({ "020221": 3, "02021": 1, none: 1 });
    expect(cellsOf(r, "victims_by_type")).toEqual({ ransom: 1, family_custody: 1, virtual: 1, express: 2 });
    expect(cellsOf(r, "victims_by_outcome")).toEqual({
      released_after_payment: 1,
      pending: 1,
      released_without_payment: 1,
      rescued: 2,
    });
    expect(cellsOf(r, "victims_by_sex")).toEqual({ female: 1, male: 2, unknown: 1, other: 1 });
    expect(cellsOf(r, "victims_by_region")).toEqual({ Antioquia: 1, unknown: 1, Cauca: 1, abroad: 2 });
  });

  it("groups victims by age at the incident and by citizenship relative to the node", () => {
    expect(cellsOf(r, "victims_by_age")).toEqual({ "18-29": 1, "0-14": 1, "60+": 1, "15-17": 1, unknown: 1 });
    expect(cellsOf(r, "victims_by_sex_age")).toEqual({
      "female × 18-29": 1,
      "male × 0-14": 1,
      "unknown × 60+": 1,
      "male × 15-17": 1,
      "other × unknown": 1,
    });
    expect(cellsOf(r, "victims_by_citizenship")).toEqual({ national: 2, unknown: 2, foreign: 1 });
  });

  it("counts persons arrested, prosecuted and convicted by the year of each event", () => {
    // Arrested: 2 (D's rescue) + 1 (E's rescue in 2025, though E was reported in 2024).
    // Prosecuted: p1 (two charges, one person) and D's charge without a person.
    // Convicted: p9 (no verdict date: the charge's last update, 2025); p10 overturned; c3 in 2026.
    expect(cellsOf(r, "persons_by_stage")).toEqual({ arrested: 3, prosecuted: 2, convicted: 1 });
    const next = computeReturn(FACTS, { year: 2026, country: "COL" });
    expect(cellsOf(next, "persons_by_stage")).toEqual({ convicted: 1 });
    expect(table(next, "incidents_by_iccs").total).toBe(0);
  });

  it("classifies ages, citizenship and birthdays as PostgreSQL does", () => {
    expect([0, 14, 15, 17, 18, 29, 30, 44, 45, 59, 60, 130, null, -1].map(ageGroup)).toEqual([
      "0-14",
      "0-14",
      "15-17",
      "15-17",
      "18-29",
      "18-29",
      "30-44",
      "30-44",
      "45-59",
      "45-59",
      "60+",
      "60+",
      "unknown",
      "unknown",
    ]);
    expect(ageOn("2020-02-29", "2023-02-28")).toBe(2);
    expect(ageOn("2020-02-29", "2023-03-01")).toBe(3);
    expect(citizenship(["ESP", "COL"], "COL")).toBe("national");
    expect(citizenship(["ESP"], "COL")).toBe("foreign");
    expect(citizenship([], "COL")).toBe("unknown");
  });
});

describe("validation", () => {
  const r = computeReturn(FACTS, { year: 2025, country: "COL" });
  const previous = computeReturn(FACTS, { year: 2024, country: "COL" });

  it("finds nothing wrong in a computed return", () => {
    expect(validateReturn(r)).toEqual([]);
  });

  it("refuses totals that are not the sum of their parts", () => {
    const broken: NationalReturn = {
      ...r,
      tables: r.tables.map((t) => (t.id === "victims_by_sex" ? { ...t, total: t.total + 1 } : t)),
    };
    const issues = validateReturn(broken);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: "sum_mismatch", table: "victims_by_sex", severity: "error" });
  });

  it("flags implausible figures: a rate above the maximum, fewer victims than incidents, paid without demand", () => {
    expect(validateReturn(r, null, { population: 5000 })).toEqual([
      expect.objectContaining({ kind: "implausible", needsNote: true }),
    ]);
    expect(validateReturn(r, null, { population: 50_000_000 })).toEqual([]);
    const odd: NationalReturn = {
      ...r,
      tables: r.tables.map((t) =>
        t.id === "incidents_by_ransom"
          ? { ...t, cells: [{ key: ["paid"], value: 3 }] }
          : t.measure === "victims"
            ? { ...t, total: 1, cells: [{ key: t.dims.map(() => "x"), value: 1 }] }
            : t,
      ),
    };
    expect(validateReturn(odd).map((i) => i.kind)).toEqual(["implausible", "implausible"]);
  });

  it("flags changes of more than 50 % on the previous year for a note", () => {
    const issues = validateReturn(r, previous);
    const total = issues.find((i) => i.table === "incidents_by_iccs" && i.key.length === 0);
    expect(total).toMatchObject({ kind: "large_change", needsNote: true });
    expect(total?.message).toContain("+300 %");
    // Rescued incidents: 1 in 2024, 1 in 2025: no change, no flag.
    expect(issues.some((i) => i.table === "incidents_by_outcome" && i.key[0] === "rescued")).toBe(false);
    // A change of exactly 50 % is not flagged (more than 50 % is).
    const half: NationalReturn = {
      ...r,
      tables: r.tables.map((t) => ({ ...t, total: t.id === "incidents_by_iccs" ? 6 : t.total })),
    };
    const base4 = { ...r, year: 2024 };
    expect(
      validateReturn(half, base4).some(
        (i) => i.kind === "large_change" && i.table === "incidents_by_iccs" && i.key.length === 0,
      ),
    ).toBe(false);
  });
});

describe("small-cell suppression", () => {
  it("withholds small counts and the next smallest of the same line, keeping totals exact", () => {
    const r = computeReturn(FACTS, { year: 2025, country: "COL" });
    const one: NationalReturn = {
      ...r,
      tables: [
        {
          id: "victims_by_sex",
          title: "t",
          measure: "victims",
          dims: ["SEX"],
          total: 13,
          cells: [
            { key: ["female"], value: 1 },
            { key: ["male"], value: 5 },
            { key: ["unknown"], value: 7 },
          ],
        },
        {
          id: "victims_by_age",
          title: "t",
          measure: "victims",
          dims: ["AGE"],
          total: 7,
          cells: [
            { key: ["0-14"], value: 3 },
            { key: ["18-29"], value: 4 },
          ],
        },
      ],
    };
    const s = suppressSmallCells(one, 3);
    expect(s.tables[0]?.cells.map((c) => c.value)).toEqual([null, null, 7]);
    expect(s.tables[0]?.total).toBe(13);
    expect(s.tables[1]?.cells.map((c) => c.value)).toEqual([3, 4]);
    expect(cell(suppressSmallCells(r, 3), "victims_by_sex", "male")).toBe(null);
    expect(validateReturn(suppressSmallCells(r, 3)).filter((i) => i.kind === "sum_mismatch")).toEqual([]);
  });
});
