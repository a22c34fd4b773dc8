/**
 * The anonymised statistical view of a node's cases: counts over every case,
 * for the roles the policy table grants `cases.statistics`. No reference, name,
 * place below the first-level region or date finer than the year leaves here;
 * a count smaller than the node's minimum cell (ARIADNE_STATS_MIN_CELL, 3 by
 * default) is withheld as null, so that no count points to one or two cases.
 * The total is exact.
 */
import { sql } from "kysely";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";

type Cell = number | null;
export interface CaseStatistics {
  total: number;
  /** Counts from 1 to minCell − 1 are withheld (null). */
  minCell: number;
  byStatus: Record<string, Cell>;
  byIccs: Record<string, Cell>;
  byType: Record<string, Cell>;
  byOutcome: Record<string, Cell>;
  byYear: { year: number; cases: Cell; kidnappings: Cell }[];
  byRegion: { country: string; region: string | null; cases: Cell }[];
}

export async function caseStatistics(
  ctx: Ctx,
  input: { from?: number | undefined; to?: number | undefined },
): Promise<CaseStatistics> {
  return inTransaction(ctx, async (tx) => {
    const year = sql<number>`extract(year from reported_at AT TIME ZONE 'UTC')::int`;
    let base = tx.db.selectFrom("cases");
    if (input.from !== undefined) base = base.where(year, ">=", input.from);
    if (input.to !== undefined) base = base.where(year, "<=", input.to);
    const countBy = async (column: "status" | "iccs" | "op_type" | "outcome") => {
      const rows = await base
        .select(sql<string>`coalesce(${sql.ref(column)}, 'none')`.as("key"))
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .groupBy(column)
        .execute();
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
    };
    const [byStatus, byIccs, byType, byOutcome] = [
      await countBy("status"),
      await countBy("iccs"),
      await countBy("op_type"),
      await countBy("outcome"),
    ];
    const byYear = await base
      .select(year.as("year"))
      .select((eb) => eb.fn.countAll<number>().as("cases"))
      .select(sql<number>`count(*) FILTER (WHERE kidnapping)`.as("kidnappings"))
      .groupBy(year)
      .orderBy(year)
      .execute();
    const byRegion = await base
      .select(["country", "region"])
      .select((eb) => eb.fn.countAll<number>().as("cases"))
      .groupBy(["country", "region"])
      .orderBy("country")
      .orderBy("region")
      .execute();
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const min = tx.config.statsMinCell;
    const cell = (n: number | string): Cell => {
      const v = Number(n);
      return v > 0 && v < min ? null : v;
    };
    const cells = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, cell(v)]));
    await audit(tx, {
      event: "cases.statistics_viewed",
      purpose: "statistics",
      details: { from: input.from ?? null, to: input.to ?? null, total },
    });
    return {
      total,
      minCell: min,
      byStatus: cells(byStatus),
      byIccs: cells(byIccs),
      byType: cells(byType),
      byOutcome: cells(byOutcome),
      byYear: byYear.map((r) => ({
        year: Number(r.year),
        cases: cell(r.cases),
        kidnappings: cell(r.kidnappings),
      })),
      byRegion: byRegion.map((r) => ({ country: r.country, region: r.region, cases: cell(r.cases) })),
    };
  });
}
