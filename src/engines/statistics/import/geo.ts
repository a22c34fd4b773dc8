/**
 * Reference areas: ISO 3166-1 alpha-3 for States, and the sub-national units
 * the sources publish apart. A sub-national unit keeps its own code
 * (`GBR_E_W`) and names its State (`GBR`); the global report decides how it
 * counts (see report.ts).
 */
import countries from "i18n-iso-countries";

/** Codes that are not ISO 3166-1 but that UN statistics use. */
const NON_ISO: Record<string, string> = { XKX: "Kosovo under UNSCR 1244" };

/** Sub-national units that sources publish instead of their State. */
export const SUBNATIONAL: Record<string, { country: string; name: string }> = {
  GBR_E_W: { country: "GBR", name: "United Kingdom (England and Wales)" },
  GBR_NI: { country: "GBR", name: "United Kingdom (Northern Ireland)" },
  GBR_S: { country: "GBR", name: "United Kingdom (Scotland)" },
  IRQ_C: { country: "IRQ", name: "Iraq (Central Iraq)" },
};

export interface Area {
  refArea: string;
  country: string;
  level: "country" | "subnational";
  name: string | null;
}

/** An alpha-3 code or a known sub-national unit, else null. */
export function areaFromAlpha3(code: string): Area | null {
  const c = code.trim().toUpperCase();
  const sub = SUBNATIONAL[c];
  if (sub) return { refArea: c, country: sub.country, level: "subnational", name: sub.name };
  if (NON_ISO[c]) return { refArea: c, country: c, level: "country", name: NON_ISO[c] ?? null };
  if (/^[A-Z]{3}$/.test(c) && countries.isValid(c))
    return { refArea: c, country: c, level: "country", name: countries.getName(c, "en") ?? null };
  return null;
}

/** Eurostat's geo codes: ISO alpha-2 except EL (Greece), UK, XK (Kosovo); NUTS 1 for the parts of the UK. */
const EUROSTAT_GEO: Record<string, string> = {
  EL: "GRC",
  UK: "GBR",
  XK: "XKX",
  "UKC-L": "GBR_E_W",
  UKM: "GBR_S",
  UKN: "GBR_NI",
};

export function areaFromEurostat(geo: string): Area | { error: string } {
  const g = geo.trim().toUpperCase();
  const mapped = EUROSTAT_GEO[g];
  if (mapped) return areaFromAlpha3(mapped) ?? { error: `geo ${geo} could not be mapped` };
  if (/^(EU|EA|EFTA)/.test(g)) return { error: `geo ${geo} is an aggregate of countries, not a country` };
  if (/^[A-Z]{2}$/.test(g)) {
    const a3 = countries.alpha2ToAlpha3(g);
    const area = a3 ? areaFromAlpha3(a3) : null;
    return area ?? { error: `geo ${geo} is not an ISO 3166-1 alpha-2 code` };
  }
  return {
    error: `geo ${geo} is a region below the country that is not mapped (only the parts of the UK are)`,
  };
}
