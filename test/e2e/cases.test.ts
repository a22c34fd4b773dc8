/**
 * Cases in the web app, in Debian's Chromium: an investigator opens a case with
 * the live classification preview, puts a crisis manager on its crisis team,
 * records a ransom demand that the crisis manager's open page receives live
 * (Server-Sent Events, no reload), and takes the case through active crisis to
 * resolved. An investigator outside the team gets "not found". axe-core checks
 * and screenshots (English and Arabic) are kept in test-results/e2e.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/domain/roles.ts";
import { newTotpSecret, totpNow } from "../../src/server/auth/crypto.ts";
import { systemActor } from "../../src/server/context.ts";
import { createUser } from "../../src/server/usecases/users.ts";
import { type E2eNode, launchBrowser, screenshot, seriousViolations, startE2eNode } from "./browser.ts";

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

interface Account {
  id: string;
  username: string;
  password: string;
  totpSecret: string;
}

/** An account with its authenticator already set up, created through the node's own use case. */
async function account(username: string, roles: Role[]): Promise<Account> {
  const { config, db, box } = e2e.node;
  const password = `e2e-${username}-password`;
  const totpSecret = newTotpSecret();
  const { user } = await createUser(
    { actor: systemActor("e2e"), requestId: null, ip: null, db: db.kysely, config, box },
    { username, displayName: `Synthetic ${username}`, roles, password, totpSecret },
  );
  return { id: user.id, username, password, totpSecret };
}

