import { describe, expect, it } from "vitest";
import {
  clearRecord,
  clearScore,
  dobSimilarity,
  estimateModel,
  nameSimilarity,
} from "../../../src/engines/matching/clear.ts";
import { parseCsv, personsFromTable } from "../../../src/engines/matching/csv.ts";
import { assign, link } from "../../../src/engines/matching/link.ts";
import type { PersonRecord } from "../../../src/engines/matching/person.ts";

const r = (p: PersonRecord) => clearRecord(p);

describe("clear-text comparison", () => {
  it("scores name variants high and other names low", () => {
    const base = r({ given: "Mohammed", surname: "Al-Rashid" });
    expect(nameSimilarity(base, r({ given: "Muhammad", surname: "Rashid" }))).toBe(1);
    expect(nameSimilarity(base, r({ given: "Rashid", surname: "Mohamed" }))).toBe(1); // swapped
    expect(nameSimilarity(base, r({ given: "Mohammed", surname: "Al-Rasheed" }))).toBeGreaterThan(0.9); // phonetic
    expect(nameSimilarity(base, r({ given: "Pedro", surname: "Gómez" }))).toBeLessThan(0.6);
    expect(nameSimilarity(base, r({}))).toBeUndefined();
    const two = r({ given: "Gabriel", surname: "García Márquez" });
    expect(nameSimilarity(two, r({ given: "Gabriel", surname: "Garcia" }))).toBeGreaterThan(0.95);
  });

  it("scores dates of birth by the parts that agree", () => {
    const d = r({ dob: "1984-03-21" });
    expect(dobSimilarity(d, r({ dob: "21/03/1984" }))).toBe(1);
    expect(dobSimilarity(d, r({ dob: "1984-21-03" }))).toBe(1); // unambiguous: no month 21
    expect(dobSimilarity(r({ dob: "1984-03-12" }), r({ dob: "1984-12-03" }))).toBe(0.8);
    expect(dobSimilarity(d, r({ dob: "1948-03-21" }))).toBe(0.6);
    expect(dobSimilarity(d, r({ dob: "1990-11-02" }))).toBe(0);
    expect(dobSimilarity(d, r({}))).toBeUndefined();
  });

  it("gives a Fellegi–Sunter score that ranks the same person above look-alikes", () => {
    const people: PersonRecord[] = [
      { given: "Ana", surname: "Pérez", dob: "1980-01-02", sex: "F" },
      { given: "Luis", surname: "Martínez", dob: "1975-05-06", sex: "M" },
      { given: "Carmen", surname: "Ruiz Soto", dob: "1991-07-08", sex: "F" },
      { given: "Ana", surname: "Pereira", dob: "1983-11-12", sex: "F" },
    ].map((p) => p);
    const recs = people.map(r);
    const q = r({ given: "Ana", surname: "Perez", dob: "02/01/1980", sex: "f" });
    const scores = recs.map((x) => clearScore(q, x));
    expect(scores[0]).toBe(1);
    expect(Math.max(...scores.slice(1))).toBeLessThan(0.5);
    // A field one record lacks weighs nothing either way: the score falls between.
    const noDob = clearScore(q, r({ given: "Ana", surname: "Pérez", sex: "F" }));
    expect(noDob).toBeGreaterThan(0.5);
    expect(noDob).toBeLessThan(1);
  });

  it("estimates u from random pairs: rare agreement on names, frequent on sex", () => {
    const letters = (i: number) => {
      let x = (i + 1) * 2654435761;
      let s = "";
      for (let k = 0; k < 7; k++) {
        s += String.fromCharCode(97 + ((x >>> 0) % 26));
        x = Math.imul(x ^ (x >>> 15), 2246822519);
      }
      return s;
    };
    const given = ["Ana", "Luis", "Carmen", "José", "Lucía", "Pedro", "Marta", "Jorge", "Sofía", "Diego"];
    const recs = Array.from({ length: 200 }, (_, i) =>
      r({
        given: given[i % 10],
        surname: letters(i),
        dob: `19${50 + (i % 50)}-01-${1 + (i % 28)}`,
        sex: i % 2 ? "M" : "F",
      }),
    );
    const model = estimateModel(recs, recs, 3000, 7);
    expect(model.fields.name?.u).toBeLessThan(0.1);
    expect(model.fields.sex?.u).toBe(0.5);
    expect(model.fields.dob?.u).toBeLessThan(0.05);
  });
});

describe("linking two lists", () => {
  const csv = (rows: string[]) =>
    parseCsv(["rec_id, given_name, surname, date_of_birth, sex", ...rows].join("\n"));
  const left = personsFromTable(
    csv([
      "a1, maría josé, núñez garcía, 19840321, f",
      "a2, pedro, ramírez ortiz, 19901102, m",
      "a3, александр, пушкин, 17990606, m",
    ]),
    "rec_id",
  );
  const right = personsFromTable(
    csv([
      "b1, ramirez, pedro, 19901102, m",
      "b2, maria jose, nunez, 19840321, f",
      "b3, aleksandr, pushkin, 17990606, m",
      "b4, lucia, fernandez, 20010101, f",
    ]),
    "rec_id",
  );

  it.each(["clear", "private"] as const)("%s mode finds the same people and nobody else", (mode) => {
    const pairs = link(
      left.map((x) => x.person),
      right.map((x) => x.person),
      { mode },
    );
    expect(pairs.map((p) => `${left[p.left]?.id}-${right[p.right]?.id}`).sort()).toEqual([
      "a1-b2",
      "a2-b1",
      "a3-b3",
    ]);
    const full = link(
      left.map((x) => x.person),
      right.map((x) => x.person),
      { mode, fullScan: true },
    );
    expect(full.map((p) => [p.left, p.right])).toEqual(pairs.map((p) => [p.left, p.right]));
  });

  it("assigns best and one-to-one", () => {
    const pairs = [
      { left: 0, right: 0, score: 0.9 },
      { left: 1, right: 0, score: 0.8 },
      { left: 0, right: 1, score: 0.85 },
    ];
    expect(assign(pairs, "all")).toHaveLength(3);
    expect(assign(pairs, "best")).toEqual([
      { left: 0, right: 0, score: 0.9 },
      { left: 0, right: 1, score: 0.85 },
    ]);
    expect(assign(pairs, "one-to-one")).toEqual([{ left: 0, right: 0, score: 0.9 }]);
  });

  it("reads CSV with quotes and FEBRL's comma-space separators", () => {
    const t = parseCsv('id, name, note\n1, "Pérez, Ana", "said ""hi"""\n2, Luis ,\n');
    expect(t.header).toEqual(["id", "name", "note"]);
    expect(t.rows).toEqual([
      ["1", "Pérez, Ana", 'said "hi"'],
      ["2", "Luis", ""],
    ]);
  });
});
