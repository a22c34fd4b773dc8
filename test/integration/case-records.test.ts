/**
 * The other records of a case: organised groups, vehicles, selectors, attachments,
 * rescue operations and charges — validation, need-to-know, audit, and integrity.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPerson, caseBody, openCase, signedIn, teamMember } from "../helpers/factories.ts";
import { auditEvents, createTestNode, makeUser, type Session, sql, type TestNode } from "../helpers/node.ts";

let node: TestNode;
let lead: Session;
const MAX = 64 * 1024;
beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000, ARIADNE_ATTACHMENT_MAX_BYTES: MAX });
  lead = await signedIn(node, ["investigator"]);
});
afterAll(async () => node?.close());

/**
 * A case of the lead's, in Jalisco on 1 November 2026: the statistics count the cases of Jalisco,
 * and a rescue cannot start before the case happened. Answers its id.
 */
const openJaliscoCase = async () =>
  (await openCase(lead, { occurredAt: "2026-11-01T08:00:00Z", place: { country: "MEX", region: "Jalisco" } }))
    .id;
/** A suspect on the case; answers the person's id. */
const addSuspect = async (caseId: string) => (await addPerson(lead, caseId, { role: "suspect" })).id;

const records = async (s: Session, caseId: string) => s.inject("GET", `/api/cases/${caseId}/records`);

describe("organised groups and vehicles", () => {
  it("records them and reads them back in one audited read", async () => {
    const id = await openJaliscoCase();
    const g = await lead.inject("POST", `/api/cases/${id}/groups`, {
      name: "Los Sintéticos",
      aliases: ["LS", "LS"],
      countries: ["MEX", "GTM"],
    });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ name: "Los Sintéticos", aliases: ["LS"], countries: ["MEX", "GTM"] });
    const v = await lead.inject("POST", `/api/cases/${id}/vehicles`, {
      plate: "jal-12 34",
      plateCountry: "MEX",
      make: "Nissan",
      colour: "white",
      use: "abduction",
    });
    expect(v.statusCode).toBe(201);
    expect(v.json()).toMatchObject({ plate: "jal-12 34", plateNormalised: "JAL1234", use: "abduction" });
    const r = await records(lead, id);
    expect(r.statusCode).toBe(200);
    expect(r.json().groups).toHaveLength(1);
    expect(r.json().vehicles).toHaveLength(1);
    const viewed = (await auditEvents(node, "case_records.viewed")).filter((e) => e.target_id === id);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]?.details).toMatchObject({ groups: 1, vehicles: 1 });
  });

  it("refuses a vehicle that is not described and a plate country without a plate", async () => {
    const id = await openJaliscoCase();
    const empty = await lead.inject("POST", `/api/cases/${id}/vehicles`, { colour: "red" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].path).toBe("body.plate");
    const noPlate = await lead.inject("POST", `/api/cases/${id}/vehicles`, {
      make: "Ford",
      plateCountry: "MEX",
    });
    expect(noPlate.json().error.fields[0]).toEqual({
      path: "body.plateCountry",
      message: "a plate country needs a plate",
    });
    const dots = await lead.inject("POST", `/api/cases/${id}/vehicles`, { plate: "-- ·" });
    expect(dots.json().error.fields[0]).toEqual({
      path: "body.plate",
      message: "holds no letters or digits",
    });
  });
});

