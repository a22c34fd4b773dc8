/**
 * Cases in the web app, in Debian's Chromium: an investigator opens a case with
 * the live classification preview, finds a crisis manager by name and puts them
 * on its crisis team, records the victim through the Persons form (refused
 * fields said at the inputs), records a ransom demand that the crisis manager's
 * open page receives live (Server-Sent Events, no reload), records the rescue
 * operation and resolves the case as rescued. Then the rest of the case file:
 * a suspect, a charge taken to conviction, a group, a vehicle and a wallet, an
 * attachment whose SHA-256 is shown and checked on download (and one too large
 * for the node), the case list's filters and search, and the statistics page.
 * An investigator outside the team gets "not found". axe-core checks and
 * screenshots (English and Arabic) are kept in test-results/e2e.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/capabilities/accounts/users.ts";
import type { Role } from "../../src/domain/roles.ts";
import { newTotpSecret, totpNow } from "../../src/platform/auth/crypto.ts";
import { systemActor } from "../../src/platform/context.ts";
import {
  ARTIFACTS,
  type E2eNode,
  expectAccessible,
  launchBrowser,
  newPage,
  screenshot,
  startE2eNode,
} from "./browser.ts";

let browser: Browser;
let e2e: E2eNode;
const ATTACHMENT_LIMIT = 64 * 1024;

beforeAll(async () => {
  browser = await launchBrowser();
  // A small attachment limit, so that the test can send a file that is too large.
  e2e = await startE2eNode({ ARIADNE_ATTACHMENT_MAX_BYTES: ATTACHMENT_LIMIT });
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

async function signIn(page: Page, who: Account): Promise<void> {
  await page.goto(e2e.url);
  await page.getByTestId("login-username").fill(who.username);
  await page.getByTestId("login-password").fill(who.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("totp-code").fill(totpNow(who.totpSecret));
  await page.getByTestId("totp-submit").click();
  await page.getByTestId("nav").waitFor();
}

/** The lead finds a colleague by part of their name and puts them on the team in a role. */
async function addToTeam(page: Page, who: Account, role: "crisis_team" | "member"): Promise<void> {
  await page.getByTestId("team-search").fill(who.username.slice(0, 6));
  await page.getByTestId(`colleague-option-${who.username}`).click();
  await page.getByTestId("team-picked").waitFor();
  await page.getByTestId("team-add-role").selectOption(role);
  await page.getByTestId("team-add-submit").click();
  const row = page.getByTestId(`team-row-${who.username}`);
  await row.waitFor();
  expect(await row.getAttribute("data-role")).toBe(role);
}

/** Opens a folded add form (a <details>) if it is closed. */
async function openForm(page: Page, testId: string): Promise<void> {
  const details = page.getByTestId(testId);
  if ((await details.getAttribute("open")) === null) await page.getByTestId(`${testId}-toggle`).click();
}

