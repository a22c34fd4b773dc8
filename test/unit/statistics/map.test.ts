/** The world choropleth: classes of rates, and every country of the map matched to its ISO code. */
import { describe, expect, it } from "vitest";
import { RATE_BREAKS, rateClass, worldMap } from "../../../src/engines/statistics/map.ts";
import type { GlobalReport } from "../../../src/engines/statistics/report.ts";

const report = (series: Record<string, number | null>): GlobalReport =>
  ({
    period: { from: 2020, to: 2022 },
    countries: Object.entries(series).map(([area, rate]) => ({
      area,
      name: area,
      region: "",
      subregion: "",
      series: [
        { year: 2021, count: 1, rate: 99, source: "UNODC-CTS", sourceDetail: null, status: "A", note: null },
        { year: 2022, count: 1, rate, source: "UNODC-CTS", sourceDetail: null, status: "A", note: null },
      ],
    })),
  }) as unknown as GlobalReport;

describe("the world map", () => {
  it("puts a rate in its class by the breaks, and none without a rate", () => {
    expect(RATE_BREAKS).toEqual([0.5, 1, 2, 5, 10]);
    expect([0, 0.49, 0.5, 1.99, 2, 9.99, 10, 42].map(rateClass)).toEqual([0, 0, 1, 2, 3, 4, 5, 5]);
    expect(rateClass(null)).toBeNull();
    expect(rateClass(Number.NaN)).toBeNull();
  });

  it("draws every country with its ISO code and the last year's rate", () => {
    const map = worldMap(report({ COL: 0.6, MEX: 1.3, XKX: 3, ESP: null }), { width: 600 });
    expect(map).toMatchObject({ year: 2022, width: 600, height: 292 });
    const by = new Map(map.areas.map((a) => [a.area, a]));
    expect(map.areas.length).toBeGreaterThan(170);
    expect(map.areas.filter((a) => a.area === "").length).toBeLessThanOrEqual(2);
    expect(by.get("COL")).toMatchObject({ rate: 0.6, rateClass: 1 });
    expect(by.get("MEX")).toMatchObject({ rate: 1.3, rateClass: 2 });
    expect(by.get("XKX")).toMatchObject({ name: "Kosovo", rateClass: 3 });
    expect(by.get("ESP")).toMatchObject({ rate: null, rateClass: null });
    expect(by.get("FRA")).toMatchObject({ rate: null });
    expect(by.get("COL")?.d).toMatch(/^M[\d.,-]+L/);
  });
});