describe("selectors", () => {
  it("normalises phones, IBANs and wallets, and refuses a duplicate", async () => {
    const id = await openJaliscoCase();
    const personId = await addSuspect(id);
    const phone = await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "phone",
      value: "33 1234 5678",
      region: "MX",
      personId,
    });
    expect(phone.statusCode).toBe(201);
    expect(phone.json()).toMatchObject({ kind: "phone", value: "+523312345678", personId });
    const iban = await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "iban",
      value: "es91 2100 0418 4502 0005 1332",
    });
    expect(iban.json().value).toBe("ES9121000418450200051332");
    const eth = await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "crypto_wallet",
      asset: "ETH",
      value: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    });
    expect(eth.json()).toMatchObject({ value: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", asset: "ETH" });
    const again = await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "phone",
      value: "+52 33 1234 5678",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].path).toBe("body.value");
    expect((await records(lead, id)).json().selectors).toHaveLength(3);
  });

  it("names the field and the reason for a bad value or a stranger's person", async () => {
    const id = await openJaliscoCase();
    const other = await openJaliscoCase();
    const strangerId = await addSuspect(other);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ kind: "iban", value: "ES91 2100 0418 4502 0005 1333" }, "body.value", "check digits"],
      [
        { kind: "crypto_wallet", asset: "BTC", value: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3" },
        "body.value",
        "checksum",
      ],
      [{ kind: "phone", value: "12345" }, "body.value", "phone number"],
      [{ kind: "email", value: "x@example.org" }, "body.kind", ""],
      [
        { kind: "phone", value: "+573001234567", personId: strangerId },
        "body.personId",
        "not a person of this case",
      ],
    ];
    for (const [body, path, reason] of cases) {
      const res = await lead.inject("POST", `/api/cases/${id}/selectors`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const field = res.json().error.fields[0];
      expect(field.path).toBe(path);
      expect(field.message).toContain(reason);
    }
    expect((await records(lead, id)).json().selectors).toHaveLength(0);
  });

  it("case search finds a case by a case-level selector and by a plate", async () => {
    const id = await openJaliscoCase();
    await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "crypto_wallet",
      asset: "BTC",
      value: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    });
    await lead.inject("POST", `/api/cases/${id}/vehicles`, { plate: "QRS 991", plateCountry: "MEX" });
    const byWallet = await lead.inject(
      "GET",
      "/api/cases/search?q=BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ",
    );
    expect(byWallet.json().hits.map((h: { case: { id: string } }) => h.case.id)).toContain(id);
    expect(byWallet.json().hits[0].matchedOn).toBe("wallet");
    const byPlate = await lead.inject("GET", "/api/cases/search?q=qrs-991");
    expect(byPlate.json().hits.find((h: { case: { id: string } }) => h.case.id === id)?.matchedOn).toBe(
      "plate",
    );
  });
});

