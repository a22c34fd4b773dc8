/**
 * The world choropleth of the global report: each country's rate per 100,000 in
 * a year, on an Equal Earth projection of Natural Earth's 1:110m countries
 * (world-atlas, public domain), projected with d3-geo into SVG path data that
 * the web page and the PDF both draw. Countries are matched by ISO 3166-1
 * numeric code (i18n-iso-countries gives the alpha-3 code).
 */
import { createRequire } from "node:module";
import { type GeoPermissibleObjects, geoEqualEarth, geoPath } from "d3-geo";
import countries from "i18n-iso-countries";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { GlobalReport } from "./report.ts";

const require = createRequire(import.meta.url);

/** Fill colours of the classes, light to dark (ColorBrewer Reds, safe for colour-blind readers), and for no data. */
export const CLASS_COLOURS = ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"] as const;
export const NO_DATA_COLOUR = "#e4e4e4";

/** Class breaks of the rate per 100,000 (the legend): below 0.5, 0.5–1, 1–2, 2–5, 5–10, 10 and more. */
export const RATE_BREAKS = [0.5, 1, 2, 5, 10] as const;

/** The class of a rate: 0 … RATE_BREAKS.length, or null when there is none. */
export function rateClass(rate: number | null | undefined): number | null {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return null;
  const i = RATE_BREAKS.findIndex((b) => rate < b);
  return i === -1 ? RATE_BREAKS.length : i;
}

export interface MapArea {
  /** ISO 3166-1 alpha-3, or "" for a territory without one (a disputed area). */
  area: string;
  name: string;
  /** SVG path data in the map's coordinates. */
  d: string;
  rate: number | null;
  rateClass: number | null;
}

export interface WorldMap {
  year: number;
  width: number;
  height: number;
  breaks: number[];
  areas: MapArea[];
}

type Shape = { area: string; name: string; d: string };
const shapes = new Map<string, Shape[]>();

/** The countries' outlines projected for a size (the same for every report: computed once). */
function outlines(width: number, height: number): Shape[] {
  const key = `${width}x${height}`;
  const known = shapes.get(key);
  if (known) return known;
  const topology = require("world-atlas/countries-110m.json") as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const collection = feature(topology, topology.objects.countries);
  const projection = geoEqualEarth().fitSize([width, height], collection as GeoPermissibleObjects);
  const path = geoPath(projection).digits(1);
  const out = collection.features.flatMap((f) => {
    const d = path(f as GeoPermissibleObjects);
    if (!d) return [];
    const numeric = typeof f.id === "string" || typeof f.id === "number" ? String(f.id).padStart(3, "0") : "";
    const name = f.properties?.name ?? "";
    // Natural Earth gives Kosovo no ISO code; UNODC reports it as XKX (UNSCR 1244).
    const area = (numeric && countries.numericToAlpha3(numeric)) || (name === "Kosovo" ? "XKX" : "");
    return [{ area, name, d }];
  });
  shapes.set(key, out);
  return out;
}

/** The map of the report's last year: each country's rate, from the figure the report chose for it. */
export function worldMap(report: GlobalReport, opts: { width?: number; height?: number } = {}): WorldMap {
  const width = opts.width ?? 960;
  const height = opts.height ?? Math.round(width * 0.487);
  const year = report.period.to;
  const rates = new Map<string, number | null>();
  for (const c of report.countries) {
    const y = c.series.find((s) => s.year === year);
    if (y) rates.set(c.area, y.rate);
  }
  return {
    year,
    width,
    height,
    breaks: [...RATE_BREAKS],
    areas: outlines(width, height).map((s) => {
      const rate = rates.get(s.area) ?? null;
      return { ...s, rate, rateClass: rateClass(rate) };
    }),
  };
}
