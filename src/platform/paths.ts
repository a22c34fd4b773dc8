/**
 * Where the repository is, wherever the running code sits: `src/…` under tsx, or a chunk of the
 * compiled program under `dist/node/…`. Files that belong to the repository (reference data, the
 * built web app, generated sources) are found from here, never relative to the importing module.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "ariadne") return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json named "ariadne" above ${from}`);
  }
}

/** The repository's root: the nearest folder above this file holding Ariadne's package.json. */
export const REPO_ROOT = findRoot(import.meta.dirname);

/** A path inside the repository, e.g. `fromRoot("reference-data", "febrl")`. */
export function fromRoot(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