describe("attachments", () => {
  it("keeps the file with its SHA-256 and gives it back intact, audited", async () => {
    const id = await openJaliscoCase();
    const bytes = Buffer.from("%PDF-1.4 synthetic proof-of-life photo description\n", "utf8");
    const res = await lead.inject(
      "POST",
      `/api/cases/${id}/attachments?filename=${encodeURIComponent("prueba de vida — 1.pdf")}&description=call%20log`,
      bytes,
      { "content-type": "application/pdf" },
    );
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      filename: "prueba de vida — 1.pdf",
      mediaType: "application/pdf",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      storage: "database",
      description: "call log",
    });
    const got = await lead.inject("GET", `/api/cases/${id}/attachments/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(bytes)).toBe(true);
    expect(got.headers["x-content-sha256"]).toBe(a.sha256);
    expect(got.headers["content-disposition"]).toContain(
      "filename*=UTF-8''prueba%20de%20vida%20%E2%80%94%201.pdf",
    );
    expect(String(got.headers["content-security-policy"])).toContain("sandbox");
    expect((await auditEvents(node, "attachment.downloaded")).some((e) => e.target_id === id)).toBe(true);
    // A JSON file is a file like any other: it is not parsed.
    const json = await lead.inject("POST", `/api/cases/${id}/attachments?filename=a.json`, '{"x":', {
      "content-type": "application/json",
    });
    expect(json.statusCode).toBe(201);
    expect(json.json().size).toBe(5);
  });

  it("refuses an empty file, a path as a file name, and a file over the limit", async () => {
    const id = await openJaliscoCase();
    const empty = await lead.inject("POST", `/api/cases/${id}/attachments?filename=a.txt`, Buffer.alloc(0), {
      "content-type": "text/plain",
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].path).toBe("body");
    const path = await lead.inject("POST", `/api/cases/${id}/attachments?filename=..%2Fetc%2Fpasswd`, "x", {
      "content-type": "text/plain",
    });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.fields[0].path).toBe("query.filename");
    const big = await lead.inject(
      "POST",
      `/api/cases/${id}/attachments?filename=big.bin`,
      Buffer.alloc(MAX + 1),
      {
        "content-type": "application/octet-stream",
      },
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("payload_too_large");
    expect(big.json().error.fields[0]).toEqual({ path: "body", message: `must be at most ${MAX} bytes` });
    expect((await records(lead, id)).json().attachments).toHaveLength(0);
  });

  it("the same content attached twice is stored once", async () => {
    const id = await openJaliscoCase();
    const bytes = Buffer.from(`same bytes ${id}`);
    for (const name of ["a.txt", "b.txt"]) {
      await lead.inject("POST", `/api/cases/${id}/attachments?filename=${name}`, bytes, {
        "content-type": "text/plain",
      });
    }
    const sha = createHash("sha256").update(bytes).digest();
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = ${sha}`.execute(node.db.kysely);
    expect(rows[0]?.n).toBe(1);
    expect((await records(lead, id)).json().attachments).toHaveLength(2);
  });

  it("the application's database role cannot change or remove an attachment or its content", async () => {
    const id = await openJaliscoCase();
    await lead.inject("POST", `/api/cases/${id}/attachments?filename=e.txt`, "evidence", {
      "content-type": "text/plain",
    });
    for (const statement of [
      sql`UPDATE case_attachments SET filename = 'x' WHERE case_id = ${id}`,
      sql`DELETE FROM case_attachments WHERE case_id = ${id}`,
      sql`UPDATE attachment_blobs SET content = '\\x00'`,
      sql`DELETE FROM attachment_blobs`,
      sql`UPDATE rescue_operations SET result = 'failed'`,
    ]) {
      await expect(statement.execute(node.db.kysely)).rejects.toThrow(/permission denied/);
    }
  });
});

describe("rescue operations", () => {
  const rescue = (over: Record<string, unknown> = {}) => ({
    startedAt: "2026-11-03T04:00:00Z",
    endedAt: "2026-11-03T05:30:00Z",
    unit: "Synthetic anti-kidnapping unit",
    place: "a farm outside the city",
    result: "victims_freed",
    victimsFreed: 1,
    suspectsArrested: 2,
    summary: "Entry at dawn; the victim was freed unharmed.",
    ...over,
  });

  it("the crisis team records one; it is audited", async () => {
    const id = await openJaliscoCase();
    const res = await lead.inject("POST", `/api/cases/${id}/rescues`, rescue());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      result: "victims_freed",
      victimsFreed: 1,
      suspectsArrested: 2,
      casualties: { victims: 0, officers: 0, suspects: 0 },
    });
    expect((await auditEvents(node, "rescue.recorded")).some((e) => e.target_id === id)).toBe(true);
  });

  it("refuses inconsistent operations, naming the field", async () => {
    const id = await openJaliscoCase();
    const cases: [Record<string, unknown>, string][] = [
      [rescue({ endedAt: "2026-11-03T03:00:00Z" }), "body.endedAt"],
      [rescue({ victimsFreed: 0 }), "body.victimsFreed"],
      [rescue({ suspectsArrested: -1 }), "body.suspectsArrested"],
      [rescue({ startedAt: "2026-10-01T00:00:00Z", endedAt: undefined }), "body.startedAt"],
      [rescue({ startedAt: "2099-01-01T00:00:00Z", endedAt: undefined }), "body.startedAt"],
      [rescue({ result: "glorious" }), "body.result"],
    ];
    for (const [body, path] of cases) {
      const res = await lead.inject("POST", `/api/cases/${id}/rescues`, body);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.fields[0].path).toBe(path);
    }
  });

  it("a plain team member may read it but not record one", async () => {
    const id = await openJaliscoCase();
    const member = await teamMember(node, lead, id, { roles: ["victim_support"], caseRole: "member" });
    const res = await member.inject("POST", `/api/cases/${id}/rescues`, rescue());
    expect(res.statusCode).toBe(404);
    expect((await records(member, id)).json().rescues).toEqual([]);
    expect((await records(member, id)).statusCode).toBe(200);
  });
});

