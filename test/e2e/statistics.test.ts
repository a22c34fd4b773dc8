/**
 * The national annual return and the global report in the web app, in Debian's
 * Chromium, between two peered nodes on loopback: COL and the Secretariat
 * (UNODC), which holds the historical UNODC series. At COL an investigator
 * records three synthetic cases with victims; COL's statistics focal point opens
 * the current year's return, reviews its tables, finds the submission blocked
 * until the questionnaire is answered (and is refused an empty questionnaire at
 * its inputs), answers it, submits, and watches the Secretariat's
 * acknowledgement arrive without a reload. At UNODC the statistics focal point
 * opens the global report from 2003 to the current year and finds COL among the
 * returns received, with its legal situation, and the current year counting one
 * reporting country; the PDF link names the period. axe-core checks every page
 * (the return also in Arabic); screenshots are kept in test-results/e2e.
 */
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../../src/engines/statistics/import/index.ts";
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

const year = new Date().getFullYear();
const UNODC_FILE = resolve(import.meta.dirname, "../../reference-data/unodc_cts_kidnapping.csv");

let browser: Browser;
let col: E2eNode;
let unodc: E2eNode;
let focal: Page;
let returnId = "";

beforeAll(async () => {
  browser = await launchBrowser();
  col = await startE2ePeer("COL", { ARIADNE_FEDERATION_RETRY_BASE_MS: 100 });
  unodc = await startE2ePeer("UNODC", { ARIADNE_FEDERATION_RETRY_BASE_MS: 100 });
  const report = await peerSandbox([col.node, unodc.node]);
  expect(report.changed).toEqual(["COL → UNODC", "UNODC → COL"]);
  const imported = await importFile(unodc.node.db, "unodc-cts", UNODC_FILE, { importedBy: "e2e" });
  expect(imported.observations).toBeGreaterThan(1000);
});
afterAll(async () => {
  await browser?.close();
  await col?.close();
  await unodc?.close();
});

