// Build the web app once, before the first `npm start` (later starts reuse dist/web).
import { existsSync } from "node:fs";

if (!existsSync(new URL("../dist/web/index.html", import.meta.url))) {
  const { build } = await import("vite");
  process.stdout.write("Building the web app (first start only)…\n");
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}
