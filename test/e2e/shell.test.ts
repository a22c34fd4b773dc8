/**
 * The web shell as its users meet it, in Debian's Chromium: first sign-in with
 * authenticator enrolment, the language switch to Arabic (right to left), an
 * administrator creating an account that can then sign in, the audit viewer,
 * the sandbox login page — with axe-core checks and screenshots kept in
 * test-results/e2e.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/capabilities/accounts/users.ts";
import { totpNow } from "../../src/platform/auth/crypto.ts";
import { systemActor } from "../../src/platform/context.ts";
import {
  type E2eNode,
  launchBrowser,
  newPage,
  screenshot,
  seriousViolations,
  startE2eNode,
} from "./browser.ts";

let browser: Browser;
let e2e: E2eNode;

beforeAll(async () => {
  browser = await launchBrowser();
  e2e = await startE2eNode();
});
afterAll(async () => {
  await browser?.close();
  await e2e?.close();
});

/** Accounts are created through the node's own use case, as `ariadne user add` does. */
async function account(username: string, roles: Parameters<typeof createUser>[1]["roles"]) {
  const { config, db, box } = e2e.node;
  const password = `e2e-${username}-password`;
  await createUser(
    { actor: systemActor("e2e"), requestId: null, ip: null, db: db.kysely, config, box },
    { username, displayName: `Synthetic ${username}`, roles, password },
  );
  return { username, password };
}

async function signInWithEnrolment(page: Page, username: string, password: string): Promise<void> {
  await page.goto(e2e.url);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  const secretEl = page.getByTestId("enrol-secret");
  await secretEl.waitFor();
  const secret = (await secretEl.textContent())?.replace(/\s+/g, "") ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByTestId("enrol-code").fill(totpNow(secret));
  await page.getByTestId("enrol-submit").click();
  await page.getByTestId("nav").waitFor();
}

