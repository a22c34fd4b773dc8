/**
 * The import rules of Ariadne's layout: what each layer of `src/` and the web app may import.
 * Checked by `npm run lint:imports` (and so `npm run lint`) and by test/unit/architecture.test.ts.
 * Type-only imports count like the others.
 *
 *   domain        → domain (and npm packages; no Node built-ins: it runs in the browser too)
 *   engines       → its own folder, the domain, other engines
 *   platform      → domain, engines, platform
 *   capabilities  → domain, engines, platform, its own folder, another capability's index.ts
 *   server        → anything in src but the CLI (and never the web app)
 *   cli           → anything in src (never the web app)
 *   client        → client
 *   web/src       → web/src, src/domain, src/client
 *   and no import circle in src/.
 *
 * `depcruise src web/src --config .dependency-cruiser.mjs` reads it on Node 22 or later. dependency-cruiser's
 * command line refuses Node 20 (the Node this project runs on), its JS API does not: run directly,
 * `node .dependency-cruiser.mjs src web/src` cruises the given paths with these rules through the API and
 * prints what `depcruise --output-type err` would (exit code 1 when a rule is broken).
 */
import { pathToFileURL } from "node:url";

/** Every module of the repository's own (not an npm package nor a Node built-in). */
const OWN = "^(src|web)/";

/** @type {import('dependency-cruiser').IConfiguration} */
const config = {
  forbidden: [
    {
      name: "domain-imports-only-domain",
      comment:
        "The domain is isomorphic (the server and the web app use it): it imports only the domain and npm packages.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { path: OWN, pathNot: "^src/domain/" },
    },
    {
      name: "domain-no-node-builtins",
      comment: "The domain runs in the browser too: no Node built-in module (node:fs, node:crypto, ...).",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "engines-independent",
      comment:
        "An engine (federation, matching, statistics) is a library: its own folder, the domain and other engines; no platform, capability, server, CLI or client.",
      severity: "error",
      from: { path: "^src/engines/" },
      to: { path: OWN, pathNot: "^src/(engines|domain)/" },
    },
    {
      name: "platform-beneath-capabilities",
      comment:
        "The platform is beneath the capabilities: it imports the domain, the engines and itself only.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: OWN, pathNot: "^src/(domain|engines|platform)/" },
    },
    {
      name: "capabilities-layering",
      comment:
        "A capability imports the domain, the engines, the platform and capabilities; never the server, the CLI, the client or the web app.",
      severity: "error",
      from: { path: "^src/capabilities/" },
      to: { path: OWN, pathNot: "^src/(domain|engines|platform|capabilities)/" },
    },
    {
      name: "capability-through-index",
      comment:
        "A capability reaches another only through its public entry point, src/capabilities/<other>/index.ts.",
      severity: "error",
      from: { path: "^src/capabilities/([^/]+)/" },
      to: {
        path: "^src/capabilities/",
        pathNot: ["^src/capabilities/$1/", "^src/capabilities/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "server-not-cli-or-web",
      comment: "The server (the assembly) imports anything in src but the CLI; never the web app.",
      severity: "error",
      from: { path: "^src/server/" },
      to: { path: "^(src/cli|web)/" },
    },
    {
      name: "cli-not-web",
      comment: "The ariadne command imports anything in src, never the web app.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^web/" },
    },
    {
      name: "client-imports-only-client",
      comment: "The generated API client stands alone.",
      severity: "error",
      from: { path: "^src/client/" },
      to: { path: OWN, pathNot: "^src/client/" },
    },
    {
      name: "web-imports-web-domain-client",
      comment: "The web app imports itself, the domain and the generated client; nothing of the server.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: OWN, pathNot: "^(web/src|src/domain|src/client)/" },
    },
    {
      name: "no-circular",
      comment: "No import circle in src/ (type-only imports included).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve cannot be checked against the rules above.",
      severity: "error",
      from: { path: OWN },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports (`import type`, `import { type X }`) are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};

export default config;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { cruise, format } = await import("dependency-cruiser");
  const { default: extractTSConfig } = await import("dependency-cruiser/config-utl/extract-ts-config");
  // What extractDepcruiseOptions makes of this file (reading it again here would wait on itself).
  const { options, ...ruleSet } = config;
  const paths = process.argv.slice(2);
  const { output } = await cruise(
    paths.length > 0 ? paths : ["src", "web/src"],
    { ...options, ruleSet, validate: true },
    undefined,
    { tsConfig: extractTSConfig(options.tsConfig.fileName) },
  );
  if (typeof output === "string") throw new Error(output);
  const report = await format(output, { outputType: "err" });
  process.stdout.write(String(report.output));
  process.exitCode = report.exitCode > 0 ? 1 : 0;
}