/** A separate browser context (its own cookies): one per person at the keyboard. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

async function signIn(page: Page, who: Account): Promise<void> {
  await page.goto(e2e.url);
  await page.getByTestId("login-username").fill(who.username);
  await page.getByTestId("login-password").fill(who.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("totp-code").fill(totpNow(who.totpSecret));
  await page.getByTestId("totp-submit").click();
  await page.getByTestId("nav").waitFor();
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

describe("cases in the web app", () => {
  it("opens a case, works it as a crisis team with a live log, and resolves it", async () => {
    const investigator = await account("e2e.investigator", ["investigator"]);
    const manager = await account("e2e.crisis", ["crisis_manager"]);
    const member = await account("e2e.member", ["analyst"]);
    const outsider = await account("e2e.outsider", ["investigator"]);

    // The investigator opens a case: ransom, an adult, taken away.
    const inv = await newPage();
    await signIn(inv, investigator);
    await inv.getByTestId("nav-cases").click();
    await inv.getByTestId("cases-table").waitFor();
    await inv.getByTestId("case-new").click();
    expect(await inv.getByTestId("case-country").inputValue()).toBe("COL");

    // Refused input is reported at the inputs, nested fields (place.country, elements.*) included.
    await inv.getByTestId("case-country").fill("co");
    await inv.getByTestId("case-el-victimDetained").uncheck();
    await inv.getByTestId("case-el-victimMoved").check();
    const preview = inv.getByTestId("case-classification-preview");
    await expect.poll(() => preview.getAttribute("data-iccs")).toBe("contradiction");
    await inv.getByTestId("case-submit").click();
    await inv.getByTestId("error-message").waitFor();
    for (const id of ["case-title", "case-country", "case-el-victimMoved"]) {
      expect(await inv.getByTestId(id).getAttribute("aria-invalid"), id).toBe("true");
    }
    expect(await inv.getByTestId("error-message").textContent()).toContain(
      "Please correct the highlighted fields.",
    );
    await expectAccessible(inv);
    await screenshot(inv, "cases-00-new-case-refused");

    await inv.getByTestId("case-title").fill("Synthetic: merchant taken on the road to Rionegro");
    await inv.getByTestId("case-country").fill("COL");
    await inv.getByTestId("case-el-victimDetained").check();
    await inv.getByTestId("case-region").fill("Antioquia");
    await inv.getByTestId("case-occurred-at").fill("2026-11-20T21:15");
    expect(await inv.getByTestId("case-el-victimDetained").isChecked()).toBe(true);
    expect(await inv.getByTestId("case-el-againstWill").isChecked()).toBe(true);
    await inv.getByTestId("case-el-victimMoved").check();
    await inv.getByTestId("case-el-purpose").selectOption("ransom");
    await inv.getByTestId("case-el-victimAgeYears").fill("42");
    await expect.poll(() => preview.getAttribute("data-iccs")).toBe("020221");
    expect(await preview.textContent()).toContain("ICCS 020221 Kidnapping");
    expect(await preview.textContent()).toContain("For ransom or extortion");
    await expectAccessible(inv);
    await screenshot(inv, "cases-01-new-case-form");
    await inv.getByTestId("case-submit").click();

    await inv.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = inv.url();
    await inv.getByTestId("case-status").waitFor();
    expect(await inv.getByTestId("case-status").getAttribute("data-status")).toBe("reported");
    expect(await inv.getByTestId("case-classification").getAttribute("data-iccs")).toBe("020221");
    expect(await inv.getByTestId("case-classification").textContent()).toContain("ICCS 020221 Kidnapping");
    const reference = (await inv.getByTestId("case-reference").textContent()) ?? "";
    expect(reference).toMatch(/^COL-\d{4}-\d{6}$/);

    // The lead puts the crisis manager on the crisis team, by account ID.
    await inv.getByTestId("team-add-user").fill(manager.id);
    await inv.getByTestId("team-add-role").selectOption("crisis_team");
    await inv.getByTestId("team-add-submit").click();
    const managerRow = inv.getByTestId(`team-row-${manager.username}`);
    await managerRow.waitFor();
    expect(await managerRow.getAttribute("data-role")).toBe("crisis_team");
    await inv.getByTestId("team-add-user").fill(member.id);
    await inv.getByTestId("team-add-role").selectOption("member");
    await inv.getByTestId("team-add-submit").click();
    await inv.getByTestId(`team-row-${member.username}`).waitFor();

    // The crisis manager, in another browser, opens the same case and follows the log live.
    const crisis = await newPage();
    await signIn(crisis, manager);
    await crisis.goto(caseUrl);
    await crisis.getByTestId("crisis-log").waitFor();
    await crisis.locator('[data-testid="crisis-live"][data-state="live"]').waitFor({ timeout: 10_000 });
    await inv.locator('[data-testid="crisis-live"][data-state="live"]').waitFor({ timeout: 10_000 });
    // A reload would lose this mark.
    await crisis.evaluate(() => {
      (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
    });
    expect(await crisis.getByTestId("crisis-entry").count()).toBe(0);

    // The investigator records the demand.
    await inv.getByTestId("crisis-kind").selectOption("demand");
    await inv
      .getByTestId("crisis-summary")
      .fill("Caller on the family's landline demands payment for the release; proof of life refused.");
    await inv.getByTestId("crisis-amount").fill("500000");
    await inv.getByTestId("crisis-currency").fill("USD");
    const submittedAt = Date.now();
    await inv.getByTestId("crisis-submit").click();

    // …and it appears on the crisis manager's page within 2 seconds, without a reload.
    const arrived = crisis.getByTestId("crisis-entry").first();
    await arrived.waitFor({ timeout: 2_000 });
    expect(Date.now() - submittedAt).toBeLessThan(2_000);
    await inv.getByTestId("crisis-entry").first().waitFor();
    expect(
      await crisis.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    expect(await arrived.getAttribute("data-kind")).toBe("demand");
    // In the interface language, with the ISO code ("$" alone would also be the Colombian peso).
    expect((await arrived.textContent())?.replace(/\s/g, " ")).toContain("USD 500,000.00");
    expect(await arrived.textContent()).toContain(investigator.username);
    expect(await crisis.getByTestId("crisis-integrity").getAttribute("data-verified")).toBe("true");
    // The author's own page shows it once, although it also arrived over the stream.
    expect(await inv.getByTestId("crisis-entry").count()).toBe(1);
    await expectAccessible(crisis);
    await screenshot(crisis, "cases-02-case-crisis-log");

    // The lead moves the case to active crisis, then resolves it: rescued.
    await inv.getByTestId("case-transition-to").selectOption("active_crisis");
    await inv.getByTestId("case-transition-submit").click();
    await inv.locator('[data-testid="case-status"][data-status="active_crisis"]').waitFor();
    await inv.getByTestId("case-transition-to").selectOption("resolved");
    await inv.getByTestId("case-transition-outcome").selectOption("rescued");
    expect(await inv.getByTestId("case-transition-reason").count()).toBe(0);
    await inv.getByTestId("case-transition-submit").click();
    await inv.locator('[data-testid="case-status"][data-status="resolved"]').waitFor();
    expect(await inv.getByTestId("case-outcome").textContent()).toBe("Rescued");
    await expectAccessible(inv);
    await screenshot(inv, "cases-03-case-resolved");

    // The list of my cases.
    await inv.getByTestId("nav-cases").click();
    const row = inv.getByTestId(`case-row-${reference}`);
    await row.waitFor();
    expect(await row.textContent()).toContain("Resolved");
    expect(await row.textContent()).toContain("020221");
    await expectAccessible(inv);
    await screenshot(inv, "cases-04-case-list");

    // The same case, and the form, in Arabic (right to left).
    await crisis.getByTestId("language-select").selectOption("ar");
    await crisis.waitForFunction(() => document.documentElement.dir === "rtl");
    await crisis.reload();
    await crisis.getByTestId("crisis-entry").first().waitFor();
    await crisis.locator('[data-testid="crisis-live"][data-state="live"]').waitFor({ timeout: 10_000 });
    await expectAccessible(crisis);
    await screenshot(crisis, "cases-05-case-arabic");
    await crisis.getByTestId("nav-cases").click();
    await crisis.getByTestId("case-new").click();
    await crisis.getByTestId("case-el-purpose").selectOption("ransom");
    await crisis.getByTestId("case-classification-preview").waitFor();
    await expectAccessible(crisis);
    await screenshot(crisis, "cases-06-new-case-arabic");

    // An investigator who is not on the team: the case does not exist.
    const other = await newPage();
    await signIn(other, outsider);
    await other.goto(caseUrl);
    await other.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    expect(await other.getByTestId("case-status").count()).toBe(0);
    await other.getByTestId("nav-cases").click();
    await other.getByTestId("cases-table").waitFor();
    expect(await other.getByTestId(`case-row-${reference}`).count()).toBe(0);
    await expectAccessible(other);

    // A plain member sees the case, but neither the crisis log nor the forms of the crisis team.
    const plain = await newPage();
    await signIn(plain, member);
    await plain.goto(caseUrl);
    await plain.getByTestId("case-status").waitFor();
    await plain.getByTestId("team-table").waitFor();
    expect(await plain.getByTestId("crisis-log").count()).toBe(0);
    expect(await plain.getByTestId("crisis-live").count()).toBe(0);
    expect(await plain.getByTestId("case-transition-to").count()).toBe(0);
    expect(await plain.getByTestId("team-add-user").count()).toBe(0);
    await expectAccessible(plain);
    await screenshot(plain, "cases-07-case-member");

    await inv.context().close();
    await crisis.context().close();
    await other.context().close();
    await plain.context().close();
  });
});