describe("the web shell", () => {
  it("first sign-in enrols an authenticator, then shows the shell drawn from the permissions", async () => {
    const admin = await account("e2e.admin", ["admin"]);
    const page = await newPage(browser);
    await page.goto(e2e.url);
    await page.getByTestId("login-username").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "01-login");
    await page.getByTestId("login-username").fill(admin.username);
    await page.getByTestId("login-password").fill(admin.password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("enrol-secret").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "02-enrolment");
    const secret = (await page.getByTestId("enrol-secret").textContent())?.replace(/\s+/g, "") ?? "";
    await page.getByTestId("enrol-code").fill(totpNow(secret));
    await page.getByTestId("enrol-submit").click();
    await page.getByTestId("nav").waitFor();
    expect(await page.getByTestId("nav-users").isVisible()).toBe(true);
    expect(await page.getByTestId("nav-audit").count()).toBe(0); // the administrator does not read the audit trail
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "03-home-admin");
    await page.context().close();
  });

  it("an administrator creates an account, and its holder signs in", async () => {
    const page = await newPage(browser);
    const admin = await account("e2e.admin2", ["admin"]);
    await signInWithEnrolment(page, admin.username, admin.password);
    await page.getByTestId("nav-users").click();
    await page.getByTestId("users-table").waitFor();
    await page.getByTestId("user-create-username").fill("maria.fiscal");
    await page.getByTestId("user-create-name").fill("María <script>window.__pwned=1</script> Fiscal");
    await page.getByTestId("user-create-role-prosecutor").check();
    await page.getByTestId("user-create-submit").click();
    // A role with case work waits for a second administrator, who sees the one-time password.
    await page.getByTestId("user-create-waiting").waitFor();
    await page.getByTestId("logout").click();
    await page.getByTestId("login-username").waitFor();
    const second = await account("e2e.admin3", ["admin"]);
    await signInWithEnrolment(page, second.username, second.password);
    await page.getByTestId("nav-users").click();
    await page.getByTestId("approvals").getByText("maria.fiscal").waitFor();
    await page.getByTestId("approval-approve").click();
    await page.getByTestId("approval-approve-confirm").click();
    const tempEl = page.getByTestId("approval-secret");
    await tempEl.waitFor();
    const temp = (await tempEl.textContent())?.trim() ?? "";
    expect(temp).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    await page.getByTestId("users-table").getByText("maria.fiscal").waitFor();
    // The name is shown as text, never run.
    expect((await page.getByTestId("users-table").textContent()) ?? "").toContain("<script>");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "04-users-created");
    await page.getByTestId("logout").click();
    await page.getByTestId("login-username").waitFor();

    await signInWithEnrolment(page, "maria.fiscal", temp);
    expect(await page.getByTestId("nav-users").count()).toBe(0);
    await screenshot(page, "05-home-prosecutor");
    await page.context().close();
  });

  it("switching to Arabic lays the page out right to left", async () => {
    const page = await newPage(browser);
    const user = await account("e2e.analyst", ["analyst"]);
    await signInWithEnrolment(page, user.username, user.password);
    await page.getByTestId("language-select").selectOption("ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual([
      "rtl",
      "ar",
    ]);
    expect((await page.getByTestId("nav").textContent()) ?? "").toMatch(/[\u0600-\u06FF]/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "06-arabic-rtl");
    // The choice is saved to the account and survives a reload.
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.getByTestId("language-select").selectOption("zh");
    await page.waitForFunction(
      () => document.documentElement.dir === "ltr" && document.documentElement.lang === "zh",
    );
    await screenshot(page, "07-chinese");
    await page.context().close();
  });

  it("an auditor filters the audit trail and verifies the chain", async () => {
    const page = await newPage(browser);
    const auditor = await account("e2e.auditor", ["auditor"]);
    await signInWithEnrolment(page, auditor.username, auditor.password);
    await page.getByTestId("nav-audit").click();
    await page.getByTestId("audit-table").waitFor();
    expect((await page.getByTestId("audit-table").textContent()) ?? "").toContain("auth.login");
    await page.getByTestId("audit-verify").click();
    await page.getByTestId("audit-verify-result").waitFor();
    expect(await page.getByTestId("audit-verify-result").getAttribute("data-ok")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "08-audit");
    await page.context().close();
  });

  it("a wrong password is reported in the form, with no session", async () => {
    const page = await newPage(browser);
    await page.goto(e2e.url);
    await page.getByTestId("login-username").fill("e2e.admin");
    await page.getByTestId("login-password").fill("certainly-wrong-password");
    await page.getByTestId("login-submit").click();
    await page.getByTestId("error-message").waitFor();
    expect(await page.getByTestId("nav").count()).toBe(0);
    await screenshot(page, "09-wrong-password");
    await page.context().close();
  });
});

describe("the sandbox login page", () => {
  let sandbox: E2eNode;
  beforeAll(async () => {
    sandbox = await startE2eNode({ ARIADNE_MODE: "sandbox" });
  });
  afterAll(async () => sandbox?.close());

  it("shows the sandbox banner and the demo users' current codes, with which they sign in", async () => {
    const page = await newPage(browser);
    await page.goto(sandbox.url);
    await page.getByTestId("sandbox-banner").waitFor();
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("crisis-manager");
    expect(text).toMatch(/\b\d{6}\b/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "10-sandbox-login");
    const logins = (await (await fetch(`${sandbox.url}/api/sandbox/logins`)).json()) as {
      logins: { username: string; password: string; totpCode: string }[];
    };
    const auditor = logins.logins.find((l) => l.username === "auditor");
    if (!auditor) throw new Error("no demo auditor");
    await page.getByTestId("login-username").fill(auditor.username);
    await page.getByTestId("login-password").fill(auditor.password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("totp-code").fill(auditor.totpCode);
    await page.getByTestId("totp-submit").click();
    await page.getByTestId("nav-audit").waitFor();
    await screenshot(page, "11-sandbox-auditor");
    await page.context().close();
  });
});
