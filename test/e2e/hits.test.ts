/**
 * Cross-border hit/no-hit in the web app, in Debian's Chromium, between two
 * peered nodes on loopback (COL and MEX). MEX holds a suspect named in Arabic
 * script and in a Latin variant, with a phone. At COL, an investigator who leads
 * a case naming "Mohammed Alrashid" (another spelling) with the same phone in
 * another format opens the case page, finds a thinly described person offered
 * but disabled with the reason, is refused an empty purpose at its input, then
 * asks MEX about the person and the phone: the answers arrive by themselves
 * (the section polls), two hits awaiting MEX's decision. At MEX, the matched
 * case's lead opens the follow-ups page, discloses information on the person
 * (the text prefilled) and refuses the phone's follow-up with a reason; back at
 * COL the disclosure and the refusal appear without a reload. axe-core checks
 * (also in Arabic) and screenshots are kept in test-results/e2e.
 */
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerSandbox } from "../../src/server/sandbox-federation.ts";
import {
  ARTIFACTS,
  apiCall,
  type E2eNode,
  expectAccessible,
  launchBrowser,
  screenshot,
  signedInPerson,
  startE2ePeer,
} from "./browser.ts";

let browser: Browser;
let col: E2eNode;
let mex: E2eNode;

let colInvestigator: Page;
let mexInvestigator: Page;
let colCaseId = "";
let mexCaseId = "";
let mexReference = "";
let personKey = "";
let phoneKey = "";

beforeAll(async () => {
  browser = await launchBrowser();
  col = await startE2ePeer("COL", { ARIADNE_FEDERATION_RETRY_BASE_MS: 100 });
  mex = await startE2ePeer("MEX", { ARIADNE_FEDERATION_RETRY_BASE_MS: 100 });
  // Peered both ways through the administrators' use cases (import the descriptor, approve the fingerprint);
  // test/e2e/federation.test.ts does it through the Peers page.
  const report = await peerSandbox([col.node, mex.node]);
  expect(report.changed).toEqual(["COL → MEX", "MEX → COL"]);
});
afterAll(async () => {
  await browser?.close();
  await col?.close();
  await mex?.close();
});

