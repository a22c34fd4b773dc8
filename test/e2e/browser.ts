/** Browser-test helpers: a real node on a loopback port and Debian's Chromium driven by Playwright. */

import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { createUser } from "../../src/capabilities/accounts/users.ts";
import type { Role } from "../../src/domain/roles.ts";
import { newTotpSecret, totpNow } from "../../src/platform/auth/crypto.ts";
import { type ConfigInput, loadConfig } from "../../src/platform/config.ts";
import { systemActor } from "../../src/platform/context.ts";
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

export async function startE2eNode(overrides: ConfigInput = {}): Promise<E2eNode> {
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

/** A port free on loopback now (for a node that must know its own address before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * A node of the federation on loopback: its own node id, and a public URL that is its real
 * address, so that the descriptor it signs names the endpoint its peers deliver to.
 */
export async function startE2ePeer(nodeId: string, overrides: ConfigInput = {}): Promise<E2eNode> {
  const port = await freePort();
  return startE2eNode({
    ARIADNE_NODE_ID: nodeId,
    ARIADNE_NODE_NAME: `${nodeId} (e2e)`,
    PORT: port,
    ARIADNE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ARIADNE_FEDERATION_PLAIN_LOOPBACK: true,
    ...overrides,
  });
}

export interface E2eAccount {
  id: string;
  username: string;
  password: string;
  totpSecret: string;
}

/** An account with its authenticator already set up, created through the node's own use case. */
export async function createAccount(e2e: E2eNode, username: string, roles: Role[]): Promise<E2eAccount> {
  const { config, db, box } = e2e.node;
  const password = `e2e-${username}-password`;
  const totpSecret = newTotpSecret();
  const { user } = await createUser(
    { actor: systemActor("e2e"), requestId: null, ip: null, db: db.kysely, config, box },
    { username, displayName: `Synthetic ${username}`, roles, password, totpSecret },
  );
  return { id: user.id, username, password, totpSecret };
}

/** Signs in through the login page with the password and the current second-factor code. */
export async function signInAs(page: Page, url: string, who: E2eAccount): Promise<void> {
  await page.goto(url);
  await page.getByTestId("login-username").fill(who.username);
  await page.getByTestId("login-password").fill(who.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("totp-code").fill(totpNow(who.totpSecret));
  await page.getByTestId("totp-submit").click();
  await page.getByTestId("nav").waitFor();
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

/** No serious or critical axe-core violation on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

/** A browser context of its own (its own cookies: one per person at the keyboard); a page error fails the test. */
export async function newPage(browser: Browser, opts: { clipboard?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    ...(opts.clipboard ? { permissions: ["clipboard-read", "clipboard-write"] } : {}),
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

/** Someone with an account of these roles at a node, signed in on a page of their own. */
export async function signedInPerson(
  browser: Browser,
  node: E2eNode,
  username: string,
  roles: Role[],
  opts: { clipboard?: boolean } = {},
): Promise<Page> {
  const who = await createAccount(node, username, roles);
  const page = await newPage(browser, opts);
  await signInAs(page, node.url, who);
  return page;
}

/** A call to the node's API from a signed-in page, with its session and CSRF token (as the web app makes it); it must succeed. */
export async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const r = await page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch("/api/auth/session")).json()) as { csrfToken: string };
      const res = await fetch(path, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as unknown };
    },
    { method, path, body },
  );
  expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
  return r.json as T;
}
