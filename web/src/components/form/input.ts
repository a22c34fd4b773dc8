/** What a user typed, read the way the forms need it: optional text, lists, whole numbers. */

/** Trimmed text, or undefined when empty (optional fields are left out of the body). */
export function opt(text: string): string | undefined {
  const v = text.trim();
  return v ? v : undefined;
}

/** "COL, ven; BRA" → ["COL", "VEN", "BRA"]: country codes typed as a list. */
export function codeList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** "El Patrón, Los del Norte" → two items: names may hold spaces, so only commas and semicolons split. */
export function textList(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One item per line (indicators, accounts, phones). */
export function lines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A whole number typed in Western or Arabic-Indic digits; null when empty, NaN when not a whole number. */
export function wholeNumber(text: string): number | null {
  const ascii = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  if (ascii === "") return null;
  return /^\d{1,9}$/.test(ascii) ? Number(ascii) : Number.NaN;
}
