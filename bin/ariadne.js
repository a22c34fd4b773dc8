#!/usr/bin/env node
// The `ariadne` command: the compiled program in dist/node, built from src/cli/main.ts by
// scripts/build.mjs (`npm install` builds it; `npm start` and `npm test` rebuild it when stale).
import { existsSync } from "node:fs";

const main = new URL("../dist/node/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "ariadne: the compiled program (dist/node) is missing: run `npm install`, or `npm run build:node`\n",
  );
  process.exit(1);
}
// Stack traces name the TypeScript sources (dist/node/*.js.map).
process.setSourceMapsEnabled(true);
await import(main.href);
