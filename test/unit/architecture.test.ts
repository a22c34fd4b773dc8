/**
 * The layout's import rules (.dependency-cruiser.mjs), checked over src/ and
 * web/src/ with dependency-cruiser's JS API: each layer imports only what it
 * may (type-only imports included), and no import circle runs through src/.
 * `npm run lint:imports` reports the same.
 */
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Cruising about 270 modules takes a few seconds; much more on a busy machine. */
const TIMEOUT = 180_000;

let result: ICruiseResult;

beforeAll(async () => {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.mjs`);
  const tsConfig = extractTSConfig(`${ROOT}tsconfig.json`);
  const { output } = await cruise(
    ["src", "web/src"],
    {
      ...options,
      baseDir: ROOT,
      tsConfig: { fileName: `${ROOT}tsconfig.json` },
      // The circles are looked for whatever the rules say (the last test does not rely on no-circular).
      skipAnalysisNotInRules: false,
    },
    undefined,
    { tsConfig },
  );
  if (typeof output === "string") throw new Error(`dependency-cruiser: ${output}`);
  result = output;
}, TIMEOUT);

const isTypeOnly = (types: readonly string[] | undefined) =>
  types?.some((t) => t === "type-only" || t === "type-import") ?? false;

/**
 * A circle as `a → b ⇢ c → a` (⇢: a type-only import), from its alphabetically first module so
 * that each circle is named once whichever of its imports reports it.
 */
function circle(from: string, cycle: { name: string; dependencyTypes: readonly string[] }[]): string {
  const modules = [from, ...cycle.map((c) => c.name)].slice(0, -1);
  const start = modules.indexOf([...modules].sort()[0] ?? from);
  let out = "";
  for (let i = 0; i < modules.length; i++) {
    const k = (start + i) % modules.length;
    out += `${modules[k]} ${isTypeOnly(cycle[k]?.dependencyTypes) ? "⇢" : "→"} `;
  }
  return out + modules[start];
}

describe("the import rules of the layout (.dependency-cruiser.mjs)", () => {
  it("finds the modules (tsconfig, .ts extensions, type-only imports)", () => {
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    const deps = result.modules.flatMap((m) => m.dependencies);
    expect(
      deps.some((d) => d.resolved.startsWith("src/domain/") && d.dependencyTypes.includes("type-only")),
    ).toBe(true);
  });

  it("every import follows the rules of its layer", () => {
    const broken = result.summary.violations
      .filter((v) => v.rule.name !== "no-circular")
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}${isTypeOnly(v.dependencyTypes) ? " (type-only)" : ""}`)
      .sort();
    expect(broken, `${broken.length} import(s) break the rules:\n  ${broken.join("\n  ")}\n`).toEqual([]);
  });

  it("no import circle runs through src/ (type-only imports included)", () => {
    const circles = new Set<string>();
    for (const m of result.modules)
      for (const d of m.dependencies)
        if (m.source.startsWith("src/") && d.circular && d.cycle) circles.add(circle(m.source, d.cycle));
    const named = [...circles].sort();
    expect(
      named,
      `${named.length} import circle(s) in src/ (⇢: a type-only import):\n  ${named.join("\n  ")}\n`,
    ).toEqual([]);
  });
});