/** The section alone, beside the full page: readable at a glance. */
async function sectionShot(section: Locator, name: string): Promise<void> {
  await section.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

const ELEMENTS = { victimDetained: true, againstWill: true, victimMoved: true, purpose: "ransom" };

describe("hit/no-hit in the web app", () => {
  it("MEX holds a suspect named in Arabic script and a Latin variant, with a phone", async () => {
    mexInvestigator = await signedInPerson(browser, mex, "e2e.mex.investigator", ["investigator"]);
    const kase = await apiCall<{ id: string; reference: string }>(mexInvestigator, "POST", "/api/cases", {
      title: "Secuestro extorsivo en Iztapalapa (sintético)",
      place: { country: "MEX", region: "Ciudad de México" },
      elements: ELEMENTS,
    });
    mexCaseId = kase.id;
    mexReference = kase.reference;
    await apiCall(mexInvestigator, "POST", `/api/cases/${mexCaseId}/persons`, {
      role: "suspect",
      names: [
        { given: "محمد", family: "الراشد", script: "arabic" },
        { given: "Mohamed", family: "Al Rashid", script: "latin" },
      ],
      dateOfBirth: "1990-04-02",
      sex: "male",
      phones: [{ number: "+52 55 1234 5678" }],
    });
  });

  it("a COL investigator asks MEX from the case page and watches the hits arrive", async () => {
    colInvestigator = await signedInPerson(browser, col, "e2e.col.investigator", ["investigator"]);
    const kase = await apiCall<{ id: string; reference: string }>(colInvestigator, "POST", "/api/cases", {
      title: "Secuestro en Cali (sintético)",
      place: { country: "COL", region: "Valle del Cauca" },
      elements: ELEMENTS,
    });
    colCaseId = kase.id;
    await apiCall(colInvestigator, "POST", `/api/cases/${colCaseId}/persons`, {
      role: "victim",
      names: [{ given: "Mohammed", family: "Alrashid", script: "latin" }],
      dateOfBirth: "1990-04-02",
      sex: "male",
      phones: [{ number: "+525512345678" }],
    });
    // A bare surname is too thin to be asked about: offered, but disabled with the reason.
    await apiCall(colInvestigator, "POST", `/api/cases/${colCaseId}/persons`, {
      role: "witness",
      names: [{ family: "Rashid", script: "latin" }],
    });
    const { items } = await apiCall<{
      items: { key: string; type: string; label: string; refusal: string | null }[];
    }>(colInvestigator, "GET", `/api/cases/${colCaseId}/hit-items`);
    const askable = (type: string) => items.find((i) => i.type === type && i.refusal === null);
    personKey = askable("person")?.key ?? "";
    phoneKey = askable("phone")?.key ?? "";
    const thin = items.find((i) => i.type === "person" && i.refusal !== null);
    expect(personKey && phoneKey && thin).toBeTruthy();

    const page = colInvestigator;
    await page.goto(`${col.url}/cases/${colCaseId}`);
    await page.getByTestId("case-reference").waitFor();
    // "On this page" leads to the section.
    await page.locator('.case-sections a[href="#case-hits"]').click();
    await page.getByTestId("hits").getByText("No partner State has been asked").waitFor();
    await page.getByTestId("hit-ask-toggle").click();
    await page.getByTestId(`hit-item-${personKey}`).waitFor();
    expect(await page.getByTestId(`hit-item-${thin?.key}`).isDisabled()).toBe(true);
    expect(await page.getByTestId("hit-items").textContent()).toContain("a person needs a given name");
    // An investigator without the exchange permission asks every active partner.
    await page.getByTestId("hit-peers-all-only").waitFor();

    // Nothing chosen, no purpose: refused at the inputs.
    await page.getByTestId("hit-submit").click();
    await page.getByTestId("hit-items-error").waitFor();
    expect(await page.getByTestId("hit-purpose").getAttribute("aria-invalid")).toBe("true");

    await page.getByTestId(`hit-item-${personKey}`).check();
    await page.getByTestId(`hit-item-${phoneKey}`).check();
    await page.getByTestId("hit-legal-basis").fill("UNTOC art. 27(1)(b); Ley 1908 de 2018");
    await page.getByTestId("hit-submit").click();
    await expect.poll(() => page.getByTestId("hit-purpose").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#case-hits .field-invalid .field-error").first().textContent()).toBe(
      "This field is required.",
    );
    expect(await page.getByTestId("hit-items-error").count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, "hits-01-ask-refused");
    await sectionShot(page.locator("#case-hits"), "hits-01b-ask-refused-section");

    await page
      .getByTestId("hit-purpose")
      .fill("Locate the victim held for ransom; a phone used in the demands");
    await page.getByTestId("hit-submit").click();
    const query = page.getByTestId("hit-query").first();
    await query.waitFor();
    expect(await query.getByTestId("hit-query-purpose").textContent()).toContain("Locate the victim");
    // The answer arrives by itself within seconds (the section reads the queries again every two).
    const answer = query.getByTestId("hit-answer-MEX");
    await page.locator('[data-testid="hit-answer-MEX"][data-status="answered"]').waitFor({ timeout: 10_000 });
    const personRow = answer.locator(`[data-testid="hit-result"][data-item="${personKey}"]`);
    const phoneRow = answer.locator(`[data-testid="hit-result"][data-item="${phoneKey}"]`);
    expect(await personRow.getAttribute("data-state")).toBe("hit");
    expect(await phoneRow.getAttribute("data-state")).toBe("hit");
    expect(await personRow.getByTestId("hit-hit").getAttribute("data-disclosure")).toBe("awaiting");
    expect(await phoneRow.textContent()).toContain("100%");
    // Hits still await MEX's decision: the section keeps listening.
    expect(await page.getByTestId("hits-live").locator("p").getAttribute("data-state")).toBe("waiting");
    await page.locator("#case-hits").scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, "hits-02-answers");
    await sectionShot(page.locator("#case-hits"), "hits-02b-answers-section");
  });

  it("at MEX the case lead discloses one follow-up and refuses the other", async () => {
    const page = mexInvestigator;
    await page.getByTestId("nav-followups").click();
    const pending = page.getByTestId("followups-pending");
    await pending.waitFor();
    const cards = pending.getByTestId("followup");
    expect(await cards.count()).toBe(2);
    const personCard = page.locator('[data-testid="followup"]', { hasText: "Person" }).first();
    expect(await personCard.textContent()).toContain("COL");
    expect(await personCard.getByTestId("followup-purpose").textContent()).toContain("Locate the victim");
    expect(await personCard.getByTestId("followup-case").textContent()).toBe(mexReference);
    expect(await personCard.getByTestId("followup-matched").textContent()).toContain("الراشد");
    // The information to disclose is prefilled from the case, to be edited.
    const info = personCard.getByTestId("followup-information-input");
    expect(await info.inputValue()).toContain(mexReference);
    await expectAccessible(page);
    await screenshot(page, "hits-03-followups");

    await info.fill(
      `Our case ${mexReference}: Mohamed Al Rashid, born 1990-04-02, suspect. Contact the MEX liaison desk.`,
    );
    await personCard.getByTestId("followup-submit").click();
    await page
      .locator('[data-testid="followups-decided"] [data-testid="followup"][data-status="approved"]')
      .waitFor();

    const phone = page.locator('[data-testid="followups-pending"] [data-testid="followup"]').first();
    expect(await phone.textContent()).toContain("Phone");
    await phone.getByTestId("followup-refuse").check();
    // A refusal without a reason is refused at its input.
    await phone.getByTestId("followup-submit").click();
    await expect
      .poll(() => phone.getByTestId("followup-reason-input").getAttribute("aria-invalid"))
      .toBe("true");
    await phone.getByTestId("followup-reason-input").fill("The line is part of a covert operation.");
    await phone.getByTestId("followup-submit").click();
    await page.getByTestId("followups-none-pending").waitFor();
    expect(await page.locator('[data-testid="followup"][data-status="refused"]').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "hits-04-followups-decided");
  });

  it("back at COL the disclosure and the refusal appear without a reload", async () => {
    const page = colInvestigator;
    await page.evaluate(() => {
      (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
    });
    const answer = page.getByTestId("hit-answer-MEX").first();
    const personHit = answer.locator(
      `[data-testid="hit-result"][data-item="${personKey}"] [data-testid="hit-hit"]`,
    );
    const phoneHit = answer.locator(
      `[data-testid="hit-result"][data-item="${phoneKey}"] [data-testid="hit-hit"]`,
    );
    await expect.poll(() => personHit.getAttribute("data-disclosure"), { timeout: 10_000 }).toBe("approved");
    await expect.poll(() => phoneHit.getAttribute("data-disclosure"), { timeout: 10_000 }).toBe("refused");
    expect(await personHit.getByTestId("hit-disclosed").textContent()).toContain("Mohamed Al Rashid");
    expect(await phoneHit.textContent()).toContain("covert operation");
    // Nothing more is awaited: the section stops listening.
    await expect
      .poll(() => page.getByTestId("hits-live").locator("p").getAttribute("data-state"))
      .toBe("done");
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    await page.locator("#case-hits").scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, "hits-05-disclosed");
    await sectionShot(page.locator("#case-hits"), "hits-05b-disclosed-section");

    // The outbox-free investigator still reads the section in Arabic, right to left.
    await page.getByTestId("language-select").selectOption("ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.getByTestId("hits").getByText("الاستعلام لدى الدول الشريكة").first().waitFor();
    await expectAccessible(page);
    await screenshot(page, "hits-06-case-arabic");
    await sectionShot(page.locator("#case-hits"), "hits-06b-case-arabic-section");
    await page.getByTestId("language-select").selectOption("en");
  });

  it("the follow-ups page reads in Arabic, and the hit messages are labelled in the outbox", async () => {
    const page = mexInvestigator;
    await page.getByTestId("language-select").selectOption("ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.getByRole("heading", { level: 1, name: "متابعة التطابقات" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "hits-07-followups-arabic");
    await sectionShot(page.getByTestId("followup").first(), "hits-07b-followup-arabic");
    await page.getByTestId("language-select").selectOption("en");

    // A liaison officer at COL sees the queries in the outbox under their names, not raw types.
    const liaison = await signedInPerson(browser, col, "e2e.col.liaison", ["liaison_officer"]);
    await liaison.getByTestId("nav-exchange").click();
    await liaison.getByTestId("exchange-tab-outbox").click();
    const row = liaison.locator('[data-testid="outbox-row"][data-type="hit-query"]').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("Hit/no-hit query");
    expect(text).not.toContain("hit-query");
    expect(text).toContain("pseudonymised selector");
    await row.locator("summary").click();
    await row.getByTestId("message-body").waitFor();
    await expectAccessible(liaison);
    await screenshot(liaison, "hits-08-outbox");
  });
});
