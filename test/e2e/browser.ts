/** Browser-test helpers: a real node on a loopback port and Debian's Chromium driven by Playwright. */

import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { loadConfig, type RawConfig } from "../../src/server/config.ts";
import { type RunningNode, startNode } from "../../src/server/node.ts";

export const ARTIFACTS = resolve(import.meta.dirname, "../../test-results/e2e");

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

export interface E2eNode {
  node: RunningNode;
  url: string;
  close(): Promise<void>;
}

export async function startE2eNode(overrides: Partial<RawConfig> = {}): Promise<E2eNode> {
  const dir = mkdtempSync(join(tmpdir(), "ariadne-e2e-"));
  const config = loadConfig(
    {},
    {
      ARIADNE_MODE: "production",
      ARIADNE_NODE_ID: "COL",
      ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
      ARIADNE_DATA_DIR: join(dir, "node"),
      PORT: 0,
      LOG_LEVEL: "warn",
      ARIADNE_AUTH_RATE_LIMIT: 10_000,
      ...overrides,
    },
  );
  const node = await startNode(config, { quiet: true });
  return {
    node,
    url: node.url,
    close: async () => {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** axe-core violations of impact serious or critical (WCAG 2.1 A/AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")}`,
    );
}
