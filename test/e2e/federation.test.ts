/**
 * The federation in the web app, in Debian's Chromium, between two nodes on
 * loopback (COL and MEX), each with its real address in its signed descriptor.
 * The administrators exchange descriptors through the Peers page (copy button),
 * and each approves the other by typing the fingerprint read out of band — a
 * wrong one refused at the input first. A COL liaison officer composes an
 * abducted-person notice to MEX (refused fields said at their inputs first);
 * the MEX liaison officer's open Exchange page raises the urgent alert within
 * seconds, without a reload, and opens the message with its marking spelled out
 * (each handling code as a notice). From it the officer opens a case (the form
 * pre-filled from the notice, the country left to them and refused empty at its
 * input), lands on the new case, and the message lists the case as linked.
 * Then a modus-operandi notice to every active peer, linked to that case with the
 * case picker, a TLP:RED request for
 * information (named recipients required) answered in its thread, and a ransom watch
 * sent while MEX has suspended COL: it becomes a dead letter, is sent again
 * after MEX approves COL anew, and arrives. axe-core checks (also in Arabic)
 * and screenshots are kept in test-results/e2e.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
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

// One browser context per person at the keyboard, kept across the steps below.
let colAdmin: Page;
let mexAdmin: Page;
let colLiaison: Page;
let mexLiaison: Page;
let colFingerprint = "";
let mexFingerprint = "";
// The case MEX's liaison officer opens from COL's abducted-person notice.
let openedCaseId = "";
let openedReference = "";

beforeAll(async () => {
  browser = await launchBrowser();
  // COL gives up on undelivered messages after six seconds, so that the test sees a dead letter.
  col = await startE2ePeer("COL", {
    ARIADNE_FEDERATION_RETRY_BASE_MS: 100,
    ARIADNE_FEDERATION_DEAD_LETTER_MINUTES: 0.1,
  });
  mex = await startE2ePeer("MEX", { ARIADNE_FEDERATION_RETRY_BASE_MS: 100 });
});
afterAll(async () => {
  await browser?.close();
  await col?.close();
  await mex?.close();
});

/** The node's own descriptor, as its administrator copies it with the copy button. */
async function copyOwnDescriptor(admin: Page): Promise<string> {
  await admin.getByTestId("nav-peers").click();
  const field = admin.getByTestId("own-descriptor");
  await expect.poll(() => field.inputValue()).not.toBe("");
  await admin.getByTestId("own-descriptor-copy").click();
  const copied = await admin.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await field.inputValue());
  return copied;
}

async function ownFingerprint(admin: Page): Promise<string> {
  const fp = admin.getByTestId("own-fingerprint-signing");
  await fp.waitFor();
  return (await fp.textContent()) ?? "";
}

/** The administrator pastes a peer's descriptor and approves it by typing the fingerprint read to them. */
async function importAndApprove(admin: Page, descriptor: string, nodeId: string, typed: string) {
  await admin.getByTestId("peer-import-descriptor").fill(descriptor);
  await admin.getByTestId("peer-import-submit").click();
  await admin.locator(`[data-testid="peer-row-${nodeId}"][data-status="pending"]`).waitFor();
  await admin.getByTestId("peer-approve-panel").waitFor();
  await admin.getByTestId("peer-approve-fingerprint").fill(typed);
  await admin.getByTestId("peer-approve-submit").click();
  await admin.locator(`[data-testid="peer-row-${nodeId}"][data-status="active"]`).waitFor();
}

