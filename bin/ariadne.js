#!/usr/bin/env node
// The `ariadne` command: the compiled program in dist/node, built from src/cli/main.ts by
// scripts/build.mjs (`npm install` builds it; `npm start` and `npm test` rebuild it when stale).
import { existsSync, readFileSync } from "node:fs";

const dist = new URL("../dist/node/", import.meta.url);
const main = new URL("main.js", dist);
const failed = new URL("BUILD-FAILED", dist);
if (existsSync(failed)) {
  process.stderr.write(
    `ariadne: the last build of the program failed; fix the sources and run \`npm run build:node\`:\n${readFileSync(failed, "utf8")}`,
  );
  process.exit(1);
}
if (!existsSync(main)) {
  process.stderr.write(
    "ariadne: the compiled program (dist/node) is missing: run `npm install`, or `npm run build:node`\n",
  );
  process.exit(1);
}
// Stack traces name the TypeScript sources (dist/node/*.js.map).
process.setSourceMapsEnabled(true);
await import(main.href);
