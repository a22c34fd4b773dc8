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

/** Wrap a string in a first-strong isolate; numbers and other values are left to their formatter. */
export function isolate(value: unknown): string {
  if (typeof value === "string") return value === "" ? value : `${FSI}${value}${PDI}`;
  return String(value);
}

/**
 * i18next's interpolation for the web app. React escapes HTML itself, so the escape hook only
 * isolates (it receives the raw value: numbers are not wrapped, strings are).
 */
export const interpolation: InterpolationOptions = {
  escapeValue: true,
  useRawValueToEscape: true,
  escape: isolate,
};
