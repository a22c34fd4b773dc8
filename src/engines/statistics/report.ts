/**
 * The Secretary-General's global report on kidnapping (issue 6, DESIGN.md
 * M11; ECOSOC 2002/16 §6, 2004/20 §8(b)): from the observations kept with
 * their provenance, for a period, the counts and rates per 100,000 by country
 * and year, the countries reporting each year, the median and interquartile
 * range of the rates, regional and subregional aggregates (UN M49), where
 * sources disagree, and the method notes that say how every figure was made.
 * The computation (`buildGlobalReport`) is pure; `globalReport` loads the
 * observations from the database.
 */

import { sql } from "kysely";
import { isSeriousCrime } from "../../domain/returns.ts";
import { type StatisticsDb, type StatisticsTables, statisticsKysely } from "./db.ts";
import { SUBNATIONAL } from "./import/geo.ts";

export interface ObservationRow {
  source: string;
  sourceDetail: string | null;
  submissionId: string;
  revision: number;
  refArea: string;
  country: string;
  areaLevel: "country" | "subnational";
  areaName: string | null;
  region: string | null;
  subregion: string | null;
  year: number;
  measure: string;
  unit: "NR" | "P_HTHAB";
  value: number;
  obsStatus: string;
}

export interface CountryYear {
  year: number;
  count: number;
  /** Per 100,000 inhabitants; null when the source gives none and no population is known. */
  rate: number | null;
  source: string;
  sourceDetail: string | null;
  status: string;
  /** How the figure was made when not read as is (composed of parts, partial territory, estimate). */
  note: string | null;
}

export interface CountrySeries {
  area: string;
  name: string;
  region: string;
  subregion: string;
  series: CountryYear[];
}

export interface YearSummary {
  year: number;
  reportingCountries: number;
  totalCount: number;
  medianRate: number | null;
  q1Rate: number | null;
  q3Rate: number | null;
  iqrRate: number | null;
  /** Countries with a rate (the median's base). */
  countriesWithRate: number;
  /** Sum of counts over sum of populations, for the countries whose population is known. */
  aggregateRate: number | null;
  countriesInAggregateRate: number;
}

export interface AreaAggregateYear {
  year: number;
  reporting: number;
  /** Countries of the area that reported at least once in the period. */
  expected: number;
  coverage: number;
  totalCount: number;
  medianRate: number | null;
  aggregateRate: number | null;
}

export interface AreaAggregate {
  name: string;
  region?: string;
  countries: string[];
  years: AreaAggregateYear[];
}

export interface Disagreement {
  area: string;
  year: number;
  unit: "NR" | "P_HTHAB";
  values: { source: string; value: number }[];
  /** (max − min) / max. */
  relativeDifference: number;
}

export interface GlobalReport {
  period: { from: number; to: number };
  generatedAt: string;
  years: YearSummary[];
  countries: CountrySeries[];
  regions: AreaAggregate[];
  subregions: AreaAggregate[];
  disagreements: Disagreement[];
  sources: { source: string; observations: number; attribution: string }[];
  method: string[];
  /** What the national returns of the period say beyond the totals (by type, outcome, victims). */
  breakdowns?: Breakdown[];
  /** The legal situation, from the latest questionnaire each State returned. */
  legal?: LegalSituation[];
}

/** One breakdown of one measure in one year, summed over the States whose returns carry it. */
export interface Breakdown {
  measure: "INCIDENTS" | "VICTIMS";
  /** An SDMX dimension of the DSD: TYPE (operational type), OUTCOME, SEX, AGE or CITIZENSHIP. */
  dimension: string;
  year: number;
  categories: { category: string; count: number }[];
  /** The States whose returns give it. */
  countries: string[];
}

export interface LegalSituation {
  country: string;
  year: number;
  revision: number;
  criminalised: string;
  maxPenaltyYears: number | null;
  /** UNTOC art. 2(b): a maximum of four years or more. */
  seriousCrime: boolean | null;
  untocParty: string;
  specialisedUnits: string;
  victimAssistance: string;
  antiMoneyLaunderingRansom: string;
}

const BREAKDOWN_DIMENSIONS = new Set(["TYPE", "OUTCOME", "SEX", "AGE", "CITIZENSHIP"]);
const HISTORICAL_SOURCES = ["UNODC-CTS", "EUROSTAT"];

/**
 * The breakdowns the national returns of the period carry (single-dimension cells of
 * incidents and victims over all ICCS classes), from each State's latest revision of each
 * year, summed over the States that give them. The historical series carry none.
 */
