/**
 * Clear-text matching inside one node (the same person across cases): the names handled as in
 * the private encodings (names.ts: transliteration, particles, order-free token sets), compared
 * with Jaro–Winkler (@skyra/jaro-winkler) and Double Metaphone (double-metaphone), and combined
 * in a Fellegi–Sunter score.
 *
 * Fellegi–Sunter: each field f has m_f = P(agree | same person) and u_f = P(agree | different
 * people). Agreement adds log2(m/u), disagreement log2((1−m)/(1−u)); a similarity s between the
 * two interpolates between them above the field's floor (Winkler's partial agreement). u is
 * estimated from the data (random pairs), m is set per field (below), the prior is left out.
 * The score is the total weight rescaled to [0, 1] over the fields either record has
 * (0: every such field disagrees, 1: every one agrees; a field one record lacks weighs 0).
 */
import { jaroWinkler } from "@skyra/jaro-winkler";
import { doubleMetaphone } from "double-metaphone";
import { type PersonFeatures, type PersonRecord, personFeatures } from "./person.ts";

export interface ClearRecord {
  features: PersonFeatures;
  /** Double Metaphone codes of each name token. */
  phonetic: [string, string][];
}

export function clearRecord(p: PersonRecord): ClearRecord {
  const features = personFeatures(p);
  return { features, phonetic: features.tokens.map((t) => doubleMetaphone(t)) };
}

function tokenSim(a: string, b: string, pa: [string, string], pb: [string, string]): number {
  if (a === b) return 1;
  let s = jaroWinkler(a, b);
  const phon = pa[0] === pb[0] || pa[0] === pb[1] || pa[1] === pb[0];
  if (phon) s = Math.max(s, 0.92);
  // An initial against a full name.
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) s = Math.max(s, 0.85);
  return s;
}

/**
 * Name similarity of two token sets, order-free: each token of the shorter name takes its best
 * match in the other (Jaro–Winkler, raised to 0.92 when the Double Metaphone codes agree), the
 * mean of those, lowered a little for tokens the other name lacks (a missing second surname).
 * A given name and surname written as one token (`mariajose`) are also tried against the join.
 */
export function nameSimilarity(a: ClearRecord, b: ClearRecord): number | undefined {
  const ta = a.features.tokens;
  const tb = b.features.tokens;
  if (!ta.length || !tb.length) return undefined;
  const [xs, ys, px, py] =
    ta.length <= tb.length ? [ta, tb, a.phonetic, b.phonetic] : [tb, ta, b.phonetic, a.phonetic];
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    let best = 0;
    for (let j = 0; j < ys.length; j++) {
      const s = tokenSim(
        xs[i] as string,
        ys[j] as string,
        px[i] as [string, string],
        py[j] as [string, string],
      );
      if (s > best) best = s;
    }
    sum += best;
  }
  const mean = sum / xs.length;
  const joined = jaroWinkler(xs.join(""), ys.join(""));
  return Math.max(mean * (0.9 + (0.1 * xs.length) / ys.length), joined * 0.95);
}

/** Date-of-birth similarity: 1 equal; 0.8 day and month swapped; 0.6 one part differs; 0.2 two. */
export function dobSimilarity(a: ClearRecord, b: ClearRecord): number | undefined {
  const x = a.features.dob;
  const y = b.features.dob;
  if (!x.y || !y.y) return undefined;
  if (!x.m || !x.d || !y.m || !y.d) return x.y === y.y ? 0.7 : 0;
  const agree = Number(x.y === y.y) + Number(x.m === y.m) + Number(x.d === y.d);
  if (agree === 3) return 1;
  if (x.y === y.y && x.m === y.d && x.d === y.m) return 0.8;
  if (agree === 2) {
    // The differing part off by one typed digit (1968 / 1986 / 1962) is the usual case.
    return 0.6;
  }
  return agree === 1 ? 0.2 : 0;
}

function textSimilarity(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b) return undefined;
  if (a === b) return 1;
  return jaroWinkler(a, b);
}

export interface FieldModel {
  /** P(agree | match). */
  m: number;
  /** P(agree | non-match); estimated from the data when possible. */
  u: number;
  /** Similarity at or below which the field counts as disagreeing. */
  floor: number;
}