describe("prosecution", () => {
  it("a charge moves through its stages to a conviction and an appeal; each change is audited", async () => {
    const id = await openJaliscoCase();
    const personId = await addSuspect(id);
    const base = {
      personId,
      offence: "Secuestro extorsivo agravado",
      legalProvision: "Ley General para Prevenir y Sancionar los Delitos en Materia de Secuestro, art. 9",
      court: "Juzgado de Distrito (synthetic)",
    };
    const add = await lead.inject("POST", `/api/cases/${id}/charges`, base);
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({ stage: "charged", verdict: null, appeal: "none", personId });
    const chargeId = add.json().id;
    const judged = await lead.inject("PUT", `/api/cases/${id}/charges/${chargeId}`, {
      ...base,
      stage: "judgment",
      verdict: "convicted",
      verdictDate: "2026-11-10",
      sentence: { custodialMonths: 480, fine: { value: 2000000, currency: "MXN" } },
    });
    expect(judged.statusCode, judged.body).toBe(200);
    expect(judged.json()).toMatchObject({
      verdict: "convicted",
      verdictDate: "2026-11-10",
      sentence: { custodialMonths: 480, fine: { value: 2000000, currency: "MXN" } },
    });
    const appealed = await lead.inject("PUT", `/api/cases/${id}/charges/${chargeId}`, {
      ...base,
      stage: "appeal",
      verdict: "convicted",
      verdictDate: "2026-11-10",
      sentence: { custodialMonths: 480 },
      appeal: "lodged",
    });
    expect(appealed.json()).toMatchObject({ stage: "appeal", appeal: "lodged" });
    const updates = (await auditEvents(node, "charge.updated")).filter((e) => e.target_id === id);
    expect(updates.map((e) => (e.details as { to: { stage: string } }).to.stage)).toEqual([
      "judgment",
      "appeal",
    ]);
    expect((await records(lead, id)).json().charges).toHaveLength(1);
  });

  it("refuses a verdict before judgment, a sentence without conviction, a judgment without verdict", async () => {
    const id = await openJaliscoCase();
    const base = { offence: "Kidnapping", legalProvision: "Penal Code art. 168" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, verdict: "convicted" }, "body.verdict"],
      [{ ...base, stage: "judgment" }, "body.verdict"],
      [
        { ...base, stage: "judgment", verdict: "acquitted", sentence: { custodialMonths: 12 } },
        "body.sentence",
      ],
      [{ ...base, appeal: "lodged" }, "body.appeal"],
      [{ ...base, stage: "final", verdict: "convicted", verdictDate: "2999-01-01" }, "body.verdictDate"],
      [
        { ...base, stage: "final", verdict: "convicted", sentence: { life: true, custodialMonths: 5 } },
        "body.sentence.custodialMonths",
      ],
      [{ offence: "Kidnapping" }, "body.legalProvision"],
    ];
    for (const [body, path] of cases) {
      const res = await lead.inject("POST", `/api/cases/${id}/charges`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const missing = await lead.inject(
      "PUT",
      `/api/cases/${id}/charges/00000000-0000-7000-8000-000000000000`,
      base,
    );
    expect(missing.statusCode).toBe(404);
  });
});

