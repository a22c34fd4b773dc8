/**
 * The six interface languages carry the same keys as English, no empty text,
 * and the same {{placeholders}} per key (a missing one would show raw or lose data).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIT_EVENTS } from "../../src/domain/audit-events.ts";
import { PERMISSIONS } from "../../src/domain/roles.ts";

const LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"] as const;

type Tree = { [key: string]: string | Tree };

function load(lang: string): Tree {
  const url = new URL(`../../web/src/i18n/${lang}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Tree;
}

/** Every leaf as `dotted.key → value`; non-string leaves are kept as-is so the test can reject them. */
function flatten(tree: Tree, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? "").sort();
}

const catalogues = new Map(LANGUAGES.map((lang) => [lang, flatten(load(lang))]));
const english = catalogues.get("en") ?? new Map<string, unknown>();
const englishKeys = [...english.keys()].sort();

describe("interface translations", () => {
  it("English has a reasonable catalogue", () => {
    expect(englishKeys.length).toBeGreaterThan(100);
  });

  it("every audit event and every permission has a label (the other languages follow English)", () => {
    for (const event of AUDIT_EVENTS)
      expect(english.get(`events.${event}`), event).toEqual(expect.any(String));
    for (const p of PERMISSIONS) expect(english.get(`permissions.${p}`), p).toEqual(expect.any(String));
  });

  for (const lang of LANGUAGES) {
    const catalogue = catalogues.get(lang) ?? new Map<string, unknown>();

    it(`${lang}: has exactly the keys of English`, () => {
      expect([...catalogue.keys()].sort()).toEqual(englishKeys);
    });

    it(`${lang}: has no empty or non-text values`, () => {
      const bad = [...catalogue.entries()]
        .filter(([, v]) => typeof v !== "string" || v.trim() === "")
        .map(([k]) => k);
      expect(bad).toEqual([]);
    });

    it(`${lang}: uses the same {{placeholders}} as English in every text`, () => {
      const mismatched: string[] = [];
      for (const key of englishKeys) {
        const en = english.get(key);
        const tr = catalogue.get(key);
        if (typeof en !== "string" || typeof tr !== "string") continue;
        if (placeholders(en).join(",") !== placeholders(tr).join(",")) mismatched.push(key);
      }
      expect(mismatched).toEqual([]);
    });
  }
});

describe("bidirectional isolation of interpolated text", () => {
  const sentence = "Case {{title}} closed by {{who}} ({{count}} entries)";
  async function translator(lng: "en" | "ar") {
    const { createInstance } = await import("i18next");
    const { isolatingInterpolation } = await import("../../web/src/i18n/isolate.ts");
    const i18n = createInstance();
    await i18n.init({
      lng,
      initAsync: false,
      interpolation: isolatingInterpolation(() => (i18n.language === "ar" ? "rtl" : "ltr")),
      resources: { en: { translation: { closed: sentence } }, ar: { translation: { closed: sentence } } },
    });
    return i18n;
  }

  it("isolates a value that holds right-to-left text or a bidi control, so it cannot reorder its sentence", async () => {
    const { FSI, PDI } = await import("../../web/src/i18n/isolate.ts");
    const en = await translator("en");
    // A title that starts with an override would otherwise flip "closed by …" on screen: the
    // override is dropped, the rest isolated.
    const title = "\u202etxt.exe";
    expect(en.t("closed", { title, who: "محمد", count: 3 })).toBe(
      `Case ${FSI}txt.exe${PDI} closed by ${FSI}محمد${PDI} (3 entries)`,
    );
    // A left-to-right value in a left-to-right sentence cannot reorder anything: left as typed.
    expect(en.t("closed", { title: "COL-2026-0001", who: "Ana", count: 1 })).toBe(
      "Case COL-2026-0001 closed by Ana (1 entries)",
    );
    // A value cannot close the isolate early and override what follows it.
    expect(en.t("closed", { title: "x\u2069\u202eevil", who: "Ana", count: 1 })).toBe(
      `Case ${FSI}xevil${PDI} closed by Ana (1 entries)`,
    );
    // React escapes markup itself: a value is shown as typed, not HTML-escaped twice.
    expect(en.t("closed", { title: "<b>&</b>", who: "x", count: 1 })).toContain("<b>&</b>");
  });

  it("isolates every string in a right-to-left interface, where Latin text and digits are reordered too", async () => {
    const { FSI, PDI } = await import("../../web/src/i18n/isolate.ts");
    const ar = await translator("ar");
    expect(ar.t("closed", { title: "COL-2026-0001", who: "Ana", count: 2 })).toBe(
      `Case ${FSI}COL-2026-0001${PDI} closed by ${FSI}Ana${PDI} (2 entries)`,
    );
  });
});
