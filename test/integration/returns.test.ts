/**
 * The national annual return over the federation (issue 6): COL's statistics
 * focal point opens the year, reviews the tables computed from COL's cases,
 * answers the questionnaire and submits; the Secretariat (UNODC) imports the
 * SDMX-CSV as COL's observations, acknowledges, and its global report includes
 * them; a revision supersedes the first submission; a return about another
 * State is refused; only the focal point sees returns.
 */
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSdmxCsv, readSdmxJson } from "../../src/engines/statistics/sdmx.ts";
import { queueMessages } from "../../src/platform/exchange/outbox.ts";
import { addPerson, openCase, peerPair, signedIn } from "../helpers/factories.ts";
import { auditEvents, type Session } from "../helpers/node.ts";
import { pdfText } from "../helpers/pdf.ts";
import { type ListeningNode, until } from "../helpers/peers.ts";

let col: ListeningNode;
let unodc: ListeningNode;
let focal: Session;
let investigator: Session;
let statistician: Session;
const year = new Date().getUTCFullYear();

const questionnaire = {
  criminalised: "yes",
  elementsCovered: ["unlawful_detention", "taking_away", "against_will", "ransom_or_gain", "compel_act"],
  legalProvision: "Synthetic penal code, art. 168",
  maxPenaltyYears: 40,
  aggravatingCircumstances: ["minor_victim", "organised_group"],
  specialisedUnits: "yes",
  victimAssistance: "partly",
  familySupport: "yes",
  antiMoneyLaunderingRansom: "yes",
  untocParty: "party",
  mlaArrangements: "yes",
  extraditionArrangements: "partly",
};

/** A case of this year at COL with its victims, men and women in turn (the tables count both). */
async function openCaseWithVictims(victims: number): Promise<void> {
  const c = await openCase(investigator, {
    title: "Synthetic kidnapping for the annual return",
    place: { country: "COL", region: "Antioquia" },
  });
  for (let i = 0; i < victims; i++) {
    await addPerson(investigator, c.id, {
      role: "victim",
      names: [{ given: `Víctima${i}`, family: "Sintética" }],
      sex: i % 2 ? "female" : "male",
      nationalities: ["COL"],
    });
  }
}

type Return = {
  id: string;
  revision: number;
  status: string;
  blockers: string[];
  tables: { id: string; total: number }[];
};
const total = (r: Return, id: string) => r.tables.find((t) => t.id === id)?.total;

beforeAll(async () => {
  [col, unodc] = await peerPair(["COL", "UNODC"]);
  focal = await signedIn(col, ["statistics_focal_point"]);
  investigator = await signedIn(col, ["investigator"]);
  statistician = await signedIn(unodc, ["statistics_focal_point"]);
  await openCaseWithVictims(2);
  await openCaseWithVictims(1);
}, 60_000);

afterAll(async () => {
  for (const n of [col, unodc]) await n?.close();
});