describe("least privilege inside a case", () => {
  it("prosecution records are written by prosecutors on the team and by the lead, not by every member", async () => {
    const id = await openJaliscoCase();
    const charge = { offence: "Kidnapping for ransom", legalProvision: "Art. 9 LGPSDMS" };
    const investigator = await teamMember(node, lead, id, {
      roles: ["investigator"],
      caseRole: "crisis_team",
    });
    const prosecutor = await teamMember(node, lead, id, { roles: ["prosecutor"], caseRole: "member" });

    const refused = await investigator.inject("POST", `/api/cases/${id}/charges`, charge);
    expect(refused.statusCode).toBe(404);
    const byProsecutor = await prosecutor.inject("POST", `/api/cases/${id}/charges`, charge);
    expect(byProsecutor.statusCode).toBe(201);
    const chargeId = byProsecutor.json().id;
    const edit = await investigator.inject("PUT", `/api/cases/${id}/charges/${chargeId}`, {
      ...charge,
      stage: "indicted",
    });
    expect(edit.statusCode).toBe(404);
    expect((await records(lead, id)).json().charges).toEqual([
      expect.objectContaining({ id: chargeId, stage: "charged" }),
    ]);
    const byLead = await lead.inject("PUT", `/api/cases/${id}/charges/${chargeId}`, {
      ...charge,
      stage: "indicted",
    });
    expect(byLead.statusCode).toBe(200);

    // Each sees the abilities the server computed for them; the web app shows no more.
    const abilities = async (s: typeof lead) => (await s.inject("GET", `/api/cases/${id}`)).json().abilities;
    expect(await abilities(investigator)).not.toContain("case.prosecution");
    expect(await abilities(investigator)).toContain("rescue.record");
    expect(await abilities(prosecutor)).toContain("case.prosecution");
    expect(await abilities(prosecutor)).not.toContain("rescue.record");
    expect(await abilities(lead)).toContain("case.prosecution");
  });
});

