/**
 * Trust as the users meet it, in Debian's Chromium: an attacker failing to sign in as the auditor
 * sees the wait counted down and the button held, while the auditor, on the browser that signed
 * in before (a known device), signs in at once from the same address; then a crisis-log entry is
 * edited in the database behind the node's back, and the auditor's pages say so at the top —
 * with axe-core checks and screenshots kept in test-results/e2e.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseBody } from "../helpers/factories.ts";
import {
  apiCall,
  createAccount,
  type E2eAccount,
  type E2eNode,
  expectAccessible,
  launchBrowser,
  newPage,
  screenshot,
  signInAs,
  startE2eNode,
} from "./browser.ts";

let browser: Browser;
let e2e: E2eNode;
let auditor: E2eAccount;
let auditorPage: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  e2e = await startE2eNode();
  auditor = await createAccount(e2e, "e2e.auditor", ["auditor"]);
  auditorPage = await newPage(browser);
  // A successful sign-in makes this browser a known device of the auditor's.
  await signInAs(auditorPage, e2e.url, auditor);
});
afterAll(async () => {
  await browser?.close();
  await e2e?.close();
});

describe("sign-in without lockout abuse", () => {
  it("an attacker's failures make them wait; the auditor's own browser still signs in", async () => {
    const attacker = await newPage(browser);
    await attacker.goto(e2e.url);
    await attacker.getByTestId("login-username").fill(auditor.username);
    for (let i = 0; i < e2e.node.config.login.maxAttempts; i++) {
      await attacker.getByTestId("login-password").fill(`not-the-password-${i}`);
      await Promise.all([
        attacker.waitForResponse((r) => r.url().endsWith("/api/auth/login")),
        attacker.getByTestId("login-submit").click(),
      ]);
    }
    const wait = attacker.getByTestId("login-wait");
    await wait.waitFor();
    expect(await wait.textContent()).toMatch(/Too many failed attempts.*\d+ s/);
    expect(await attacker.getByTestId("login-submit").isDisabled()).toBe(true);
    await expectAccessible(attacker);
    await screenshot(attacker, "trust-01-sign-in-wait");

    // Same address, same username: the known device counts on its own and is not held. (A
    // second-factor code is taken once: the auditor waits for the next one, as a person would.)
    await auditorPage.getByTestId("logout").click();
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200));
    await auditorPage.getByTestId("login-username").waitFor();
    await signInAs(auditorPage, e2e.url, auditor);
    expect(await auditorPage.getByTestId("nav").isVisible()).toBe(true);
  });
});

describe("the node's integrity on the auditor's pages", () => {
  it("a crisis-log entry edited in the database is named in a banner at the top", async () => {
    const lead = await createAccount(e2e, "e2e.lead", ["crisis_manager"]);
    const leadPage = await newPage(browser);
    await signInAs(leadPage, e2e.url, lead);
    const kase = await apiCall<{ id: string; reference: string }>(leadPage, "POST", "/api/cases", caseBody());
    await apiCall(leadPage, "POST", `/api/cases/${kase.id}/crisis-log`, {
      entry: {
        kind: "contact",
        channel: "phone",
        direction: "incoming",
        summary: "First call from the kidnappers",
      },
    });
    // Someone with superuser access to the database rewrites what the kidnappers said.
    const pglite = e2e.node.db.pglite;
    if (!pglite) throw new Error("the e2e node runs on PGlite");
    await pglite.exec("RESET ROLE");
    try {
      // With the append-only triggers out of the way, as a superuser can.
      await pglite.transaction(async (tx) => {
        await tx.exec("SET LOCAL session_replication_role = replica");
        await tx.query("UPDATE crisis_log SET content = $1 WHERE case_id = $2 AND seq = 1", [
          JSON.stringify({ kind: "note", summary: "No call was received" }),
          kase.id,
        ]);
      });
    } finally {
      await pglite.exec("SET ROLE ariadne_app");
    }

    await apiCall(auditorPage, "POST", "/api/integrity/verify");
    const broken = auditorPage.getByTestId("integrity-crisis-log");
    await expect
      .poll(
        async () => {
          await auditorPage.reload();
          await auditorPage.getByTestId("nav").waitFor();
          return broken.count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    expect(await broken.textContent()).toContain(kase.reference);
    expect(await auditorPage.getByTestId("integrity-banner").getAttribute("role")).toBe("alert");
    await expectAccessible(auditorPage);
    await screenshot(auditorPage, "trust-02-integrity-banner");
    // The lead, who may not check the node's integrity, is not shown the banner.
    await leadPage.reload();
    await leadPage.getByTestId("nav").waitFor();
    expect(await leadPage.getByTestId("integrity-banner").count()).toBe(0);
  });
});