export async function loadBreakdowns<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
  opts: { from: number; to: number },
): Promise<Breakdown[]> {
  const db = statisticsKysely(database);
  const rows = await db
    .selectFrom("stat_observations")
    .select(["source", "revision", "time_period", "measure", "breakdown"])
    .select(sql<string>`value::text`.as("v"))
    .where("source", "not in", HISTORICAL_SOURCES)
    .where("time_period", ">=", opts.from)
    .where("time_period", "<=", opts.to)
    .where("indicator", "=", "_T")
    .where("unit_measure", "=", "NR")
    .where("measure", "in", ["INCIDENTS", "VICTIMS"])
    .where("breakdown", "<>", "_T")
    .where("breakdown", "not like", "%;%")
    .execute();
  const latest = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.source}|${r.time_period}`;
    latest.set(k, Math.max(latest.get(k) ?? -1, r.revision));
  }
  const out = new Map<string, { b: Breakdown; cats: Map<string, number> }>();
  for (const r of rows) {
    if (latest.get(`${r.source}|${r.time_period}`) !== r.revision) continue;
    const [dimension = "", category = ""] = r.breakdown.split("=");
    if (!BREAKDOWN_DIMENSIONS.has(dimension)) continue;
    const k = `${r.measure}|${dimension}|${r.time_period}`;
    let e = out.get(k);
    if (!e) {
      e = {
        b: {
          measure: r.measure as Breakdown["measure"],
          dimension,
          year: r.time_period,
          categories: [],
          countries: [],
        },
        cats: new Map(),
      };
      out.set(k, e);
    }
    e.cats.set(category, (e.cats.get(category) ?? 0) + Number(r.v));
    if (!e.b.countries.includes(r.source)) e.b.countries.push(r.source);
  }
  return [...out.values()]
    .map(({ b, cats }) => ({
      ...b,
      countries: b.countries.sort(),
      categories: [...cats]
        .map(([category, count]) => ({ category, count }))
        .sort((x, y) => y.count - x.count),
    }))
    .sort(
      (a, b) =>
        a.year - b.year || a.measure.localeCompare(b.measure) || a.dimension.localeCompare(b.dimension),
    );
}

/** The latest accepted questionnaire of each State, as the legal-situation table gives it. */
export async function loadLegalSituation<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
): Promise<LegalSituation[]> {
  const db = statisticsKysely(database);
  const rows = await db
    .selectFrom("stat_received_returns")
    .select(["sender", "year", "revision", "questionnaire"])
    .where("status", "=", "accepted")
    .orderBy("sender")
    .orderBy("year", "desc")
    .orderBy("revision", "desc")
    .execute();
  const seen = new Set<string>();
  const out: LegalSituation[] = [];
  for (const r of rows) {
    if (seen.has(r.sender)) continue;
    seen.add(r.sender);
    const q = r.questionnaire as Record<string, unknown>;
    const max = typeof q.maxPenaltyYears === "number" ? q.maxPenaltyYears : null;
    out.push({
      country: r.sender,
      year: r.year,
      revision: r.revision,
      criminalised: String(q.criminalised ?? "unknown"),
      maxPenaltyYears: max,
      seriousCrime: isSeriousCrime({ maxPenaltyYears: max }),
      untocParty: String(q.untocParty ?? "unknown"),
      specialisedUnits: String(q.specialisedUnits ?? "unknown"),
      victimAssistance: String(q.victimAssistance ?? "unknown"),
      antiMoneyLaunderingRansom: String(q.antiMoneyLaunderingRansom ?? "unknown"),
    });
  }
  return out;
}

export const ATTRIBUTION: Record<string, string> = {
  "UNODC-CTS": "Source: UNODC, dataUNODC, Crime Trends Survey",
  EUROSTAT: "Source: Eurostat (crim_off_cat)",
};

/** Which source gives a country's headline figure, first to last; any other source comes between. */
export const DEFAULT_SOURCE_PRIORITY = ["UNODC-CTS", "*", "EUROSTAT"];

const UK_PARTS = ["GBR_E_W", "GBR_NI", "GBR_S"];

export const METHOD_NOTES = [
  "Counts are kidnapping offences (ICCS 020221) as recorded by the police and reported by each source, or incidents counted by the Ariadne counting rules in national returns; rates are per 100,000 inhabitants.",
  "One figure per country and year: the first source in the order UNODC Crime Trends Survey, national returns and other sources, Eurostat. The other sources are kept beside it, and where they differ by more than 0.5 % (and more than 0.5) the report lists the disagreement.",
  "No imputation: a country that did not report in a year is left out of that year's totals, medians and aggregates. Each regional and subregional aggregate states how many of its countries reported (coverage: reporting countries over those that reported at least once in the period).",
  "Median and interquartile range: over the countries reporting a rate that year, quantiles by linear interpolation between order statistics (type 7).",
  "Aggregate rate of a year, region or subregion: the sum of the counts over the sum of the populations, for the countries whose population can be derived from a count and a non-zero rate (population = count × 100,000 / rate); countries reporting zero cases have no derivable population and are counted in the totals but not in the aggregate rate.",
  "The United Kingdom is published in three parts (England and Wales, Northern Ireland, Scotland): it is counted as one country in a year when all three parts report (counts summed, rate from the summed counts and derived populations), and not counted in a year when a part is missing; the parts stay in the data as sub-national observations.",
  "Iraq is published for Central Iraq only (IRQ_C, without the Kurdistan Region): it is counted as Iraq, marked as partial territory, with the rate of the covered territory.",
  "A count that is not a whole number (an estimate in the source) is used as published and marked estimated; totals are rounded for display only.",
  "Regions and subregions are the UN M49 names the UNODC file gives for each country; a country no file places in a region is grouped under 'Unassigned'.",
];

const r2 = (x: number) => Math.round(x * 1000) / 1000;

/** Type-7 quantile of sorted values. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

interface Figure {
  count: number | null;
  rate: number | null;
  status: string;
  sourceDetail: string | null;
  name: string | null;
}

const sourceRank = (priority: readonly string[], source: string) => {
  const i = priority.indexOf(source);
  return i >= 0 ? i : Math.max(0, priority.indexOf("*"));
};

/** The report from the observations (pure). */
export function buildGlobalReport(
  rows: readonly ObservationRow[],
  opts: { from: number; to: number; sourcePriority?: readonly string[]; now?: Date },
): GlobalReport {
  const priority = opts.sourcePriority ?? DEFAULT_SOURCE_PRIORITY;
  const inPeriod = rows.filter((r) => r.year >= opts.from && r.year <= opts.to);
  // Latest revision per source, area, year and unit.
  const latest = new Map<string, ObservationRow>();
  for (const r of inPeriod) {
    const k = [r.source, r.refArea, r.year, r.unit].join("|");
    const prev = latest.get(k);
    if (!prev || r.revision > prev.revision) latest.set(k, r);
  }
  const regionOf = new Map<string, { region: string; subregion: string }>();
  for (const r of rows)
    if (r.region && r.subregion && !regionOf.has(r.country))
      regionOf.set(r.country, { region: r.region, subregion: r.subregion });

  // figures[source][refArea][year]
  const figures = new Map<string, Map<string, Map<number, Figure>>>();
  for (const r of latest.values()) {
    const bySource = figures.get(r.source) ?? new Map<string, Map<number, Figure>>();
    figures.set(r.source, bySource);
    const byArea = bySource.get(r.refArea) ?? new Map<number, Figure>();
    bySource.set(r.refArea, byArea);
    const f = byArea.get(r.year) ?? { count: null, rate: null, status: "A", sourceDetail: null, name: null };
    if (r.unit === "NR") {
      f.count = r.value;
      f.status = r.obsStatus;
    } else f.rate = r.value;
    f.sourceDetail = r.sourceDetail;
    f.name = r.areaName;
    byArea.set(r.year, f);
  }

  // Implied populations, from any source, for rates where a source gives only counts.
  const population = new Map<string, number>();
  for (const bySource of figures.values())
    for (const [area, byYear] of bySource)
      for (const [year, f] of byYear)
        if (f.count !== null && f.rate !== null && f.rate > 0 && !population.has(`${area}|${year}`))
          population.set(`${area}|${year}`, (f.count * 100_000) / f.rate);

  // Country-level figures per source: as given, composed of parts (GBR), or a partial territory (IRQ_C).
  type CountryFigure = CountryYear & { population: number | null; name: string };
  const countryFigures = new Map<string, Map<number, CountryFigure[]>>();
  const add = (country: string, f: CountryFigure) => {
    const byYear = countryFigures.get(country) ?? new Map<number, CountryFigure[]>();
    countryFigures.set(country, byYear);
    byYear.set(f.year, [...(byYear.get(f.year) ?? []), f]);
  };
  const popOf = (area: string, year: number, f: Figure) =>
    f.count !== null && f.rate !== null && f.rate > 0
      ? (f.count * 100_000) / f.rate
      : (population.get(`${area}|${year}`) ?? null);
  for (const [source, bySource] of figures) {
    const years = new Set<number>();
    for (const byYear of bySource.values()) for (const y of byYear.keys()) years.add(y);
    for (const [area, byYear] of bySource) {
      const sub = SUBNATIONAL[area];
      if (sub && (area !== "IRQ_C" || bySource.has(sub.country))) continue;
      for (const [year, f] of byYear) {
        if (f.count === null) continue;
        const pop = popOf(area, year, f);
        const rate = f.rate ?? (pop ? (f.count * 100_000) / pop : null);
        const country = sub ? sub.country : area;
        add(country, {
          year,
          count: f.count,
          rate,
          population: pop,
          source,
          sourceDetail: f.sourceDetail,
          status: f.status,
          name: sub ? "Iraq" : (f.name ?? area),
          note: sub
            ? "partial territory: Central Iraq (IRQ_C), without the Kurdistan Region"
            : f.status === "E"
              ? "estimated (non-integer count in the source)"
              : f.rate === null && rate !== null
                ? "rate from the population implied by another source"
                : rate === null
                  ? "no rate: no source gives the population for this year"
                  : null,
        });
      }
    }
    if (!bySource.has("GBR"))
      for (const year of years) {
        const parts = UK_PARTS.map((p) => bySource.get(p)?.get(year));
        if (parts.some((p) => !p || p.count === null)) continue;
        const counts = parts.map((p) => p?.count ?? 0);
        const pops = UK_PARTS.map((p, i) => popOf(p, year, parts[i] as Figure));
        const count = counts.reduce((a, b) => a + b, 0);
        const pop = pops.every((p) => p !== null) ? pops.reduce((a, b) => (a ?? 0) + (b ?? 0), 0) : null;
        add("GBR", {
          year,
          count,
          rate: pop ? (count * 100_000) / pop : null,
          population: pop,
          source,
          sourceDetail: parts.map((p) => p?.sourceDetail).find((d) => d) ?? null,
          status: parts.some((p) => p?.status === "E") ? "E" : "A",
          name: "United Kingdom",
          note: "sum of England and Wales, Northern Ireland and Scotland",
        });
      }
  }

  // The headline figure per country and year.
  const countries: (CountrySeries & { chosen: Map<number, CountryFigure> })[] = [];
  for (const [country, byYear] of [...countryFigures].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const chosen = new Map<number, CountryFigure>();
    for (const [year, list] of byYear) {
      const best = [...list].sort(
        (a, b) => sourceRank(priority, a.source) - sourceRank(priority, b.source),
      )[0];
      if (best) chosen.set(year, best);
    }
    const place = regionOf.get(country) ?? { region: "Unassigned", subregion: "Unassigned" };
    const any = [...chosen.values()][0];
    countries.push({
      area: country,
      name: any?.name ?? country,
      ...place,
      chosen,
      series: [...chosen.values()]
        .sort((a, b) => a.year - b.year)
        .map(({ population: _p, name: _n, ...y }) => ({ ...y, rate: y.rate === null ? null : r2(y.rate) })),
    });
  }

  const summarise = (members: typeof countries, year: number) => {
    const reporting = members.map((c) => c.chosen.get(year)).filter((f): f is CountryFigure => Boolean(f));
    const rates = reporting
      .map((f) => f.rate)
      .filter((r): r is number => r !== null)
      .sort((a, b) => a - b);
    const withPop = reporting.filter((f) => f.population !== null && f.population > 0);
    const pop = withPop.reduce((a, f) => a + (f.population ?? 0), 0);
    return {
      reporting: reporting.length,
      totalCount: r2(reporting.reduce((a, f) => a + f.count, 0)),
      rates,
      aggregateRate: pop > 0 ? r2((withPop.reduce((a, f) => a + f.count, 0) * 100_000) / pop) : null,
      inAggregate: withPop.length,
    };
  };
  const nullable = (x: number | null) => (x === null ? null : r2(x));
  const years: YearSummary[] = [];
  for (let year = opts.from; year <= opts.to; year++) {
    const s = summarise(countries, year);
    const q1 = quantile(s.rates, 0.25);
    const q3 = quantile(s.rates, 0.75);
    years.push({
      year,
      reportingCountries: s.reporting,
      totalCount: s.totalCount,
      medianRate: nullable(quantile(s.rates, 0.5)),
      q1Rate: nullable(q1),
      q3Rate: nullable(q3),
      iqrRate: q1 === null || q3 === null ? null : r2(q3 - q1),
      countriesWithRate: s.rates.length,
      aggregateRate: s.aggregateRate,
      countriesInAggregateRate: s.inAggregate,
    });
  }
  const aggregate = (key: "region" | "subregion"): AreaAggregate[] => {
    const groups = new Map<string, typeof countries>();
    for (const c of countries) groups.set(c[key], [...(groups.get(c[key]) ?? []), c]);
    return [...groups]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, members]) => {
        const out: AreaAggregateYear[] = [];
        for (let year = opts.from; year <= opts.to; year++) {
          const s = summarise(members, year);
          out.push({
            year,
            reporting: s.reporting,
            expected: members.length,
            coverage: r2(s.reporting / members.length),
            totalCount: s.totalCount,
            medianRate: nullable(quantile(s.rates, 0.5)),
            aggregateRate: s.aggregateRate,
          });
        }
        return {
          name,
          ...(key === "subregion" ? { region: members[0]?.region ?? "Unassigned" } : {}),
          countries: members.map((m) => m.area),
          years: out,
        };
      });
  };

  const disagreements: Disagreement[] = [];
  const byKey = new Map<string, { source: string; value: number }[]>();
  for (const r of latest.values()) {
    const k = [r.refArea, r.year, r.unit].join("|");
    byKey.set(k, [...(byKey.get(k) ?? []), { source: r.source, value: r.value }]);
  }
  for (const [k, values] of byKey) {
    if (new Set(values.map((v) => v.source)).size < 2) continue;
    const nums = values.map((v) => v.value);
    const max = Math.max(...nums);
    const min = Math.min(...nums);
    if (max - min > Math.max(0.5, 0.005 * max)) {
      const [area, year, unit] = k.split("|");
      disagreements.push({
        area: area ?? "",
        year: Number(year),
        unit: unit as "NR" | "P_HTHAB",
        values: values.sort((a, b) => (a.source < b.source ? -1 : 1)),
        relativeDifference: r2((max - min) / max),
      });
    }
  }
  disagreements.sort((a, b) => (a.area === b.area ? a.year - b.year : a.area < b.area ? -1 : 1));

  const sourceCounts = new Map<string, number>();
  for (const r of latest.values()) sourceCounts.set(r.source, (sourceCounts.get(r.source) ?? 0) + 1);
  return {
    period: { from: opts.from, to: opts.to },
    generatedAt: (opts.now ?? new Date()).toISOString(),
    years,
    countries: countries.map(({ chosen: _c, ...c }) => c),
    regions: aggregate("region"),
    subregions: aggregate("subregion"),
    disagreements,
    sources: [...sourceCounts]
      .sort(([a], [b]) => sourceRank(priority, a) - sourceRank(priority, b))
      .map(([source, observations]) => ({
        source,
        observations,
        attribution: ATTRIBUTION[source] ?? `Source: ${source}`,
      })),
    method: METHOD_NOTES,
  };
}

/** The observations a global report needs: kidnapping (ICCS 020221), totals, counts and rates. */
export async function loadReportObservations<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
  opts: { from: number; to: number },
): Promise<ObservationRow[]> {
  const db = statisticsKysely(database);
  const rows = await db
    .selectFrom("stat_observations")
    .select([
      "source",
      "source_detail",
      "submission_id",
      "revision",
      "ref_area",
      "country",
      "area_level",
      "area_name",
      "region",
      "subregion",
      "time_period",
      "measure",
      "unit_measure",
      "obs_status",
    ])
    .select(sql<string>`value::text`.as("v"))
    .where("indicator", "=", "ICCS020221")
    .where("breakdown", "=", "_T")
    .where("measure", "in", ["OFFENCES", "INCIDENTS"])
    .where("unit_measure", "in", ["NR", "P_HTHAB"])
    .where((eb) =>
      eb.or([
        eb.and([eb("time_period", ">=", opts.from), eb("time_period", "<=", opts.to)]),
        eb("region", "is not", null),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    source: r.source,
    sourceDetail: r.source_detail,
    submissionId: r.submission_id,
    revision: r.revision,
    refArea: r.ref_area,
    country: r.country,
    areaLevel: r.area_level,
    areaName: r.area_name,
    region: r.region,
    subregion: r.subregion,
    year: r.time_period,
    measure: r.measure,
    unit: r.unit_measure as "NR" | "P_HTHAB",
    value: Number(r.v),
    obsStatus: r.obs_status,
  }));
}

export async function globalReport<DB extends StatisticsTables>(
  db: StatisticsDb<DB>,
  opts: { from: number; to: number; sourcePriority?: readonly string[] },
): Promise<GlobalReport> {
  const report = buildGlobalReport(await loadReportObservations(db, opts), opts);
  report.breakdowns = await loadBreakdowns(db, opts);
  report.legal = await loadLegalSituation(db);
  return report;
}