describe("the national return", () => {
  let first: Return;

  it("the focal point opens the year; the tables count COL's cases; it cannot go without the questionnaire", async () => {
    const opened = await focal.inject("POST", "/api/statistics/returns", { year });
    expect(opened.statusCode, opened.body).toBe(201);
    first = opened.json();
    expect(first).toMatchObject({ revision: 0, status: "draft" });
    const tableIds = first.tables.map((t) => t.id);
    const incidents = tableIds.find((t) => t.startsWith("incidents"));
    const victims = tableIds.find((t) => t.startsWith("victims"));
    expect(total(first, incidents as string)).toBe(2);
    expect(total(first, victims as string)).toBe(3);
    expect(first.blockers).toContain(
      "the questionnaire on legislation and domestic measures is not answered",
    );
    const again = await focal.inject("POST", "/api/statistics/returns", { year });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].path).toBe("body.year");
    const early = await focal.inject("POST", `/api/statistics/returns/${first.id}/submit`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain("questionnaire");
    const bad = await focal.inject("PATCH", `/api/statistics/returns/${first.id}`, {
      questionnaire: { ...questionnaire, maxPenaltyYears: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe("body.questionnaire.maxPenaltyYears");
  });

  it("submitted, the Secretariat imports it, acknowledges, and its report includes COL", async () => {
    const answered = await focal.inject("PATCH", `/api/statistics/returns/${first.id}`, { questionnaire });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().blockers).toEqual([]);
    const sent = await focal.inject("POST", `/api/statistics/returns/${first.id}/submit`, { minCell: 1 });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().status).toBe("submitted");
    const acknowledged = await until(
      async () =>
        (await focal.inject("GET", `/api/statistics/returns/${first.id}`)).json().status === "acknowledged",
    );
    expect(acknowledged).toBe(true);
    const row = (await focal.inject("GET", `/api/statistics/returns/${first.id}`)).json();
    expect(row.acknowledgement).toMatch(/^\d+ observations accepted$/);

    const received = await statistician.inject("GET", "/api/statistics/received");
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().returns[0]).toMatchObject({
      sender: "COL",
      year,
      revision: 0,
      status: "accepted",
      seriousCrime: true,
      questionnaire: { untocParty: "party", maxPenaltyYears: 40 },
    });
    const report = await statistician.inject("GET", `/api/statistics/report?from=${year}&to=${year}`);
    expect(report.statusCode, report.body).toBe(200);
    const colSeries = report.json().countries.find((c: { area: string }) => c.area === "COL");
    expect(colSeries.series).toEqual([expect.objectContaining({ year, source: "COL" })]);
    expect(report.json().years[0]).toMatchObject({ year, reportingCountries: 1 });
    // The report counts incidents (as the Crime Trends Survey counts offences): COL's two cases.
    expect(colSeries.series[0].count).toBe(2);

    // The report's figures as SDMX: COL's count for the year, with its source.
    const sdmx = await statistician.inject(
      "GET",
      `/api/statistics/report.sdmx?from=${year}&to=${year}&format=csv`,
    );
    expect(sdmx.statusCode, sdmx.body).toBe(200);
    const rows = readSdmxCsv(sdmx.body).flatMap((r) => (r.observation ? [r.observation] : []));
    expect(rows).toEqual([
      expect.objectContaining({
        dims: expect.objectContaining({
          REF_AREA: "COL",
          TIME_PERIOD: String(year),
          MEASURE: "OFFENCES",
          UNIT_MEASURE: "NR",
        }),
        value: 2,
        attrs: expect.objectContaining({ SOURCE: "COL" }),
      }),
    ]);
    const sdmxJson = await statistician.inject(
      "GET",
      `/api/statistics/report.sdmx?from=${year}&to=${year}&format=json`,
    );
    expect(readSdmxJson(sdmxJson.json())).toHaveLength(1);

    const map = await statistician.inject("GET", `/api/statistics/map?from=${year}&to=${year}`);
    expect(map.statusCode).toBe(200);
    // COL gave counts without its population: on the map, no rate (no figure is made up).
    expect(map.json().areas.find((a: { area: string }) => a.area === "COL")).toMatchObject({
      rate: null,
      rateClass: null,
    });

    const pdf = await statistician.inject("GET", `/api/statistics/report.pdf?from=${year}&to=${year}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain("The legal situation, from the questionnaires returned");
    expect(text).toContain(`Rates per 100,000 inhabitants, ${year}`);
    expect(text).toMatch(/COL\s+\d{4} r0\s+yes\s+40 years\s+yes\s+party/);

    // Beyond the totals, what the returns carry: by operational type, outcome and the victims.
    const breakdowns: {
      measure: string;
      dimension: string;
      year: number;
      categories: { category: string; count: number }[];
    }[] = report.json().breakdowns;
    const sexes = breakdowns.find((b) => b.measure === "VICTIMS" && b.dimension === "SEX" && b.year === year);
    expect(Object.fromEntries(sexes?.categories.map((c) => [c.category, c.count]) ?? [])).toEqual({
      M: 2,
      F: 1,
    });
    expect(breakdowns.find((b) => b.measure === "INCIDENTS" && b.dimension === "TYPE")?.categories).toEqual([
      { category: expect.any(String), count: 2 },
    ]);
    expect(report.json().legal).toEqual([
      expect.objectContaining({
        country: "COL",
        maxPenaltyYears: 40,
        seriousCrime: true,
        untocParty: "party",
      }),
    ]);

    const csv = await focal.inject("GET", `/api/statistics/returns/${first.id}/sdmx?format=csv`);
    expect(csv.body.split("\n")[0]).toContain("STRUCTURE");
    const json = await focal.inject("GET", `/api/statistics/returns/${first.id}/sdmx?format=json`);
    expect(json.json()).toHaveProperty("data");
    expect((await auditEvents(col, "return.submitted")).length).toBe(1);
    expect((await auditEvents(unodc, "return.received")).length).toBe(1);
  });

  it("a revision supersedes the first submission in the Secretariat's report", async () => {
    await openCaseWithVictims(1);
    const opened = await focal.inject("POST", "/api/statistics/returns", { year });
    expect(opened.statusCode, opened.body).toBe(201);
    const second: Return = opened.json();
    expect(second.revision).toBe(1);
    // The questionnaire carries over from the submission it revises.
    expect(second.blockers).toEqual([]);
    expect((await focal.inject("POST", `/api/statistics/returns/${second.id}/submit`, {})).statusCode).toBe(
      200,
    );
    expect(
      await until(
        async () =>
          (await focal.inject("GET", `/api/statistics/returns/${second.id}`)).json().status ===
          "acknowledged",
      ),
    ).toBe(true);
    const report = await statistician.inject("GET", `/api/statistics/report?from=${year}&to=${year}`);
    const series = report.json().countries.find((c: { area: string }) => c.area === "COL").series;
    expect(series).toHaveLength(1);
    expect(series[0].count).toBe(3);
    const all = (await focal.inject("GET", "/api/statistics/returns")).json().returns as Return[];
    expect(all.map((r) => [r.revision, r.status])).toEqual([
      [1, "acknowledged"],
      [0, "acknowledged"],
    ]);
  });

  it("the Secretariat refuses a return about another State, or one it cannot read, and keeps nothing of it", async () => {
    const forged = [
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,MEASURE,ICCS,OP_TYPE,OUTCOME,SEX,AGE,CITIZENSHIP,REGION,UNIT_MEASURE,OBS_VALUE",
      `dataflow,UNODC:DF_KIDNAPPING(1.0),I,MEX,${year},INCIDENTS,_T,_T,_T,_T,_T,_T,_T,NR,99`,
    ].join("\n");
    const cases: [string, RegExp][] = [
      [forged, /is about MEX/],
      ["this is not SDMX", /^unreadable SDMX-CSV/],
    ];
    for (const [sdmxCsv, why] of cases) {
      const returnId = uuidv7();
      await col.db.kysely.transaction().execute((trx) =>
        queueMessages(
          { ...col.ctx, db: trx },
          [
            {
              to: ["UNODC"],
              type: "stats-return",
              version: 1,
              tlp: "clear",
              handling: ["H0"],
              body: {
                returnId,
                year,
                revision: 0,
                sdmxCsv,
                questionnaireVersion: 1,
                questionnaire,
                notes: { general: null, issues: {} },
              },
            },
          ],
          () => "body",
        ),
      );
      const refused = await until(async () => {
        const r = await unodc.db.kysely
          .selectFrom("stat_received_returns")
          .selectAll()
          .where("return_id", "=", returnId)
          .executeTakeFirst();
        return r?.status === "rejected" && why.test(r.reason ?? "");
      }, 20_000);
      expect(refused, String(why)).toBe(true);
    }
    const mex = await unodc.db.kysely
      .selectFrom("stat_observations")
      .select("id")
      .where("ref_area", "=", "MEX")
      .execute();
    expect(mex).toEqual([]);
  });

  it("only the focal point sees returns; the report is for the statistics roles", async () => {
    expect((await investigator.inject("GET", "/api/statistics/returns")).statusCode).toBe(404);
    expect((await investigator.inject("POST", "/api/statistics/returns", { year })).statusCode).toBe(404);
    const wrong = await statistician.inject("GET", "/api/statistics/report?from=2022&to=2003");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields[0].path).toBe("query.from");
  });
});