describe("need-to-know over the records", () => {
  it("to anyone off the team, every record route answers not found", async () => {
    const id = await openJaliscoCase();
    const a = await lead.inject("POST", `/api/cases/${id}/attachments?filename=x.txt`, "secret", {
      "content-type": "text/plain",
    });
    const charge = await lead.inject("POST", `/api/cases/${id}/charges`, {
      offence: "K",
      legalProvision: "P",
    });
    const outsider = await signedIn(node, ["investigator"]);
    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/cases/${id}/records`],
      ["GET", `/api/cases/${id}/attachments/${a.json().id}`],
      ["POST", `/api/cases/${id}/groups`, { name: "X" }],
      ["POST", `/api/cases/${id}/vehicles`, { plate: "ABC123" }],
      ["POST", `/api/cases/${id}/selectors`, { kind: "phone", value: "+573001234567" }],
      ["POST", `/api/cases/${id}/charges`, { offence: "K", legalProvision: "P" }],
      ["PUT", `/api/cases/${id}/charges/${charge.json().id}`, { offence: "K", legalProvision: "P" }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await outsider.inject(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const up = await outsider.inject("POST", `/api/cases/${id}/attachments?filename=y.txt`, "x", {
      "content-type": "text/plain",
    });
    expect(up.statusCode).toBe(404);
    expect((await records(lead, id)).json()).toMatchObject({ groups: [], vehicles: [], selectors: [] });
  });
});

describe("the anonymised statistical view", () => {
  it("a statistics focal point sees counts over all cases but no case", async () => {
    const id = await openJaliscoCase();
    const focal = await signedIn(node, ["statistics_focal_point"]);
    const res = await focal.inject("GET", "/api/cases/statistics");
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.total).toBeGreaterThan(0);
    expect(s.byIccs["020221"]).toBeGreaterThan(0);
    expect(s.byYear.reduce((n: number, y: { cases: number }) => n + y.cases, 0)).toBe(s.total);
    expect(JSON.stringify(s)).not.toContain(id);
    expect(JSON.stringify(s)).not.toMatch(/COL-\d{4}-|MEX-\d{4}-/);
    expect((await focal.inject("GET", `/api/cases/${id}`)).statusCode).toBe(404);
    expect((await focal.inject("GET", "/api/cases")).statusCode).toBe(404);
    expect((await auditEvents(node, "cases.statistics_viewed")).length).toBeGreaterThan(0);
    const empty = await focal.inject("GET", "/api/cases/statistics?from=1990&to=1991");
    expect(empty.json().total).toBe(0);
    const bad = await focal.inject("GET", "/api/cases/statistics?from=2020&to=2010");
    expect(bad.json().error.fields[0].path).toBe("query.from");
  });

  it("withholds counts below the minimum cell, so that no count points to one or two cases", async () => {
    const res = await lead.inject(
      "POST",
      "/api/cases",
      caseBody({
        title: "Synthetic case: the only one in its region",
        place: { country: "MEX", region: "Zacatecas" },
      }),
    );
    expect(res.statusCode).toBe(201);
    const focal = await signedIn(node, ["statistics_focal_point"]);
    const s = (await focal.inject("GET", "/api/cases/statistics")).json();
    expect(s.minCell).toBe(3);
    const zac = s.byRegion.find((r: { region: string | null }) => r.region === "Zacatecas");
    expect(zac).toEqual({ country: "MEX", region: "Zacatecas", cases: null });
    const jal = s.byRegion.find((r: { region: string | null }) => r.region === "Jalisco");
    expect(jal.cases).toBeGreaterThanOrEqual(3);
    for (const breakdown of [s.byStatus, s.byIccs, s.byType, s.byOutcome]) {
      for (const v of Object.values(breakdown))
        expect(v === null || (v as number) >= 3 || v === 0).toBe(true);
    }
  });

  it("roles without the grant do not get it", async () => {
    const investigator = await signedIn(node, ["investigator"]);
    expect((await investigator.inject("GET", "/api/cases/statistics")).statusCode).toBe(404);
  });
});

describe("colleague lookup", () => {
  it("finds active colleagues who can serve on a team, and only them", async () => {
    const unique = `zq${Date.now().toString(36)}`;
    const analyst = await makeUser(node, ["analyst"], { displayName: `Ana ${unique}` });
    await makeUser(node, ["auditor"], { displayName: `Audrey ${unique}` });
    const res = await lead.inject("GET", `/api/colleagues?q=${unique}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().colleagues).toEqual([
      { userId: analyst.id, username: analyst.username, displayName: `Ana ${unique}`, roles: ["analyst"] },
    ]);
    const admin = await signedIn(node, ["admin"]);
    expect((await admin.inject("GET", `/api/colleagues?q=${unique}`)).statusCode).toBe(404);
  });
});

