/**
 * A person as matching sees it, and its features: what the Bloom-filter encoding hashes and what
 * clear-text comparison compares. Shared by private and clear modes so both handle names alike.
 */
import { nameTokenSet, skeleton } from "./names.ts";

export interface PersonRecord {
  /** Given name(s), surname(s), or the full name in one string; any script. */
  given?: string | undefined;
  surname?: string | undefined;
  name?: string | undefined;
  /** Date of birth: YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY, or a year alone. */
  dob?: string | undefined;
  sex?: string | undefined;
  /** Place of birth (free text). */
  pob?: string | undefined;
  /** Further fields compared as text (FEBRL's address, postcode…), by field name. */
  extra?: Record<string, string | undefined> | undefined;
}

export interface BirthDate {
  y?: string;
  m?: string;
  d?: string;
}

/** A date of birth in the usual spellings; unknown parts stay undefined. */
export function parseDob(raw: string | undefined): BirthDate {
  const text = (raw ?? "").trim();
  if (!text) return {};
  let m = /^(\d{4})[-./]?(\d{1,2})[-./]?(\d{1,2})$/.exec(text);
  if (m && (m[1]?.startsWith("1") || m[1]?.startsWith("2")) && text.replace(/\D/g, "").length >= 6) {
    // Year, day, month (1984-21-03) when the middle part cannot be a month.
    if (Number(m[2]) > 12 && Number(m[3]) <= 12) return clean({ y: m[1], m: m[3], d: m[2] });
    return clean({ y: m[1], m: m[2], d: m[3] });
  }
  m = /^(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})$/.exec(text);
  if (m) {
    // Day first unless it cannot be (13/…): the common order outside North America.
    const a = Number(m[1]);
    const b = Number(m[2]);
    return a <= 12 && b > 12 ? clean({ y: m[3], m: m[1], d: m[2] }) : clean({ y: m[3], m: m[2], d: m[1] });
  }
  m = /^(\d{4})$/.exec(text);
  if (m) return { y: m[1] as string };
  return {};
}

function clean(d: { y?: string | undefined; m?: string | undefined; d?: string | undefined }): BirthDate {
  const out: BirthDate = {};
  if (d.y && /^\d{4}$/.test(d.y)) out.y = d.y;
  const mo = Number(d.m);
  if (mo >= 1 && mo <= 12) out.m = String(mo).padStart(2, "0");
  const da = Number(d.d);
  if (da >= 1 && da <= 31) out.d = String(da).padStart(2, "0");
  return out;
}

/** `m`, `f`, `x`, or undefined, from the spellings found in records in several languages. */
export function parseSex(raw: string | undefined): string | undefined {
  const t = (raw ?? "").trim().toLowerCase();
  if (!t) return undefined;
  if (/^(m|male|man|masculin[oe]?|h|hombre|homme|м|муж.*|ذكر|男)$/.test(t)) return "m";
  if (/^(f|female|woman|femenin[oa]|feminin[e]?|mujer|femme|ж|жен.*|أنثى|女)$/.test(t)) return "f";
  if (/^(x|other|otro|autre|nb|non-binary)$/.test(t)) return "x";
  return undefined;
}

export interface PersonFeatures {
  /** The name as a set of Latin tokens (particles dropped, order-free). */
  tokens: string[];
  /** Each token's consonant skeleton. */
  skeletons: string[];
  dob: BirthDate;
  sex: string | undefined;
  pob: string[];
  extra: [string, string][];
}

export function normaliseText(value: string | undefined): string {
  return nameTokenSet(value).join(" ");
}

export function personFeatures(p: PersonRecord): PersonFeatures {
  const tokens = nameTokenSet(p.given, p.surname, p.name);
  return {
    tokens,
    skeletons: [...new Set(tokens.map(skeleton))].sort(),
    dob: parseDob(p.dob),
    sex: parseSex(p.sex),
    pob: nameTokenSet(p.pob),
    extra: Object.entries(p.extra ?? {})
      .map(([k, v]): [string, string] => [k, (v ?? "").toLowerCase().replace(/\s+/g, " ").trim()])
      .filter(([, v]) => v !== ""),
  };
}

/** Padded bigrams of each token (`_jo`, `jo`… `n_`): a set, so token order does not matter. */
export function bigrams(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tokens) {
    const s = `_${t}_`;
    for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  }
  return [...out];
}

/**
 * Blocking keys (strings; private mode keys them with HMAC): the full date of birth; each of
 * the first name tokens' skeletons with the year of birth; each pair of the first three tokens'
 * skeletons. Two records that share any key are compared. Robust to one wrong date part
 * (name pairs), to typos in one name token (the other tokens), to swapped names (order-free);
 * further fields add one key per value of five characters or more (exact).
 */
export function blockingKeys(f: PersonFeatures): string[] {
  const keys: string[] = [];
  const { y, m, d } = f.dob;
  if (y && m && d) keys.push(`dob:${y}${m}${d}`);
  const sk = f.skeletons.slice(0, 4);
  if (y) for (const s of sk) keys.push(`ys:${y}:${s}`);
  for (let i = 0; i < Math.min(3, sk.length); i++)
    for (let j = i + 1; j < Math.min(3, sk.length); j++) keys.push(`ss:${sk[i]}:${sk[j]}`);
  // Further fields (an address, a document number): each value of five characters or more.
  for (const [name, value] of f.extra) if (value.length >= 5) keys.push(`x:${name}:${value}`);
  return keys;
}