describe("the federation in the web app", () => {
  it("administrators exchange descriptors and approve each other by typing the fingerprint", async () => {
    colAdmin = await signedInPerson(browser, col, "e2e.col.admin", ["admin"], { clipboard: true });
    mexAdmin = await signedInPerson(browser, mex, "e2e.mex.admin", ["admin"], { clipboard: true });
    // Administrators manage peers; they do not read the exchange.
    expect(await colAdmin.getByTestId("nav-exchange").count()).toBe(0);

    const colDescriptor = await copyOwnDescriptor(colAdmin);
    const mexDescriptor = await copyOwnDescriptor(mexAdmin);
    expect(await colAdmin.getByTestId("own-node-id").textContent()).toBe("COL");
    colFingerprint = await ownFingerprint(colAdmin);
    mexFingerprint = await ownFingerprint(mexAdmin);
    // Grouped by four, as it is read aloud: 64 hexadecimal digits.
    expect(colFingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    await expectAccessible(colAdmin);
    await screenshot(colAdmin, "federation-01-peers-own-descriptor");

    // Something that is not a descriptor is refused at the input.
    await colAdmin.getByTestId("peer-import-descriptor").fill("not-a-descriptor.at-all.really");
    await colAdmin.getByTestId("peer-import-submit").click();
    await expect
      .poll(() => colAdmin.getByTestId("peer-import-descriptor").getAttribute("aria-invalid"))
      .toBe("true");

    // COL imports MEX's descriptor: pending, with its fingerprints and its real loopback address.
    await colAdmin.getByTestId("peer-import-descriptor").fill(mexDescriptor);
    await colAdmin.getByTestId("peer-import-submit").click();
    const mexRow = colAdmin.getByTestId("peer-row-MEX");
    await mexRow.waitFor();
    expect(await mexRow.getAttribute("data-status")).toBe("pending");
    expect(await mexRow.textContent()).toContain(mex.url);
    expect(await colAdmin.getByTestId("peer-fingerprint-MEX").textContent()).toBe(mexFingerprint);
    // The approval asks for the fingerprint as read by MEX's administrator; a wrong one is refused.
    await colAdmin.getByTestId("peer-approve-panel").waitFor();
    const wrong = mexFingerprint.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    await colAdmin.getByTestId("peer-approve-fingerprint").fill(wrong);
    await colAdmin.getByTestId("peer-approve-submit").click();
    await expect
      .poll(() => colAdmin.getByTestId("peer-approve-fingerprint").getAttribute("aria-invalid"))
      .toBe("true");
    expect(await colAdmin.getByTestId("peer-approve-panel").textContent()).toContain(
      "does not match the peer's signing key",
    );
    expect(await mexRow.getAttribute("data-status")).toBe("pending");
    await expectAccessible(colAdmin);
    await screenshot(colAdmin, "federation-02-approve-refused");
    // Spaces and capitals do not matter.
    await colAdmin
      .getByTestId("peer-approve-fingerprint")
      .fill(mexFingerprint.replace(/ /g, "").toLowerCase());
    await colAdmin.getByTestId("peer-approve-submit").click();
    await colAdmin.locator('[data-testid="peer-row-MEX"][data-status="active"]').waitFor();
    expect(await colAdmin.getByTestId("peer-approve-panel").count()).toBe(0);
    await expectAccessible(colAdmin);
    await screenshot(colAdmin, "federation-03-peer-active");

    // MEX does the same with COL's descriptor.
    await importAndApprove(mexAdmin, colDescriptor, "COL", colFingerprint);
  });

  it("an abducted-person notice raises the alert on the receiving liaison officer's open page", async () => {
    mexLiaison = await signedInPerson(browser, mex, "e2e.mex.liaison", ["liaison_officer"]);
    colLiaison = await signedInPerson(browser, col, "e2e.col.liaison", ["liaison_officer"]);
    // Liaison officers exchange; they do not manage peers.
    expect(await mexLiaison.getByTestId("nav-peers").count()).toBe(0);

    // MEX's liaison officer has the exchange open; the page must not reload.
    await mexLiaison.getByTestId("nav-exchange").click();
    await mexLiaison.locator('[data-testid="inbox-live"][data-state="live"]').waitFor({ timeout: 10_000 });
    expect(await mexLiaison.getByTestId("inbox-row").count()).toBe(0);
    await mexLiaison.evaluate(() => {
      (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
    });

    // COL's liaison officer composes the notice: refused fields are said at their inputs first.
    await colLiaison.getByTestId("nav-exchange").click();
    await colLiaison.getByTestId("exchange-tab-compose").click();
    await colLiaison.getByTestId("compose-submit").click();
    await colLiaison.getByTestId("compose-to-error").waitFor(); // no recipient chosen
    // The active partners are offered (GET /api/federation/partners), with their names.
    expect(await colLiaison.getByTestId("compose-recipients").textContent()).toContain("MEX (e2e)");
    await colLiaison.getByTestId("compose-to-MEX").check();
    await colLiaison.getByTestId("compose-submit").click();
    await expect
      .poll(() => colLiaison.getByTestId("compose-summary").getAttribute("aria-invalid"))
      .toBe("true");
    expect(await colLiaison.getByTestId("compose-person-given").getAttribute("aria-invalid")).toBe("true");
    expect(await colLiaison.getByTestId("compose-to-error").count()).toBe(0);
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-04-compose-refused");

    await colLiaison
      .getByTestId("compose-summary")
      .fill(
        "Synthetic: a student taken from a bus terminal in Cali; possibly moved towards the border with Ecuador.",
      );
    await colLiaison.getByTestId("compose-case-reference").fill("COL-2026-000123");
    await colLiaison.getByTestId("compose-request").selectOption("locate");
    await colLiaison.getByTestId("compose-last-seen-place").fill("Terminal de Transportes, Cali");
    await colLiaison.getByTestId("compose-last-seen-at").fill("2026-11-21T18:30");
    await colLiaison.getByTestId("compose-person-given").fill("Lucía");
    await colLiaison.getByTestId("compose-person-family").fill("Ejemplo Restrepo");
    await colLiaison.getByTestId("compose-person-other-given").fill("لوسيا");
    await colLiaison.getByTestId("compose-person-dob").fill("2004-04-02");
    await colLiaison.getByTestId("compose-person-sex").selectOption("female");
    await colLiaison.getByTestId("compose-person-nationalities").fill("COL, ESP");
    await colLiaison.getByTestId("compose-person-description").fill("1.62 m, dark hair, green backpack.");
    await colLiaison.getByTestId("compose-handling-H2").check();
    const sentAt = Date.now();
    await colLiaison.getByTestId("compose-submit").click();
    await colLiaison.getByTestId("compose-follow").waitFor();

    // Within seconds, on MEX's open page: the banner and the live region, without a reload.
    const alert = mexLiaison.getByTestId("urgent-alert-item").first();
    await alert.waitFor({ timeout: 5_000 });
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(await alert.getAttribute("data-sender")).toBe("COL");
    expect(await alert.getAttribute("data-type")).toBe("notice.abducted-person");
    await expect
      .poll(() => mexLiaison.getByTestId("urgent-announcer").textContent())
      .toBe("Urgent message received: Abducted person notice from COL, TLP:AMBER.");
    expect(
      await mexLiaison.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    // The inbox is read again by itself.
    const row = mexLiaison.locator('[data-testid="inbox-row"][data-type="notice.abducted-person"]');
    await row.waitFor();
    expect(await row.getByTestId("inbox-person").textContent()).toBe("Lucía Ejemplo Restrepo / لوسيا");
    expect(await row.textContent()).toContain("H2");
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-05-urgent-alert");

    // The officer opens it from the alert: the whole notice, its marking spelled out.
    await mexLiaison.getByTestId("urgent-alert-open").first().click();
    const page = mexLiaison.getByTestId("message-page");
    await page.waitFor();
    expect(await page.getAttribute("data-type")).toBe("notice.abducted-person");
    expect(await mexLiaison.getByTestId("urgent-alert").count()).toBe(0);
    const victim = (await mexLiaison.getByTestId("message-person").textContent()) ?? "";
    expect(victim).toContain("Lucía Ejemplo Restrepo");
    expect(victim).toContain("COL ESP");
    expect(victim).toContain("Female");
    expect(await mexLiaison.getByTestId("message-body").textContent()).toContain(
      "Terminal de Transportes, Cali",
    );
    expect(await mexLiaison.getByTestId("message-tlp").getAttribute("data-tlp")).toBe("amber");
    // Each handling code as a notice: what it asks, and whom to ask.
    const handling = mexLiaison.getByTestId("message-handling");
    expect(
      await handling.locator("li").evaluateAll((li) => li.map((e) => e.getAttribute("data-code"))),
    ).toEqual(["H0", "H2"]);
    expect(await handling.locator('[data-code="H0"]').textContent()).toContain(
      "Use only to prevent or combat crime",
    );
    const h2 = (await handling.locator('[data-code="H2"]').textContent()) ?? "";
    expect(h2).toContain("No onward dissemination");
    expect(h2).toContain("without the permission of COL");
    // H2: the node will not pass it on, and the page says why.
    expect(await mexLiaison.getByTestId("forward-blocked").textContent()).toContain("H2");
    // Not linked to any case of the officer's yet.
    await mexLiaison.getByTestId("message-links-none").waitFor();
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06-message");
    const messageUrl = mexLiaison.url();
    const noticeId = (await page.getAttribute("data-id")) ?? "";

    // The officer opens a case from the notice: the new-case form, pre-filled from it.
    await mexLiaison.getByTestId("message-open-case").click();
    const banner = mexLiaison.getByTestId("case-from-message");
    await banner.waitFor();
    expect(await banner.getAttribute("data-message-id")).toBe(noticeId);
    expect(await banner.textContent()).toContain(`From notice ${noticeId.slice(0, 8)} of COL`);
    expect(await mexLiaison.getByTestId("case-title").inputValue()).toBe(
      "Synthetic: a student taken from a bus terminal in Cali; possibly moved towards the border with Ecuador.",
    );
    expect(await mexLiaison.getByTestId("case-occurred-at").inputValue()).toBe("2026-11-21T18:30");
    expect(await mexLiaison.getByTestId("case-el-victimAgeYears").inputValue()).toBe("22");
    expect(await mexLiaison.getByTestId("case-tlp-select").inputValue()).toBe("amber");
    expect(await mexLiaison.getByTestId("case-handling-H0").isChecked()).toBe(true);
    expect(await mexLiaison.getByTestId("case-handling-H2").isChecked()).toBe(true);
    expect(await mexLiaison.getByTestId("case-handling-H1").isChecked()).toBe(false);
    // The country is the officer's to say; the hint gives the place the notice names.
    expect(await mexLiaison.getByTestId("case-country").inputValue()).toBe("");
    expect(await mexLiaison.locator("main").textContent()).toContain("Terminal de Transportes, Cali");
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06a-case-from-notice");
    // Refused fields are said at their inputs, as for any new case (body.place.country).
    await mexLiaison.getByTestId("case-submit").click();
    await expect.poll(() => mexLiaison.getByTestId("case-country").getAttribute("aria-invalid")).toBe("true");
    expect(await mexLiaison.getByTestId("case-title").getAttribute("aria-invalid")).toBeNull();
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06b-case-from-notice-refused");
    // In Arabic, right to left.
    await mexLiaison.getByTestId("language-select").selectOption("ar");
    await mexLiaison.waitForFunction(() => document.documentElement.dir === "rtl");
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06c-case-from-notice-arabic");
    await mexLiaison.getByTestId("language-select").selectOption("en");
    await mexLiaison.waitForFunction(() => document.documentElement.dir === "ltr");

    await mexLiaison.getByTestId("case-country").fill("col");
    await mexLiaison.getByTestId("case-region").fill("Valle del Cauca");
    await mexLiaison.getByTestId("case-el-victimMoved").check();
    await mexLiaison.getByTestId("case-submit").click();
    // The new case, led by the officer.
    await mexLiaison.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    openedCaseId = new URL(mexLiaison.url()).pathname.split("/").pop() ?? "";
    openedReference = (await mexLiaison.getByTestId("case-reference").textContent()) ?? "";
    expect(openedReference).toMatch(/^MEX-/);
    expect(await mexLiaison.locator("main").textContent()).toContain(
      `The case ${openedReference} has been opened.`,
    );
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06d-case-opened-from-notice");
    // The case page lists the notice it was opened from, with the sender's marking.
    const received = mexLiaison.getByTestId("case-received");
    await received.waitFor();
    expect(await received.locator("tbody tr").count()).toBe(1);
    expect(await received.textContent()).toContain("COL");
    expect(await received.textContent()).toContain("The case was opened from this message");
    expect(await received.locator("tbody tr a").getAttribute("href")).toBe(new URL(messageUrl).pathname);
    await mexLiaison.locator("#case-messages").scrollIntoViewIfNeeded();
    await screenshot(mexLiaison, "federation-06e-case-messages");

    // The message now lists the case as linked, opened from it.
    await mexLiaison.goto(messageUrl);
    const link = mexLiaison.locator(`[data-testid="message-link"][data-case-id="${openedCaseId}"]`);
    await link.waitFor();
    expect(await mexLiaison.getByTestId("message-link").count()).toBe(1);
    expect(await link.textContent()).toContain(openedReference);
    expect(await link.textContent()).toContain("Opened from this message");
    expect(await link.locator("a").getAttribute("href")).toBe(`/cases/${openedCaseId}`);
    // Linked already: the picker does not offer it again.
    await mexLiaison.getByTestId("link-case-start").click();
    // Once the officer's cases are read, the only one is linked already: none to offer.
    await expect
      .poll(() => mexLiaison.getByTestId("link-case-picker").textContent())
      .toContain("they are all linked already");
    await expect
      .poll(() => mexLiaison.getByTestId("link-case-search").evaluate((e) => e === document.activeElement))
      .toBe(true);
    expect(
      await mexLiaison.locator(`[data-testid="link-case-select"] option[value="${openedCaseId}"]`).count(),
    ).toBe(0);
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-06e-message-linked");

    // In Arabic, right to left.
    await mexLiaison.getByTestId("language-select").selectOption("ar");
    await mexLiaison.waitForFunction(() => document.documentElement.dir === "rtl");
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-07-message-arabic");
    await mexLiaison.getByTestId("nav-exchange").click();
    await row.waitFor();
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-08-inbox-arabic");
    await mexLiaison.getByTestId("language-select").selectOption("en");
    await mexLiaison.waitForFunction(() => document.documentElement.dir === "ltr");

    // On COL's side the message was delivered, with its signed receipt.
    await colLiaison.getByTestId("compose-follow").click();
    await colLiaison
      .locator('[data-testid="outbox-row"][data-type="notice.abducted-person"][data-status="processed"]')
      .waitFor({ timeout: 10_000 });
    await expectAccessible(colLiaison);
  });

  it("a modus-operandi notice goes to every active peer", async () => {
    await colLiaison.getByTestId("exchange-tab-compose").click();
    await colLiaison.getByTestId("compose-type").selectOption("notice.wanted-person");
    await colLiaison.getByTestId("compose-person").waitFor();
    await expectAccessible(colLiaison);
    await colLiaison.getByTestId("compose-type").selectOption("notice.modus-operandi");
    await colLiaison.getByTestId("compose-to-all").check();
    await colLiaison
      .getByTestId("compose-summary")
      .fill(
        "Synthetic: express kidnappings by fake taxi drivers at night, victims driven between cash machines.",
      );
    await colLiaison.getByTestId("compose-typology").selectOption("express");
    await colLiaison
      .getByTestId("compose-indicators")
      .fill(
        "Taxi hailed in the street after 22:00\nTwo accomplices board at a red light\nWithdrawals at several cash machines within an hour",
      );
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-08a-compose-modus-operandi");
    await colLiaison.getByTestId("compose-submit").click();
    await colLiaison.getByTestId("compose-follow").waitFor();

    const alert = mexLiaison.locator('[data-testid="urgent-alert-item"][data-type="notice.modus-operandi"]');
    await alert.waitFor({ timeout: 5_000 });
    await alert.getByTestId("urgent-alert-open").click();
    await mexLiaison.locator('[data-testid="message-page"][data-type="notice.modus-operandi"]').waitFor();
    expect(await mexLiaison.getByTestId("message-body").textContent()).toContain("Express kidnapping");
    expect(await mexLiaison.getByTestId("message-indicators").locator("li").count()).toBe(3);
    // Neither abducted-person nor a case to open from it: no such offer on a modus-operandi notice.
    expect(await mexLiaison.getByTestId("message-open-case").count()).toBe(0);

    // The officer links it to the case opened from the first notice, with the case picker.
    await mexLiaison.getByTestId("message-links-none").waitFor();
    await mexLiaison.getByTestId("link-case-start").click();
    await mexLiaison.getByTestId("link-case-submit").click(); // nothing chosen: said at the field
    await expect
      .poll(() => mexLiaison.getByTestId("link-case-select").getAttribute("aria-invalid"))
      .toBe("true");
    // The search narrows the officer's cases by reference or title (accents and case aside).
    await mexLiaison.getByTestId("link-case-search").fill("no such case anywhere");
    expect(await mexLiaison.locator('[data-testid="link-case-select"] option').count()).toBe(1);
    await mexLiaison.getByTestId("link-case-search").fill("BUS TERMINAL");
    await mexLiaison.locator(`[data-testid="link-case-select"] option[value="${openedCaseId}"]`).waitFor({
      state: "attached",
    });
    await mexLiaison.getByTestId("link-case-select").selectOption(openedCaseId);
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-08b-link-picker");
    await mexLiaison.getByTestId("link-case-submit").click();
    const link = mexLiaison.locator(`[data-testid="message-link"][data-case-id="${openedCaseId}"]`);
    await link.waitFor();
    expect(await link.textContent()).toContain(openedReference);
    expect(await link.textContent()).not.toContain("Opened from this message");
    expect(await mexLiaison.getByTestId("message-links").textContent()).toContain(
      `Linked to the case ${openedReference}.`,
    );
    // The picker closes; the officer may link another.
    expect(await mexLiaison.getByTestId("link-case-picker").count()).toBe(0);
    await mexLiaison.getByTestId("link-case-start").waitFor();
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-08c-notice-linked");
    // The link leads to the case.
    await link.locator("a").click();
    await mexLiaison.waitForURL(`**/cases/${openedCaseId}`);
    expect(await mexLiaison.getByTestId("case-reference").textContent()).toBe(openedReference);
  });

  it("a request for information is answered in its thread", async () => {
    await colLiaison.getByTestId("exchange-tab-compose").click();
    await colLiaison.getByTestId("compose-type").selectOption("info-request");
    // MEX is now among the nodes this node has exchanged with.
    await colLiaison.getByTestId("compose-to-chosen").check();
    await colLiaison.getByTestId("compose-to-MEX").check();
    await colLiaison
      .getByTestId("compose-question")
      .fill("Do you hold any record of the phone number +57 301 555 0142 in a kidnapping case since 2025?");
    await colLiaison.getByTestId("compose-urgency").selectOption("urgent");
    // TLP:RED goes to named people only: the node asks for them.
    await colLiaison.getByTestId("compose-tlp").selectOption("red");
    await colLiaison.getByTestId("compose-submit").click();
    await expect
      .poll(() => colLiaison.getByTestId("compose-named-recipients").getAttribute("aria-invalid"))
      .toBe("true");
    expect(await colLiaison.getByTestId("compose-recipients").textContent()).not.toContain("TLP:RED needs");
    expect(await colLiaison.locator("main").textContent()).toContain(
      "TLP:RED needs the user names, at the receiving node, of the people it is for.",
    );
    await colLiaison.getByTestId("compose-named-recipients").fill("e2e.mex.liaison");
    // H3: other restrictions, which the node asks for in words.
    await colLiaison.getByTestId("compose-handling-H3").check();
    await colLiaison.getByTestId("compose-submit").click();
    await expect
      .poll(() => colLiaison.getByTestId("compose-restrictions").getAttribute("aria-invalid"))
      .toBe("true");
    await colLiaison
      .getByTestId("compose-restrictions")
      .fill("Do not contact the telephone operator before speaking to our desk.");
    await colLiaison.getByTestId("compose-submit").click();
    await colLiaison.getByTestId("compose-follow").waitFor();

    // Urgent: MEX's officer is alerted again, opens it and replies.
    const alert = mexLiaison.locator('[data-testid="urgent-alert-item"][data-type="info-request"]');
    await alert.waitFor({ timeout: 5_000 });
    await alert.getByTestId("urgent-alert-open").click();
    await mexLiaison.locator('[data-testid="message-page"][data-type="info-request"]').waitFor();
    expect(await mexLiaison.getByTestId("message-body").textContent()).toContain("Urgent");
    expect(await mexLiaison.getByTestId("message-tlp").getAttribute("data-tlp")).toBe("red");
    expect(await mexLiaison.getByTestId("message-named-recipients").textContent()).toBe("e2e.mex.liaison");
    expect(await mexLiaison.getByTestId("forward-blocked").textContent()).toContain("H3");
    expect(await mexLiaison.getByTestId("message-restrictions").textContent()).toBe(
      "Do not contact the telephone operator before speaking to our desk.",
    );
    expect(await mexLiaison.getByTestId("reply-restrictions").inputValue()).toBe(
      "Do not contact the telephone operator before speaking to our desk.",
    );
    // The reply keeps the request's marking: TLP:RED, for the asking officer at COL.
    expect(await mexLiaison.getByTestId("reply-tlp").inputValue()).toBe("red");
    await mexLiaison.getByTestId("reply-submit").click();
    await expect.poll(() => mexLiaison.getByTestId("reply-answer").getAttribute("aria-invalid")).toBe("true");
    await mexLiaison
      .getByTestId("reply-answer")
      .fill("No record of that number. We have alerted our anti-kidnapping unit in Tapachula.");
    await mexLiaison.getByTestId("reply-named-recipients").fill("e2e.col.liaison");
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-09a-request-reply");
    await mexLiaison.getByTestId("reply-submit").click();
    await mexLiaison.locator('[data-testid="thread-item"][data-dir="out"][data-type="info-reply"]').waitFor();

    // COL receives the reply (not urgent: no banner) and reads it with its request in the thread.
    await colLiaison.getByTestId("exchange-tab-inbox").click();
    const reply = colLiaison.locator('[data-testid="inbox-row"][data-type="info-reply"]');
    await reply.waitFor({ timeout: 10_000 });
    expect(await colLiaison.getByTestId("urgent-alert").count()).toBe(0);
    await reply.getByTestId("inbox-open").click();
    await colLiaison.locator('[data-testid="message-page"][data-type="info-reply"]').waitFor();
    expect(await colLiaison.getByTestId("message-summary").textContent()).toContain(
      "No record of that number",
    );
    await colLiaison
      .locator('[data-testid="thread-item"][data-dir="out"][data-type="info-request"]')
      .waitFor();
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-09-reply-thread");
  });

  it("a message to a peer that suspended us becomes a dead letter, sent again once approved", async () => {
    // MEX's administrator suspends COL, with a reason.
    await mexAdmin.getByTestId("peer-suspend-COL").click();
    await mexAdmin
      .getByTestId("peer-suspend-reason")
      .fill("Synthetic: keys under review after a reported incident.");
    await mexAdmin.getByTestId("peer-suspend-submit").click();
    await mexAdmin.locator('[data-testid="peer-row-COL"][data-status="suspended"]').waitFor();
    await expectAccessible(mexAdmin);
    await screenshot(mexAdmin, "federation-10-peer-suspended");

    // COL sends a ransom watch: MEX refuses it without a receipt, so COL keeps trying, then gives up.
    await colLiaison.getByTestId("nav-exchange").click();
    await colLiaison.getByTestId("exchange-tab-compose").click();
    await colLiaison.getByTestId("compose-type").selectOption("notice.ransom-watch");
    await colLiaison.getByTestId("compose-to-MEX").check();
    await colLiaison
      .getByTestId("compose-summary")
      .fill("Synthetic: ransom paid in cash on 20 November; watch for these notes, accounts and wallets.");
    await colLiaison.getByTestId("compose-banknote-currency-0").fill("usd");
    await colLiaison.getByTestId("compose-banknote-from-0").fill("PB00000001A");
    await colLiaison.getByTestId("compose-banknote-to-0").fill("PB00000500A");
    await colLiaison.getByTestId("compose-banknote-add").click();
    await colLiaison.getByTestId("compose-banknote-currency-1").fill("EUR");
    await colLiaison.getByTestId("compose-banknote-from-1").fill("X12000000001");
    await colLiaison.getByTestId("compose-banknote-to-1").fill("X12000000250");
    await colLiaison.getByTestId("compose-accounts").fill("DE89 3704 0044 0532 0130 00\nMX12 3456 7890");
    await colLiaison.getByTestId("compose-wallet-asset-0").fill("ETH");
    await colLiaison
      .getByTestId("compose-wallet-address-0")
      .fill("0x52908400098527886E0F7030069857D2E4169EE7");
    await colLiaison.getByTestId("compose-phones").fill("+57 301 555 0142\n+52 55 5555 0100");
    await colLiaison.getByTestId("compose-tlp").selectOption("green");
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-10a-compose-ransom-watch");
    await colLiaison.getByTestId("compose-submit").click();
    await colLiaison.getByTestId("compose-follow").waitFor();

    await colLiaison.getByTestId("exchange-tab-dead").click();
    const dead = colLiaison.locator('[data-testid="outbox-row"][data-type="notice.ransom-watch"]');
    await expect
      .poll(
        async () => {
          await colLiaison.getByTestId("outbox-refresh").click();
          return dead.count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await dead.getAttribute("data-status")).toBe("dead");
    expect(await dead.getByTestId("outbox-error").textContent()).toContain("without a receipt");
    expect(Number((await dead.textContent())?.match(/Failed attempts: (\d+)/)?.[1])).toBeGreaterThan(0);
    const deadId = (await dead.getAttribute("data-id")) ?? "";
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-11-dead-letters");

    // MEX's administrator approves COL again, after comparing the fingerprint anew; COL sends it again.
    await mexAdmin.getByTestId("peer-approve-COL").click();
    await mexAdmin.getByTestId("peer-approve-fingerprint").fill(colFingerprint);
    await mexAdmin.getByTestId("peer-approve-submit").click();
    await mexAdmin.locator('[data-testid="peer-row-COL"][data-status="active"]').waitFor();
    await dead.getByTestId("outbox-retry").click();
    await expect.poll(() => dead.count()).toBe(0);
    await colLiaison.getByTestId("exchange-tab-outbox").click();
    await colLiaison
      .locator(`[data-testid="outbox-row"][data-id="${deadId}"][data-status="processed"]`)
      .waitFor({ timeout: 10_000 });
    await expectAccessible(colLiaison);
    await screenshot(colLiaison, "federation-11a-sent");

    // It arrives at MEX: the ransom watch, readable.
    const alert = mexLiaison.locator('[data-testid="urgent-alert-item"][data-type="notice.ransom-watch"]');
    await alert.waitFor({ timeout: 10_000 });
    await alert.getByTestId("urgent-alert-open").click();
    await mexLiaison.locator('[data-testid="message-page"][data-type="notice.ransom-watch"]').waitFor();
    const banknotes = (await mexLiaison.getByTestId("message-banknotes").textContent()) ?? "";
    expect(banknotes).toContain("PB00000001A");
    expect(banknotes).toContain("X12000000250");
    expect(banknotes).toContain("USD");
    expect(await mexLiaison.getByTestId("message-accounts").textContent()).toContain(
      "DE89370400440532013000",
    );
    expect(await mexLiaison.getByTestId("message-wallets").textContent()).toContain(
      "0x52908400098527886E0F7030069857D2E4169EE7",
    );
    expect(await mexLiaison.getByTestId("message-phones").textContent()).toContain("+52 55 5555 0100");
    // TLP:GREEN without H2 or H3: the node may pass it on — but COL sent it and is MEX's only peer.
    await mexLiaison.getByTestId("forward-no-partners").waitFor();
    expect(await mexLiaison.getByTestId("forward-blocked").count()).toBe(0);
    await expectAccessible(mexLiaison);
    await screenshot(mexLiaison, "federation-12-ransom-watch");

    for (const p of [colAdmin, mexAdmin, colLiaison, mexLiaison]) await p.context().close();
  });
});
