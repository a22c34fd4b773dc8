/** The national return computed in SQL agrees with the pure counting rules, on generated and demo cases. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForUser } from "../../src/capabilities/accounts/auth.ts";
import { computeReturn, type NationalReturn, validateReturn } from "../../src/domain/counting.ts";
import { computeReturnSql, loadCaseFacts } from "../../src/engines/statistics/compute.ts";
import { insertSyntheticCases } from "../../src/engines/statistics/synthetic.ts";
import { seedDemoCases } from "../../src/server/demo/cases.ts";
import { createTestNode, makeUser, type TestNode } from "../helpers/node.ts";

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode();
  const lead = await makeUser(node, ["investigator"]);
  const row = await node.db.kysely
    .selectFrom("users")
    .selectAll()
    .where("id", "=", lead.id)
    .executeTakeFirstOrThrow();
  await seedDemoCases({ ...node.ctx, actor: actorForUser(row) }, { count: 12, seed: 7 });
  await insertSyntheticCases(node.db, {
    count: 1500,
    country: "COL",
    fromYear: 2024,
    toYear: 2026,
    batch: 700,
  });
});
afterAll(async () => node?.close());

/** Amounts are summed as floating point in one and as numeric in the other. */
const rounded = (r: NationalReturn) => ({
  ...r,
  tables: r.tables.map((t) => ({
    ...t,
    total: Math.round(t.total * 100) / 100,
    cells: t.cells.map((c) => ({ ...c, value: c.value === null ? null : Math.round(c.value * 100) / 100 })),
  })),
});

describe("the return computed in the database", () => {
  it("equals the pure counting rules, table by table, year by year", async () => {
    const facts = await loadCaseFacts(node.db);
    expect(facts.length).toBe(1512);
    for (const year of [2024, 2025, 2026, 2027]) {
      const pure = computeReturn(facts, { year, country: "COL" });
      const fromSql = await computeReturnSql(node.db, { year, country: "COL" });
      for (const t of pure.tables) {
        const s = fromSql.tables.find((x) => x.id === t.id);
        expect(rounded({ ...fromSql, tables: s ? [s] : [] }), `${year} ${t.id}`).toEqual(
          rounded({ ...pure, tables: [t] }),
        );
      }
    }
  });

  it("gives tables whose totals equal the sum of their parts, with every breakdown present", async () => {
    const r = await computeReturnSql(node.db, { year: 2025, country: "COL" });
    expect(validateReturn(r).filter((i) => i.kind === "sum_mismatch")).toEqual([]);
    const victims = r.tables.find((t) => t.id === "victims_by_age");
    expect(victims?.cells.map((c) => c.key[0])).toEqual(
      expect.arrayContaining(["0-14", "15-17", "18-29", "30-44", "45-59", "60+", "unknown"]),
    );
    const persons = r.tables.find((t) => t.id === "persons_by_stage");
    expect(persons?.cells.map((c) => c.key[0]).sort()).toEqual(["arrested", "convicted", "prosecuted"]);
    const citizenship = r.tables.find((t) => t.id === "victims_by_citizenship");
    expect(citizenship?.cells.map((c) => c.key[0]).sort()).toEqual(["foreign", "national", "unknown"]);
  });
});