describe("export of the records", () => {
  it("carries groups, vehicles, wallets, charges and attachment metadata, in JSON and FollowTheMoney", async () => {
    const id = await openJaliscoCase();
    const personId = await addSuspect(id);
    await lead.inject("POST", `/api/cases/${id}/groups`, { name: "Red Ejemplo", countries: ["MEX"] });
    await lead.inject("POST", `/api/cases/${id}/vehicles`, {
      plate: "JAL 77 01",
      plateCountry: "MEX",
      make: "Nissan",
    });
    await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "crypto_wallet",
      asset: "BTC",
      value: "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
      personId,
    });
    await lead.inject("POST", `/api/cases/${id}/selectors`, {
      kind: "phone",
      value: "+52 33 9876 5432",
      personId,
    });
    await lead.inject("POST", `/api/cases/${id}/charges`, {
      personId,
      offence: "Secuestro",
      legalProvision: "art. 9",
      courtCaseNumber: "123/2026",
    });
    await lead.inject("POST", `/api/cases/${id}/attachments?filename=note.txt`, "synthetic", {
      "content-type": "text/plain",
    });
    const json = (await lead.inject("GET", `/api/cases/${id}/export`)).json();
    expect(json.groups).toHaveLength(1);
    expect(json.vehicles[0].plateNormalised).toBe("JAL7701");
    expect(json.selectors).toHaveLength(2);
    expect(json.charges[0].courtCaseNumber).toBe("123/2026");
    expect(json.attachments[0]).toMatchObject({ filename: "note.txt", size: 9 });
    expect(JSON.stringify(json)).not.toContain("c3ludGhldGlj"); // no content, only metadata

    const ftm = (await lead.inject("GET", `/api/cases/${id}/export?format=ftm`)).body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> });
    const one = (schema: string) => {
      const found = ftm.filter((e) => e.schema === schema);
      expect(found, schema).toHaveLength(1);
      return found[0] as (typeof ftm)[number];
    };
    const person = one("Person");
    expect(person.properties.phone).toEqual(["+523398765432"]);
    expect(one("CryptoWallet").properties).toMatchObject({
      publicKey: ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"],
      currencySymbol: ["BTC"],
      holder: [person.id],
    });
    expect(one("Organization").properties).toMatchObject({ name: ["Red Ejemplo"], country: ["mx"] });
    expect(one("Vehicle").properties).toMatchObject({ registrationNumber: ["JAL 77 01"], country: ["mx"] });
    const court = one("CourtCase");
    expect(court.properties).toMatchObject({ caseNumber: ["123/2026"], status: ["charged"] });
    expect(one("CourtCaseParty").properties).toEqual({
      party: [person.id],
      case: [court.id],
      role: ["defendant"],
    });
    const involved = one("Event").properties.involved ?? [];
    for (const schema of ["Person", "CryptoWallet", "Organization", "Vehicle"]) {
      expect(involved, schema).toContain(one(schema).id);
    }
  });
});

describe("bad input on the record routes", () => {
  it("wrong types, unknown fields, NUL, lone surrogates and huge strings are refused with the field", async () => {
    const id = await openJaliscoCase();
    const routes: [string, Record<string, unknown>, string][] = [
      ["groups", { name: "G" }, "name"],
      ["vehicles", { plate: "ABC123" }, "plate"],
      ["charges", { offence: "K", legalProvision: "P" }, "offence"],
      ["selectors", { kind: "iban", value: "ES9121000418450200051332" }, "note"],
    ];
    for (const [route, valid, field] of routes) {
      const url = `/api/cases/${id}/${route}`;
      const bad: [unknown, string][] = [
        [{ ...valid, [field]: 42 }, `body.${field}`],
        [{ ...valid, [field]: "a\u0000b" }, `body.${field}`],
        [{ ...valid, [field]: "a\ud800b" }, `body.${field}`],
        [{ ...valid, [field]: "x".repeat(20_000) }, `body.${field}`],
        [{ ...valid, surprise: true }, "body"],
      ];
      for (const [body, path] of bad) {
        const res = await lead.inject("POST", url, body);
        expect(res.statusCode, `${route} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
        expect(
          res
            .json()
            .error.fields.map((f: { path: string }) => f.path)
            .join(" "),
          route,
        ).toContain(path);
      }
    }
    // Scripts and accents pass through untouched.
    const g = await lead.inject("POST", `/api/cases/${id}/groups`, {
      name: "عصابة الاختبار",
      aliases: ["Банда", "測試幫", "Ñandú-Ōsaka"],
    });
    expect(g.json()).toMatchObject({ name: "عصابة الاختبار", aliases: ["Банда", "測試幫", "Ñandú-Ōsaka"] });
    const bogusCase = await lead.inject("POST", "/api/cases/not-a-uuid/groups", { name: "G" });
    expect(bogusCase.json().error.fields[0].path).toBe("params.id");
    const r = (await records(lead, id)).json();
    expect(r.groups).toHaveLength(1);
    expect(r.vehicles).toHaveLength(0);
  });
});
