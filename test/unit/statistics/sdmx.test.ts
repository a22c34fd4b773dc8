/** SDMX-CSV 2.0 and SDMX-JSON: a national return written and read back is the same return. */
import { describe, expect, it } from "vitest";
import { type CaseFact, computeReturn, suppressSmallCells } from "../../../src/domain/counting.ts";
import {
  DATAFLOW,
  observationsToReturn,
  readSdmxCsv,
  readSdmxJson,
  returnToObservations,
  writeSdmxCsv,
  writeSdmxJson,
} from "../../../src/engines/statistics/sdmx.ts";

const facts: CaseFact[] = Array.from({ length: 40 }, (_, i) => ({
  id: `case-${i}`,
  reportedAt: `2025-0${1 + (i % 9)}-1${i % 10}T12:00:00Z`,
  occurredAt: null,
  iccs: (["020221", "020222", "02021", null] as const)[i % 4] ?? null,
  opType: ["ransom", "express", "family_custody", "virtual", "tiger"][i % 5] ?? "other",
  outcome: i % 6 === 0 ? null : (["rescued", "released_after_payment", "escaped"][i % 3] ?? null),
  country: i % 13 === 0 ? "ESP" : "COL",
  // Accents, commas and quotes must survive both formats.
  region: i % 7 === 0 ? null : (["Bolívar", 'Norte, de "Santander"', "Valle del Cauca"][i % 3] ?? null),
  elementAge: 5 + ((i * 7) % 70),
  purpose: i % 2 === 0 ? "ransom" : "compel_third_party",
  victims: Array.from({ length: i % 3 }, (_, k) => ({
    sex: ["female", "male", "other", "unknown"][(i + k) % 4] ?? "unknown",
    dateOfBirth: k === 0 ? null : `19${50 + ((i * 3) % 49)}-06-15`,
    ageMin: null,
    ageMax: null,
    nationalities: (i + k) % 3 === 0 ? [] : (i + k) % 3 === 1 ? ["COL"] : ["VEN"],
  })),
  demands: i % 4 === 0 ? [{ amount: { value: 1000 * i, currency: i % 8 === 0 ? "EUR" : "USD" } }] : [],
  rescues: i % 5 === 0 ? [{ startedAt: "2025-05-01T00:00:00Z", suspectsArrested: 2 }] : [],
  charges:
    i % 6 === 1
      ? [
          {
            personId: `p${i}`,
            chargeId: `c${i}`,
            recordedAt: "2025-04-01T00:00:00Z",
            updatedAt: "2025-04-01T00:00:00Z",
            verdict: i % 12 === 1 ? "convicted" : null,
            verdictDate: i % 12 === 1 ? "2025-11-01" : null,
            appeal: "none",
          },
        ]
      : [],
}));

const ret = computeReturn(facts, { year: 2025, country: "COL" });
const provenance = { source: "COL", submissionId: "COL-2025", revision: 2 };

describe("SDMX", () => {
  it("writes SDMX-CSV 2.0 with the dataflow, the dimensions and the attributes", () => {
    const csv = writeSdmxCsv(returnToObservations(ret, provenance));
    const [header, first] = csv.split("\n");
    expect(header).toBe(
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,MEASURE,UNIT_MEASURE,ICCS,TYPE,OUTCOME,SEX,AGE,CITIZENSHIP,REGION,OBS_VALUE,OBS_STATUS,CONF_STATUS,SOURCE,SUBMISSION_ID,REVISION,REGION_NAME,COMMENT",
    );
    expect(first).toBe(
      `dataflow,${DATAFLOW},I,COL,2025,INCIDENTS,NR,_T,_T,_T,_T,_T,_T,_T,40,A,F,COL,COL-2025,2,,`,
    );
    expect(csv).toContain('"Norte, de ""Santander"""');
  });

  it("reads back from SDMX-CSV the return it wrote", () => {
    const obs = returnToObservations(ret, provenance);
    const rows = readSdmxCsv(writeSdmxCsv(obs));
    expect(rows.every((r) => r.observation)).toBe(true);
    expect(rows.map((r) => r.observation)).toEqual(obs);
    expect(observationsToReturn(obs)).toEqual(ret);
  });

  it("reads back from SDMX-JSON the return it wrote, through JSON text", () => {
    const obs = returnToObservations(ret, provenance);
    const message = JSON.parse(JSON.stringify(writeSdmxJson(obs, { sender: "COL", id: "test" })));
    expect(message.data.structures[0].dimensions.observation[0]).toMatchObject({
      id: "REF_AREA",
      keyPosition: 0,
    });
    const back = readSdmxJson(message);
    expect(back).toEqual(obs);
    expect(observationsToReturn(back)).toEqual(ret);
  });

  it("carries withheld cells as confidential, without a value", () => {
    const suppressed = suppressSmallCells(ret, 3);
    const obs = returnToObservations(suppressed, provenance);
    const withheld = obs.filter((o) => o.value === null);
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((o) => o.attrs.CONF_STATUS === "C")).toBe(true);
    const fromCsv = readSdmxCsv(writeSdmxCsv(obs)).map((r) => r.observation);
    expect(observationsToReturn(fromCsv.filter((o) => o !== undefined))).toEqual(suppressed);
    expect(observationsToReturn(readSdmxJson(writeSdmxJson(obs)))).toEqual(suppressed);
  });

  it("accounts for unreadable lines instead of throwing", () => {
    const csv = [
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,OBS_VALUE",
      `dataflow,${DATAFLOW},I,COL,2024,12`,
      `dataflow,${DATAFLOW},I,COL,2024,twelve`,
      `dataflow,${DATAFLOW},D,COL,2024,12`,
      `dataflow,${DATAFLOW},I,,2024,12`,
      `dataflow,${DATAFLOW},I,COL`,
    ].join("\n");
    const rows = readSdmxCsv(csv);
    expect(rows.map((r) => [r.line, r.error ? "error" : r.observation?.value])).toEqual([
      [2, 12],
      [3, "error"],
      [4, "error"],
      [5, "error"],
      [6, "error"],
    ]);
  });
});
