/**
 * Bidirectional isolation of interpolated values. A name, a title or a reference typed by a user
 * (or sent by a partner node) can hold right-to-left text, or be Latin text inside an Arabic
 * sentence; dropped into a translated sentence as it is, it takes part in the sentence's bidi
 * ordering and can reorder its neighbours ("Case {{title}} closed" with an Arabic title or a
 * trailing number). Every string value interpolated into a translation is therefore wrapped in
 * U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, the plain-text equivalent of
 * `<bdi>`: it takes its own direction from its first strong character and cannot affect the
 * text around it. Elements that show such values on their own carry `dir="auto"` or are `<bdi>`.
 */
import type { InterpolationOptions } from "i18next";

export const FSI = "\u2068";
export const PDI = "\u2069";

/**
 * Characters that can reorder text: right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko,
 * Samaritan, Mandaic and their presentation forms, the historic RTL scripts) and the explicit
 * bidirectional marks, embeddings, overrides and isolates.
 */
const BIDI_ACTIVE =
  /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Explicit embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Wrap a string in a first-strong isolate. In a right-to-left interface every string is wrapped
 * (a Latin name or a reference with digits is itself reordered by an Arabic sentence); in a
 * left-to-right one, whose sentences hold no right-to-left letter, only a value that holds one or
 * holds a bidi control can reorder anything, so only such a value is wrapped and the rest is left
 * exactly as typed. Numbers and other values are left to their formatter.
 */
export function isolate(value: unknown, direction: "ltr" | "rtl"): string {
  if (typeof value !== "string") return String(value);
  if (value === "" || (direction === "ltr" && !BIDI_ACTIVE.test(value))) return value;
  // Embeddings, overrides and isolates inside the value go first: a PDI in it would close the
  // isolate early, an override after it would then reorder the rest of the sentence.
  return `${FSI}${value.replace(BIDI_CONTROLS, "")}${PDI}`;
}

/**
 * i18next's interpolation for the web app, given the direction of the interface language at the
 * moment of translation. React escapes HTML itself, so the escape hook only isolates (it receives
 * the raw value, not a string made of it).
 */
export function isolatingInterpolation(direction: () => "ltr" | "rtl"): InterpolationOptions {
  return {
    escapeValue: true,
    useRawValueToEscape: true,
    escape: (value: unknown) => isolate(value, direction()),
  };
}