describe("cases in the web app", () => {
  it("opens a case, works it as a crisis team with a live log, and resolves it", async () => {
    const investigator = await account("e2e.investigator", ["investigator"]);
    const manager = await account("e2e.crisis", ["crisis_manager"]);
    const member = await account("e2e.member", ["analyst"]);
    const outsider = await account("e2e.outsider", ["investigator"]);

    // The investigator opens a case: ransom, an adult, taken away.
    const inv = await newPage(browser);
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

    // The lead finds the crisis manager by name and puts them on the crisis team; then an analyst as a member.
    await inv.getByTestId("team-search").fill("e2e.c");
    await inv.getByTestId(`colleague-option-${manager.username}`).waitFor();
    await screenshot(inv, "cases-01a-team-search");
    // Colleagues already on the team cannot be picked again (the lead is one).
    await inv.getByTestId("team-search").fill("e2e.inv");
    expect(await inv.getByTestId(`colleague-option-${investigator.username}`).isDisabled()).toBe(true);
    await expectAccessible(inv);
    await addToTeam(inv, manager, "crisis_team");
    await addToTeam(inv, member, "member");

    // The victim, through the Persons form. Refused fields are said at their inputs first.
    await openForm(inv, "person-add");
    await inv.getByTestId("person-role").selectOption("victim");
    await inv.getByTestId("person-given").fill("Andrés Felipe");
    await inv.getByTestId("person-family").fill("Restrepo Gómez");
    await inv.getByTestId("person-phone").fill("301 555 0142"); // a national number without its region
    await inv.getByTestId("person-iban").fill("DE89 3704 0044 0532 0130 01"); // a wrong check digit
    await inv.getByTestId("person-submit").click();
    await inv.getByTestId("person-add").getByTestId("error-message").waitFor();
    expect(await inv.getByTestId("person-phone").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(inv);
    await screenshot(inv, "cases-01b-person-refused");
    await inv.getByTestId("person-phone-region").fill("co");
    await inv.getByTestId("person-submit").click();
    // The IBAN is checked once the phone passes.
    await expect.poll(() => inv.getByTestId("person-iban").getAttribute("aria-invalid")).toBe("true");
    expect(await inv.getByTestId("person-phone").getAttribute("aria-invalid")).toBe(null);
    expect(await inv.getByTestId("person-add").textContent()).toContain("check digits are wrong");
    await inv.getByTestId("person-iban").fill("DE89 3704 0044 0532 0130 00");
    await inv.getByTestId("person-other-given").fill("أندريس فيليبي");
    await inv.getByTestId("person-other-family").fill("ريستريبو");
    await inv.getByTestId("person-other-script").selectOption("arabic");
    await inv.getByTestId("person-dob").fill("1984-03-12");
    await inv.getByTestId("person-sex").selectOption("male");
    await inv.getByTestId("person-nationalities").fill("COL, ESP");
    await inv.getByTestId("person-document-type").selectOption("passport");
    await inv.getByTestId("person-document-country").fill("COL");
    await inv.getByTestId("person-document-number").fill("AV123456");
    await inv.getByTestId("person-submit").click();
    const victimRow = inv.locator('[data-testid="person-row"][data-role="victim"]');
    await victimRow.waitFor();
    const victimText = (await victimRow.textContent()) ?? "";
    expect(victimText).toContain("Andrés Felipe Restrepo Gómez");
    expect(victimText).toContain("أندريس فيليبي ريستريبو");
    expect(victimText).toContain("+573015550142"); // normalised to E.164
    expect(victimText).toContain("DE89 3704 0044 0532 0130 00");
    expect(victimText).toContain("AV123456");
    expect(await inv.getByTestId("person-phone").inputValue()).toBe("");

    // The crisis manager, in another browser, opens the same case and follows the log live.
    const crisis = await newPage(browser);
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

    // The lead moves the case to active crisis, records the rescue operation, then resolves it: rescued.
    await inv.getByTestId("case-transition-to").selectOption("active_crisis");
    await inv.getByTestId("case-transition-submit").click();
    await inv.locator('[data-testid="case-status"][data-status="active_crisis"]').waitFor();
    await openForm(inv, "rescue-add");
    await inv.getByTestId("rescue-started-at").fill("2026-11-21T04:30");
    await inv.getByTestId("rescue-ended-at").fill("2026-11-21T03:00"); // before it started
    await inv.getByTestId("rescue-unit").fill("GAULA Antioquia");
    await inv.getByTestId("rescue-place").fill("Rural house near Guarne");
    await inv.getByTestId("rescue-result").selectOption("victims_freed");
    await inv.getByTestId("rescue-suspects-arrested").fill("2");
    await inv
      .getByTestId("rescue-summary")
      .fill("Dawn entry after the location was confirmed; the victim was freed unharmed.");
    await inv.getByTestId("rescue-submit").click();
    await expect.poll(() => inv.getByTestId("rescue-ended-at").getAttribute("aria-invalid")).toBe("true");
    await inv.getByTestId("rescue-ended-at").fill("2026-11-21T06:10");
    await inv.getByTestId("rescue-submit").click();
    const rescue = inv.getByTestId("rescue-item").first();
    await rescue.waitFor();
    expect(await rescue.getAttribute("data-result")).toBe("victims_freed");
    expect(await rescue.textContent()).toContain("GAULA Antioquia");
    await inv.getByTestId("case-transition-to").selectOption("resolved");
    await inv.getByTestId("case-transition-outcome").selectOption("rescued");
    expect(await inv.getByTestId("case-transition-reason").count()).toBe(0);
    await inv.getByTestId("case-transition-submit").click();
    await inv.locator('[data-testid="case-status"][data-status="resolved"]').waitFor();
    expect(await inv.getByTestId("case-outcome").textContent()).toBe("Rescued");
    expect(await inv.getByTestId("rescue-outcome").textContent()).toContain("Rescued");
    await expectAccessible(inv);
    await screenshot(inv, "cases-03-case-resolved");

    // Prosecution: a suspect, a charge, then the charge taken to judgment (a verdict is required there).
    await inv.getByTestId("person-role").selectOption("suspect");
    await inv.getByTestId("person-given").fill("Jhon Jairo");
    await inv.getByTestId("person-family").fill("Ospina");
    await inv.getByTestId("person-age-min").fill("30");
    await inv.getByTestId("person-age-max").fill("40");
    await inv.getByTestId("person-submit").click();
    await inv.locator('[data-testid="person-row"][data-role="suspect"]').waitFor();
    await openForm(inv, "charge-add");
    await inv.getByTestId("charge-offence").fill("Kidnapping for ransom");
    await inv.getByTestId("charge-provision").fill("Código Penal art. 169");
    await inv.getByTestId("charge-person").selectOption({ label: "Jhon Jairo Ospina (Suspect)" });
    await inv.getByTestId("charge-court").fill("Juzgado Penal del Circuito Especializado de Medellín");
    await inv.getByTestId("charge-stage").selectOption("indicted");
    await inv.getByTestId("charge-submit").click();
    const charge = inv.getByTestId("charge-row").first();
    await charge.waitFor();
    expect(await charge.getAttribute("data-stage")).toBe("indicted");
    expect(await charge.textContent()).toContain("Jhon Jairo Ospina");
    await charge.getByTestId("charge-edit").click();
    await inv.getByTestId("charge-edit-stage").selectOption("judgment");
    await inv.getByTestId("charge-edit-submit").click();
    await expect.poll(() => inv.getByTestId("charge-edit-verdict").getAttribute("aria-invalid")).toBe("true");
    expect(await inv.getByTestId("charge-edit-form").textContent()).toContain("Give the verdict");
    await expectAccessible(inv);
    await inv
      .getByTestId("charge-edit-form")
      .screenshot({ path: `${ARTIFACTS}/cases-03a-charge-refused.png` });
    await inv.getByTestId("charge-edit-verdict").selectOption("convicted");
    await inv.getByTestId("charge-edit-verdict-date").fill("2026-11-21");
    await inv.getByTestId("charge-edit-months").fill("480");
    await inv.getByTestId("charge-edit-submit").click();
    await inv.locator('[data-testid="charge-row"][data-verdict="convicted"]').waitFor();
    expect(await charge.getAttribute("data-stage")).toBe("judgment");
    expect(await charge.textContent()).toContain("Custody: 480 months");
    expect(await inv.getByTestId("charge-edit-form").count()).toBe(0);

    // Groups, vehicles and selectors.
    await openForm(inv, "group-add");
    await inv.getByTestId("group-name").fill("Los del Valle");
    await inv.getByTestId("group-aliases").fill("LDV, La Empresa");
    await inv.getByTestId("group-countries").fill("col, ven");
    await inv.getByTestId("group-submit").click();
    expect(await inv.getByTestId("group-item").first().textContent()).toContain("La Empresa");
    await openForm(inv, "vehicle-add");
    await inv.getByTestId("vehicle-plate-country").fill("COL");
    await inv.getByTestId("vehicle-submit").click(); // neither plate, make nor description
    await expect.poll(() => inv.getByTestId("vehicle-plate").getAttribute("aria-invalid")).toBe("true");
    await inv.getByTestId("vehicle-plate").fill("KZT-418");
    await inv.getByTestId("vehicle-make").fill("Toyota");
    await inv.getByTestId("vehicle-colour").fill("White");
    await inv.getByTestId("vehicle-use").selectOption("abduction");
    await inv.getByTestId("vehicle-submit").click();
    expect(await inv.getByTestId("vehicle-item").first().textContent()).toContain("KZT-418");
    await openForm(inv, "selector-add");
    await inv.getByTestId("selector-kind").selectOption("crypto_wallet");
    await inv.getByTestId("selector-asset").selectOption("ETH");
    await inv.getByTestId("selector-value").fill("0x52908400098527886E0F7030069857D2E4169Ee7"); // a wrong EIP-55 checksum
    await inv.getByTestId("selector-submit").click();
    await expect.poll(() => inv.getByTestId("selector-value").getAttribute("aria-invalid")).toBe("true");
    await inv.getByTestId("selector-value").fill("0x52908400098527886e0f7030069857d2e4169ee7");
    await inv.getByTestId("selector-person").selectOption({ label: "Jhon Jairo Ospina (Suspect)" });
    await inv.getByTestId("selector-submit").click();
    const wallet = inv.locator('[data-testid="selector-item"][data-kind="crypto_wallet"]');
    await wallet.waitFor();
    // Kept with its EIP-55 checksum, whatever case it was typed in.
    expect(await wallet.textContent()).toContain("0x52908400098527886E0F7030069857D2E4169EE7");

    // An attachment: its SHA-256 is shown, and the downloaded copy has the same.
    const note = Buffer.from("Synthetic ransom note, transcribed for the e2e test.\n", "utf8");
    const sha = createHash("sha256").update(note).digest("hex");
    await openForm(inv, "attachment-add");
    await inv
      .getByTestId("attachment-file")
      .setInputFiles({ name: "nota rescate.txt", mimeType: "text/plain", buffer: note });
    await inv.getByTestId("attachment-description").fill("Transcription of the note left at the scene");
    await inv.getByTestId("attachment-submit").click();
    const attachment = inv.getByTestId("attachment-row").first();
    await attachment.waitFor();
    expect(await attachment.getAttribute("data-sha256")).toBe(sha);
    expect(await attachment.getByTestId("attachment-sha256").textContent()).toBe(`${sha.slice(0, 16)}…`);
    expect(await attachment.getByTestId("attachment-sha256").getAttribute("title")).toBe(sha);
    const [download] = await Promise.all([
      inv.waitForEvent("download"),
      attachment.getByTestId("attachment-download").click(),
    ]);
    expect(download.suggestedFilename()).toBe("nota rescate.txt");
    const saved = await download.path();
    expect(createHash("sha256").update(readFileSync(saved)).digest("hex")).toBe(sha);
    // A file larger than the node accepts: the node's refusal is said at the file input.
    await inv.getByTestId("attachment-file").setInputFiles({
      name: "too-large.bin",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(ATTACHMENT_LIMIT + 1024, 1),
    });
    await inv.getByTestId("attachment-submit").click();
    await inv.getByTestId("attachment-file-error").waitFor();
    expect(await inv.getByTestId("attachment-file-error").textContent()).toContain(
      "larger than this node accepts",
    );
    expect(await inv.getByTestId("attachment-file").getAttribute("aria-invalid")).toBe("true");
    expect(await inv.getByTestId("attachment-row").count()).toBe(1);
    await expectAccessible(inv);
    await screenshot(inv, "cases-03b-case-records");

    // The list of my cases, its filters, and the search (by plate, within the filters).
    await inv.getByTestId("nav-cases").click();
    const row = inv.getByTestId(`case-row-${reference}`);
    await row.waitFor();
    expect(await row.textContent()).toContain("Resolved");
    expect(await row.textContent()).toContain("020221");
    await inv.getByTestId("cases-filter-status").selectOption("resolved");
    await inv.getByTestId("cases-filter-type").selectOption("ransom");
    await inv.getByTestId("cases-filter-iccs").selectOption("020221");
    await inv.getByTestId("cases-filter-region").fill("Antioquia");
    await inv.getByTestId("cases-filter-submit").click();
    await inv.waitForURL(/status=resolved/);
    await row.waitFor();
    await inv.getByTestId("cases-filter-status").selectOption("closed");
    await inv.getByTestId("cases-filter-submit").click();
    await inv.waitForURL(/status=closed/);
    await expect.poll(() => row.count()).toBe(0);
    await inv.getByTestId("cases-filter-country").fill("co");
    await inv.getByTestId("cases-filter-submit").click();
    await expect
      .poll(() => inv.getByTestId("cases-filter-country").getAttribute("aria-invalid"))
      .toBe("true");
    await inv.getByTestId("cases-filter-country").fill("COL");
    await inv.getByTestId("cases-filter-status").selectOption("resolved");
    await inv.getByTestId("cases-filter-from").fill("2026-01-01");
    await inv.getByTestId("cases-search").fill("kzt 418");
    await inv.getByTestId("cases-filter-submit").click();
    const hit = inv.getByTestId(`search-hit-${reference}`);
    await hit.waitFor();
    expect(await hit.getByTestId("search-matched-on").getAttribute("data-matched")).toBe("plate");
    expect(await hit.textContent()).toContain("Vehicle plate");
    await expectAccessible(inv);
    await screenshot(inv, "cases-04-case-list");
    await inv.getByTestId("cases-search").fill("Restrepo Gomes"); // a typo, without the accent
    await inv.getByTestId("cases-filter-submit").click();
    await expect.poll(() => hit.getByTestId("search-matched-on").getAttribute("data-matched")).toBe("person");
    expect(await hit.textContent()).toContain("Andrés Felipe Restrepo Gómez");
    await inv.getByTestId("cases-filter-clear").click();
    await row.waitFor();

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
    const other = await newPage(browser);
    await signIn(other, outsider);
    await other.goto(caseUrl);
    await other.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    expect(await other.getByTestId("case-status").count()).toBe(0);
    await other.getByTestId("nav-cases").click();
    await other.getByTestId("cases-table").waitFor();
    expect(await other.getByTestId(`case-row-${reference}`).count()).toBe(0);
    await expectAccessible(other);

    // A plain member sees the case, but neither the crisis log nor the forms of the crisis team.
    const plain = await newPage(browser);
    await signIn(plain, member);
    await plain.goto(caseUrl);
    await plain.getByTestId("case-status").waitFor();
    await plain.getByTestId("team-table").waitFor();
    expect(await plain.getByTestId("crisis-log").count()).toBe(0);
    expect(await plain.getByTestId("crisis-live").count()).toBe(0);
    expect(await plain.getByTestId("case-transition-to").count()).toBe(0);
    expect(await plain.getByTestId("team-search").count()).toBe(0);
    // …the case file (persons, records, attachments), but not the crisis team's rescue form.
    await plain.locator('[data-testid="person-row"][data-role="victim"]').waitFor();
    await plain.getByTestId("attachment-row").waitFor();
    expect(await plain.getByTestId("rescue-item").count()).toBe(1);
    expect(await plain.getByTestId("rescue-add").count()).toBe(0);
    // An analyst reads the charges; prosecutors and the lead write them (the case-role table).
    expect(await plain.getByTestId("charge-row").count()).toBe(1);
    expect(await plain.getByTestId("charge-add").count()).toBe(0);
    expect(await plain.getByTestId("charge-edit").count()).toBe(0);
    await expectAccessible(plain);
    await screenshot(plain, "cases-07-case-member");

    // The analyst also reads the anonymised statistics of the node; the investigator has no such page.
    await plain.getByTestId("nav-statistics").click();
    await plain.getByTestId("stats-total").waitFor();
    await expect
      .poll(async () => (await plain.getByTestId("stats-total").textContent()) ?? "")
      .toContain("Cases: 1");
    // The case counts in the year it was recorded: this year.
    const year = new Date().getUTCFullYear();
    expect(await plain.getByTestId("stats-by-year").textContent()).toContain(String(year));
    expect(await plain.getByTestId("stats-outcome").textContent()).toContain("Rescued");
    expect(await plain.getByTestId("stats-by-region").textContent()).toContain("Antioquia");
    await plain.getByTestId("stats-from").fill(String(year + 4));
    await plain.getByTestId("stats-submit").click();
    await expect
      .poll(async () => (await plain.getByTestId("stats-total").textContent()) ?? "")
      .toContain("Cases: 0");
    await plain.getByTestId("stats-to").fill(String(year - 6));
    await plain.getByTestId("stats-submit").click();
    await expect.poll(() => plain.getByTestId("stats-from").getAttribute("aria-invalid")).toBe("true");
    await plain.getByTestId("stats-from").fill(String(year - 1));
    await plain.getByTestId("stats-to").fill(String(year));
    await plain.getByTestId("stats-submit").click();
    await expect
      .poll(async () => (await plain.getByTestId("stats-total").textContent()) ?? "")
      .toContain("Cases: 1");
    await expectAccessible(plain);
    await screenshot(plain, "cases-08-statistics");
    expect(await inv.getByTestId("nav-statistics").count()).toBe(0);

    await inv.context().close();
    await crisis.context().close();
    await other.context().close();
    await plain.context().close();
  });
});