export interface ClearModel {
  fields: Record<string, FieldModel>;
}

const EXTRA_FIELD: FieldModel = { m: 0.9, u: 0.01, floor: 0.75 };

const DEFAULT_FIELD: Record<string, FieldModel> = {
  name: { m: 0.95, u: 0.001, floor: 0.7 },
  dob: { m: 0.95, u: 0.0005, floor: 0.1 },
  sex: { m: 0.98, u: 0.5, floor: 0.5 },
  pob: { m: 0.9, u: 0.01, floor: 0.7 },
  extra: EXTRA_FIELD,
};

/**
 * Similarity per field of two records: a number when both have the field, undefined when one
 * lacks it; a field neither has is left out.
 */
export function fieldSimilarities(a: ClearRecord, b: ClearRecord): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  const put = (field: string, hasA: boolean, hasB: boolean, sim: () => number | undefined) => {
    if (hasA || hasB) out.set(field, hasA && hasB ? sim() : undefined);
  };
  const fa = a.features;
  const fb = b.features;
  put("name", fa.tokens.length > 0, fb.tokens.length > 0, () => nameSimilarity(a, b));
  put("dob", !!fa.dob.y, !!fb.dob.y, () => dobSimilarity(a, b));
  put("sex", !!fa.sex, !!fb.sex, () => Number(fa.sex === fb.sex));
  put("pob", fa.pob.length > 0, fb.pob.length > 0, () => textSimilarity(fa.pob.join(" "), fb.pob.join(" ")));
  const ea = new Map(fa.extra);
  const eb = new Map(fb.extra);
  for (const k of new Set([...ea.keys(), ...eb.keys()]))
    put(`extra:${k}`, ea.has(k), eb.has(k), () => textSimilarity(ea.get(k), eb.get(k)));
  return out;
}

function model(m: ClearModel | undefined, field: string): FieldModel {
  return m?.fields[field] ?? DEFAULT_FIELD[field.startsWith("extra:") ? "extra" : field] ?? EXTRA_FIELD;
}

/**
 * Estimate u for each field from random pairs of the records (the share that agree, i.e. score
 * above 0.9), with add-one smoothing; m stays at its default.
 */
export function estimateModel(
  records: ClearRecord[],
  others: ClearRecord[],
  pairs = 4000,
  seed = 1,
): ClearModel {
  const agree = new Map<string, number>();
  const seen = new Map<string, number>();
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  if (!records.length || !others.length) return { fields: {} };
  for (let i = 0; i < pairs; i++) {
    const a = records[Math.floor(rnd() * records.length)] as ClearRecord;
    const b = others[Math.floor(rnd() * others.length)] as ClearRecord;
    for (const [f, sim] of fieldSimilarities(a, b)) {
      if (sim === undefined) continue;
      seen.set(f, (seen.get(f) ?? 0) + 1);
      if (sim >= 0.9) agree.set(f, (agree.get(f) ?? 0) + 1);
    }
  }
  const fields: Record<string, FieldModel> = {};
  for (const [f, n] of seen) {
    const base = model(undefined, f);
    const u = Math.min(0.5, Math.max(1e-4, ((agree.get(f) ?? 0) + 1) / (n + 2)));
    fields[f] = { ...base, u: f === "sex" ? base.u : u };
  }
  return { fields };
}

/** The Fellegi–Sunter score of two records in [0, 1] (see the module comment). */
export function clearScore(a: ClearRecord, b: ClearRecord, m?: ClearModel): number {
  let w = 0;
  let lo = 0;
  let hi = 0;
  for (const [f, sim] of fieldSimilarities(a, b)) {
    const { m: pm, u, floor } = model(m, f);
    const wa = Math.log2(pm / u);
    const wd = Math.log2((1 - pm) / (1 - u));
    lo += wd;
    hi += wa;
    if (sim === undefined) continue;
    const t = sim <= floor ? 0 : (sim - floor) / (1 - floor);
    w += wd + (wa - wd) * t;
  }
  return hi > lo ? (w - lo) / (hi - lo) : 0;
}