const ELEMENTS = { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" };

describe("the annual return and the global report in the web app", () => {
  it("a COL investigator records three cases with four victims", async () => {
    const investigator = await signedInPerson(browser, col, "e2e.col.investigator", ["investigator"]);
    const victims = [2, 1, 1];
    for (const [n, count] of victims.entries()) {
      const kase = await apiCall<{ id: string }>(investigator, "POST", "/api/cases", {
        title: `Secuestro sintético ${n + 1} para el informe anual`,
        place: { country: "COL", region: n === 0 ? "Antioquia" : "Valle del Cauca" },
        elements: ELEMENTS,
      });
      for (let i = 0; i < count; i++) {
        await apiCall(investigator, "POST", `/api/cases/${kase.id}/persons`, {
          role: "victim",
          names: [{ given: `Víctima${n}${i}`, family: "Sintética" }],
          sex: i % 2 ? "female" : "male",
          nationalities: ["COL"],
        });
      }
    }
    await investigator.context().close();
  });

  it("COL's focal point opens the year and reviews the tables; the questionnaire blocks the submission", async () => {
    focal = await signedInPerson(browser, col, "e2e.col.focal", ["statistics_focal_point"]);
    const page = focal;
    await page.getByTestId("nav-returns").click();
    await page.getByRole("heading", { level: 1, name: "Annual return" }).waitFor();
    expect(await page.getByTestId("return-open-year").inputValue()).toBe(String(year));
    await expectAccessible(page);
    await screenshot(page, "statistics-01-returns-empty");

    await page.getByTestId("return-open-submit").click();
    await page.getByRole("heading", { level: 1, name: `Annual return ${year}` }).waitFor();
    returnId = new URL(page.url()).pathname.split("/").pop() ?? "";
    expect(returnId).toMatch(/^[0-9a-f-]{36}$/);

    const incidents = page.locator('[data-testid="return-table"][data-table="incidents_by_iccs"]');
    const victims = page.locator('[data-testid="return-table"][data-table="victims_by_sex"]');
    expect(await incidents.getByTestId("return-table-total").textContent()).toBe("3");
    expect(await victims.getByTestId("return-table-total").textContent()).toBe("4");
    expect(await victims.locator("thead").textContent()).toContain("Sex");
    expect(await victims.locator("tbody").textContent()).toContain("Female");
    const regions = page.locator('[data-testid="return-table"][data-table="incidents_by_region"]');
    expect(await regions.locator("tbody").textContent()).toContain("Antioquia");
    await expectAccessible(page);
    await screenshot(page, "statistics-02-return-tables");

    // Blocked: the questionnaire is not answered; the button waits for it.
    const blockers = page.getByTestId("return-blockers");
    expect(await blockers.textContent()).toContain("Answer the questionnaire on legislation");
    expect(await page.getByTestId("return-submit").isDisabled()).toBe(true);
    expect(await page.getByTestId("return-q-state").textContent()).toBe("Not answered");
    await page.getByTestId("return-submit-form").scrollIntoViewIfNeeded();
    await page.getByTestId("return-submit-form").screenshot({
      path: join(ARTIFACTS, "statistics-03-blocked.png"),
    });

    // An empty questionnaire is refused at its questions.
    await page.getByTestId("q-save").click();
    const criminalised = page.getByTestId("q-criminalised");
    await expect.poll(() => criminalised.getAttribute("class")).toContain("field-invalid");
    expect(await criminalised.locator(".field-error").textContent()).toBe("Choose an answer.");
    expect(await page.getByTestId("q-criminalised-yes").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);
  });

  it("answered and submitted, the return is acknowledged by the Secretariat without a reload", async () => {
    const page = focal;
    await page.getByTestId("q-criminalised-yes").check();
    for (const e of ["unlawful_detention", "taking_away", "against_will", "ransom_or_gain", "compel_act"])
      await page.getByTestId(`q-element-${e}`).check();
    await page.getByTestId("q-legal-provision").fill("Código Penal sintético, art. 168");
    await page.getByTestId("q-max-penalty").fill("40");
    expect(await page.getByTestId("q-serious").textContent()).toContain(
      "A serious crime under UNTOC art. 2(b)",
    );
    await page.getByTestId("q-aggravating-minor_victim").check();
    await page.getByTestId("q-aggravating-organised_group").check();
    for (const [q, a] of [
      ["specialisedUnits", "yes"],
      ["victimAssistance", "partly"],
      ["familySupport", "yes"],
      ["antiMoneyLaunderingRansom", "yes"],
      ["mlaArrangements", "yes"],
      ["extraditionArrangements", "partly"],
      ["untocParty", "party"],
    ])
      await page.getByTestId(`q-${q}-${a}`).check();
    await page.getByTestId("q-save").click();
    await page.getByText("The questionnaire was saved.").waitFor();
    expect(await page.getByTestId("return-q-state").textContent()).toBe("Answered");
    await page.getByTestId("return-ready").waitFor();
    expect(await page.getByTestId("return-blockers").count()).toBe(0);

    // A general note travels with the return.
    await page.getByTestId("return-general-note").fill("Synthetic cases recorded for the browser test.");
    await page.getByTestId("return-notes-save").click();
    await page.getByText("The notes were saved.").waitFor();
    await expectAccessible(page);
    await screenshot(page, "statistics-04-answered");

    // SDMX downloads name the return.
    expect(await page.getByTestId("return-sdmx-csv").getAttribute("href")).toBe(
      `/api/statistics/returns/${returnId}/sdmx?format=csv`,
    );
    expect(await page.getByTestId("return-sdmx-json").getAttribute("href")).toBe(
      `/api/statistics/returns/${returnId}/sdmx?format=json`,
    );

    await page.evaluate(() => {
      (window as unknown as { __sameDocument?: boolean }).__sameDocument = true;
    });
    await page.getByTestId("return-min-cell").fill("1");
    await page.getByTestId("return-submit").click();
    const status = page.getByTestId("return-header").getByTestId("return-status");
    await expect.poll(() => status.getAttribute("data-status")).not.toBe("draft");
    await expect.poll(() => status.getAttribute("data-status"), { timeout: 20_000 }).toBe("acknowledged");
    expect(await page.getByTestId("return-acknowledgement").textContent()).toMatch(
      /^\d+ observations accepted$/,
    );
    expect(await status.textContent()).toBe("Acknowledged");
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    // Submitted, the questionnaire and notes are read-only.
    expect(await page.getByTestId("q-save").count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, "statistics-05-acknowledged");

    // The list shows it acknowledged.
    await page.getByTestId("nav-returns").click();
    const row = page.locator(`[data-testid="return-row"][data-year="${year}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("acknowledged");
    expect(await row.textContent()).toContain("observations accepted");
    await expectAccessible(page);
    await screenshot(page, "statistics-06-returns-list");
  });

  it("the return reads in Arabic, right to left", async () => {
    const page = focal;
    await page.goto(`${col.url}/statistics/returns/${returnId}`);
    await page.getByTestId("return-header").waitFor();
    await page.getByTestId("language-select").selectOption("ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.getByRole("heading", { level: 1, name: `التقرير السنوي ${year}` }).waitFor();
    expect(await page.getByTestId("return-header").getByTestId("return-status").textContent()).toBe(
      "مُقَرّ باستلامه",
    );
    await expectAccessible(page);
    await screenshot(page, "statistics-07-return-arabic");
    await page.getByTestId("language-select").selectOption("en");
  });

  it("at UNODC the global report includes COL's return, for 2003 to the current year", async () => {
    const page = await signedInPerson(browser, unodc, "e2e.unodc.statistics", ["statistics_focal_point"]);
    await page.getByTestId("nav-report").click();
    await page.getByRole("heading", { level: 1, name: "Global report on kidnapping" }).waitFor();
    await page.getByTestId("report-from").fill("2003");
    await page.getByTestId("report-to").fill(String(year));
    await page.getByTestId("report-apply").click();
    await expect.poll(() => page.getByTestId("report").getAttribute("data-to")).toBe(String(year));
    expect(await page.getByTestId("report").getAttribute("data-from")).toBe("2003");

    // The historical series are there…
    const y2010 = page.locator('[data-testid="report-year"][data-year="2010"]');
    expect(Number(await y2010.getAttribute("data-reporting"))).toBeGreaterThan(50);
    // …and the current year counts COL alone.
    const current = page.locator(`[data-testid="report-year"][data-year="${year}"]`);
    expect(await current.getAttribute("data-reporting")).toBe("1");
    expect(await current.locator("td").nth(1).textContent()).toBe("3");
    const colCountry = page.locator('[data-testid="report-country"][data-area="COL"]');
    expect(await colCountry.textContent()).toContain("COL");

    const received = page.locator('[data-testid="report-received-row"][data-sender="COL"]');
    expect(await received.count()).toBe(1);
    expect(await received.getAttribute("data-year")).toBe(String(year));
    expect(await received.getAttribute("data-status")).toBe("accepted");
    const legal = page.locator('[data-testid="report-legal-row"][data-sender="COL"]');
    expect(await legal.getByTestId("report-legal-serious").textContent()).toBe("Yes");
    expect(await legal.textContent()).toContain("40 years");
    expect(await legal.textContent()).toContain("Party");

    // The charts are images with a text alternative.
    const chart = page.getByTestId("report-chart-count");
    expect(await chart.getAttribute("role")).toBe("img");
    expect(await chart.getAttribute("aria-label")).toContain("Total count of kidnappings by year");
    expect(await page.getByTestId("report-sources").textContent()).toContain("UNODC");
    expect((await page.getByTestId("report-method").locator("li").count()) > 0).toBe(true);

    const pdf = page.getByTestId("report-pdf");
    const href = await pdf.getAttribute("href");
    expect(href).toBe(`/api/statistics/report.pdf?from=2003&to=${year}`);
    const head = await page.evaluate(async (url) => {
      const res = await fetch(url);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        magic: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, href ?? "");
    expect(head).toEqual({ status: 200, type: "application/pdf", magic: "%PDF-" });
    expect(await page.getByTestId("report-sdmx-csv").getAttribute("href")).toBe(
      `/api/statistics/report.sdmx?from=2003&to=${year}&format=csv`,
    );

    await expectAccessible(page);
    await screenshot(page, "statistics-08-global-report");

    // The world map of the period's last year: 2022, from the UNODC series.
    await page.getByTestId("report-to").fill("2022");
    await page.getByTestId("report-apply").click();
    await expect.poll(() => page.getByTestId("report").getAttribute("data-to")).toBe("2022");
    const map = page.getByTestId("report-map");
    await expect.poll(() => map.getByRole("img").getAttribute("aria-label")).toContain("2022");
    expect(await map.locator('path[data-area="USA"]').getAttribute("data-class")).toMatch(/^[0-5]$/);
    expect(await map.locator('path[data-area="ATA"]').getAttribute("data-class")).toBe("");
    await map.scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, "statistics-08b-world-map");
    await page.getByTestId("report-received").scrollIntoViewIfNeeded();
    await page.locator("section", { has: page.getByTestId("report-received") }).screenshot({
      path: join(ARTIFACTS, "statistics-09-received.png"),
    });

    // The report in Arabic.
    await page.getByTestId("language-select").selectOption("ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    await page.getByRole("heading", { level: 1, name: "التقرير العالمي عن الاختطاف" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "statistics-10-report-arabic");
    await page.getByTestId("language-select").selectOption("en");
  });
});
