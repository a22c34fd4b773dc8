/** The importers' parsers on small files: every line accounted for, geo codes, flags, sub-national units. */
import { describe, expect, it } from "vitest";
import { parseEurostatTsv } from "../../../src/engines/statistics/import/eurostat-tsv.ts";
import { parseSdmxCsv } from "../../../src/engines/statistics/import/sdmx-csv.ts";
import { parseUnodcCts } from "../../../src/engines/statistics/import/unodc-cts.ts";

const UNODC_HEADER =
  "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,VALUE,Source";
const unodcRow = (iso: string, year: string, unit: string, value: string, extra = {}) => {
  const r = {
    iso,
    country: `"Country, ${iso}"`,
    region: "Europe",
    subregion: "Northern Europe",
    category: "Kidnapping",
    ...extra,
  };
  return `${r.iso},${r.country},${r.region},${r.subregion},Violent offences,by type of offence,${r.category},Total,Total,${year},${unit.includes(",") ? `"${unit}"` : unit},${value},CTS`;
};

describe("the UNODC CTS parser", () => {
  it("imports counts and rates, keeps sub-national units with their State, marks non-integer counts", () => {
    const text = [
      UNODC_HEADER,
      unodcRow("BEL", "2015", "Counts", "1171"),
      unodcRow("BEL", "2015", "Rate per 100,000 population", "10.4"),
      unodcRow("GBR_NI", "2015", "Counts", "81"),
      unodcRow("USA", "2021", "Counts", "56651.5480085191"),
      unodcRow("ZZZ", "2015", "Counts", "3"),
      unodcRow("BEL", "2015", "Counts", "1172"),
      unodcRow("FRA", "20x5", "Counts", "3"),
      unodcRow("FRA", "2015", "Counts", "-3"),
      unodcRow("FRA", "2015", "Per cent", "3"),
      unodcRow("FRA", "2015", "Counts", "3", { category: "Robbery" }),
      "FRA,France,Europe",
    ].join("\n");
    const p = parseUnodcCts(text, "x.csv");
    expect(p.rows.map((r) => [r.row, r.status])).toEqual([
      [2, "imported"],
      [3, "imported"],
      [4, "imported"],
      [5, "imported"],
      [6, "rejected"],
      [7, "rejected"],
      [8, "rejected"],
      [9, "rejected"],
      [10, "rejected"],
      [11, "rejected"],
      [12, "rejected"],
    ]);
    expect(p.rows[5]?.reason).toMatch(/duplicate of line 2/);
    const ni = p.observations.find((o) => o.refArea === "GBR_NI");
    expect(ni).toMatchObject({ country: "GBR", areaLevel: "subnational", unitMeasure: "NR", value: "81" });
    const usa = p.observations.find((o) => o.refArea === "USA");
    expect(usa).toMatchObject({ value: "56651.5480085191", obsStatus: "E" });
    expect(usa?.note).toMatch(/non-integer/);
    expect(p.observations[0]).toMatchObject({
      areaName: "Country, BEL",
      region: "Europe",
      sourceDetail: "CTS",
    });
  });
});

describe("the Eurostat TSV parser", () => {
  it("maps EL, UK, XK and the UK's NUTS groups, reads flags, accounts for missing values", () => {
    const text = [
      "freq,iccs,unit,geo\\TIME_PERIOD\t2020 \t2021 \t2022 ",
      "A,ICCS020221,NR,EL\t73 \t62 p\t98 e",
      "A,ICCS020221,NR,UKC-L\t4528 \t: \t: ",
      "A,ICCS020221,NR,XK\t: \t: c\t: ",
      "A,ICCS020221,NR,EU27_2020\t1 \t2 \t3 ",
      "A,ICCS020221,NR,DE11\t1 \t2 \t3 ",
      "A,ICCS020221,P_HTHAB,DE\t5.43 \tx \t5.1 ",
      "A,ICCS020221,THS,DE\t1 \t2 \t3 ",
      "A,ICCS020221,NR,UK\t1 \t2",
    ].join("\n");
    const p = parseEurostatTsv(text, "estat_crim_off_cat.tsv");
    expect(p.rows.map((r) => [r.row, r.status, r.observations])).toEqual([
      [2, "imported", 3],
      [3, "imported", 1],
      [4, "missing", 0],
      [5, "rejected", 0],
      [6, "rejected", 0],
      [7, "imported", 2],
      [8, "rejected", 0],
      [9, "rejected", 0],
    ]);
    const greece = p.observations.filter((o) => o.refArea === "GRC");
    expect(greece.map((o) => [o.timePeriod, o.value, o.obsStatus, o.obsFlags])).toEqual([
      [2020, "73", "A", null],
      [2021, "62", "P", "p"],
      [2022, "98", "E", "e"],
    ]);
    expect(p.observations.find((o) => o.refArea === "GBR_E_W")).toMatchObject({
      country: "GBR",
      areaLevel: "subnational",
    });
    expect(p.rows[2]?.reason).toMatch(/3 year\(s\) marked missing/);
    expect(p.rows[5]?.reason).toMatch(/rejected cells: 2021/);
    expect(p.observations.find((o) => o.refArea === "DEU")).toMatchObject({
      unitMeasure: "P_HTHAB",
      sourceDetail: "crim_off_cat",
    });
  });
});

describe("the SDMX-CSV parser", () => {
  it("takes provenance from the attributes and the breakdown from the dimensions", () => {
    const text = [
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,MEASURE,UNIT_MEASURE,ICCS,SEX,OBS_VALUE,OBS_STATUS,SOURCE,SUBMISSION_ID,REVISION",
      "dataflow,UNODC:DF_KIDNAPPING(1.0),I,COL,2025,INCIDENTS,NR,020221,_T,12,A,COL,COL-2025,1",
      "dataflow,UNODC:DF_KIDNAPPING(1.0),I,COL,2025,VICTIMS,NR,_T,F,5,A,COL,COL-2025,1",
      "dataflow,UNODC:DF_KIDNAPPING(1.0),I,COL,2025,VICTIMS,NR,_T,F,6,A,COL,COL-2025,1",
      "dataflow,UNODC:DF_KIDNAPPING(1.0),I,COL,2025,VICTIMS,NR,_T,M,,M,COL,COL-2025,1",
      "dataflow,UNODC:DF_KIDNAPPING(1.0),I,XYZ,2025,VICTIMS,NR,_T,M,1,A,COL,COL-2025,1",
    ].join("\n");
    const p = parseSdmxCsv(text, "col.csv");
    expect(p.rows.map((r) => r.status)).toEqual(["imported", "imported", "rejected", "missing", "rejected"]);
    expect(p.observations[0]).toMatchObject({
      source: "COL",
      submissionId: "COL-2025",
      revision: 1,
      indicator: "ICCS020221",
      measure: "INCIDENTS",
      breakdown: "_T",
    });
    expect(p.observations[1]).toMatchObject({ indicator: "_T", breakdown: "SEX=F" });
  });
});
