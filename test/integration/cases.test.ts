/** Cases on the common definition: need-to-know, lifecycle, and the append-only crisis log. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addLogEntry,
  addPerson,
  caseBody,
  openCase,
  personBody,
  type SignedIn,
  signedIn,
  teamMember,
} from "../helpers/factories.ts";
import {
  auditEvents,
  createTestNode,
  makeUser,
  type Session,
  signIn,
  type TestNode,
} from "../helpers/node.ts";

let node: TestNode;
let lead: SignedIn;
beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  lead = await signedIn(node, ["investigator"]);
});
afterAll(async () => node?.close());

describe("opening a case", () => {
  it("derives the statistical class from the recorded elements and makes the opener its lead", async () => {
    const res = await lead.inject(
      "POST",
      "/api/cases",
      caseBody({
        elements: { victimDetained: true, victimMoved: true, againstWill: true, purpose: "ransom" },
      }),
    );
    expect(res.statusCode).toBe(201);
    const c = res.json();
    // The reference counts per year of recording (now, in UTC).
    expect(c.reference).toMatch(new RegExp(`^COL-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(c.classification).toMatchObject({ iccs: "020221", kidnapping: true, type: "ransom" });
    expect(c.classification.reasons.length).toBeGreaterThan(0);
    expect(c).toMatchObject({
      status: "reported",
      outcome: null,
      myRole: "lead",
      tlp: "amber",
      handling: ["H0"],
    });
    expect((await auditEvents(node, "case.created")).some((e) => e.target_id === c.id)).toBe(true);
  });

  it("numbers cases one after another within the year", async () => {
    const a = await openCase(lead);
    const b = await openCase(lead);
    expect(Number(b.reference.slice(-6))).toBe(Number(a.reference.slice(-6)) + 1);
  });

  it("classifies a virtual kidnapping as no act against liberty", async () => {
    const c = await openCase(lead, {
      elements: { victimDetained: false, victimMoved: false, againstWill: true, purpose: "ransom" },
    });
    const got = (await lead.inject("GET", `/api/cases/${c.id}`)).json();
    expect(got.classification).toMatchObject({ iccs: null, kidnapping: false, type: "virtual" });
  });

  it("refuses contradictory elements, naming the field", async () => {
    const res = await lead.inject(
      "POST",
      "/api/cases",
      caseBody({
        elements: { victimDetained: false, victimMoved: true, againstWill: true, purpose: "ransom" },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(
      "body.elements.victimMoved",
    );
  });

  it("refuses bad places and times with the field", async () => {
    const bad = await lead.inject(
      "POST",
      "/api/cases",
      caseBody({ place: { country: "Colombia", latitude: 200 } }),
    );
    const paths = bad.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["body.place.country", "body.place.latitude"]));
    const later = await lead.inject(
      "POST",
      "/api/cases",
      caseBody({ occurredAt: "2099-01-01T00:00:00Z", reportedAt: "2026-11-21T00:00:00Z" }),
    );
    expect(later.json().error.fields[0].path).toBe("body.occurredAt");
  });

  it("is not open to roles that do not work cases", async () => {
    const stats = await signedIn(node, ["statistics_focal_point"]);
    expect((await stats.inject("POST", "/api/cases", caseBody())).statusCode).toBe(404);
    const analyst = await signedIn(node, ["analyst"]);
    expect((await analyst.inject("POST", "/api/cases", caseBody())).statusCode).toBe(404);
  });
});

describe("need-to-know", () => {
  it("nobody outside the team sees the case: not in lists, not by id, not its team or log", async () => {
    const c = await openCase(lead);
    const outsider = await signedIn(node, ["investigator"]);
    const admin = await signedIn(node, ["admin"]);
    expect(
      (await outsider.inject("GET", "/api/cases")).json().cases.map((x: { id: string }) => x.id),
    ).not.toContain(c.id);
    for (const s of [outsider, admin]) {
      for (const url of [`/api/cases/${c.id}`, `/api/cases/${c.id}/team`, `/api/cases/${c.id}/crisis-log`]) {
        const res = await s.inject("GET", url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe("not_found");
      }
      expect(
        (await s.inject("POST", `/api/cases/${c.id}/transition`, { to: "active_crisis" })).statusCode,
      ).toBe(404);
    }
  });

  it("a colleague put on the team sees the case; a plain member does not see the crisis log", async () => {
    const c = await openCase(lead);
    const prosecutor = await signedIn(node, ["prosecutor"]);
    expect((await prosecutor.inject("GET", `/api/cases/${c.id}`)).statusCode).toBe(404);
    const put = await lead.inject("PUT", `/api/cases/${c.id}/team/${prosecutor.user.id}`, {
      caseRole: "member",
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().team.map((m: { username: string }) => m.username)).toEqual([
      lead.user.username,
      prosecutor.user.username,
    ]);
    const seen = await prosecutor.inject("GET", `/api/cases/${c.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().myRole).toBe("member");
    expect(
      (await prosecutor.inject("GET", "/api/cases")).json().cases.map((x: { id: string }) => x.id),
    ).toEqual([c.id]);
    expect((await prosecutor.inject("GET", `/api/cases/${c.id}/crisis-log`)).statusCode).toBe(404);
    // The member's abilities come with the case: the web app shows them and decides nothing.
    expect(seen.json().abilities).toEqual(["case.read", "case.records", "case.prosecution", "hits.ask"]);
    // Only the lead changes the team; to anyone else the team's management does not exist (404, as every refusal on a case).
    const other = await makeUser(node, ["analyst"]);
    expect(
      (await prosecutor.inject("PUT", `/api/cases/${c.id}/team/${other.id}`, { caseRole: "member" }))
        .statusCode,
    ).toBe(404);
    expect(
      (await prosecutor.inject("POST", `/api/cases/${c.id}/transition`, { to: "under_investigation" }))
        .statusCode,
    ).toBe(404);
    expect((await prosecutor.inject("GET", `/api/cases/${c.id}`)).json().status).toBe("reported");
    // Taken off the team, the case is gone again.
    await lead.inject("DELETE", `/api/cases/${c.id}/team/${prosecutor.user.id}`);
    expect((await prosecutor.inject("GET", `/api/cases/${c.id}`)).statusCode).toBe(404);
    expect((await auditEvents(node, "case.team_changed")).filter((e) => e.target_id === c.id)).toHaveLength(
      2,
    );
  });

  it("only colleagues whose roles work cases can join a team", async () => {
    const c = await openCase(lead);
    const auditor = await makeUser(node, ["auditor"]);
    const res = await lead.inject("PUT", `/api/cases/${c.id}/team/${auditor.id}`, { caseRole: "member" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toEqual({
      path: "params.userId",
      message: "holds no role that works on cases",
    });
  });

  it("reading a case is audited with its purpose", async () => {
    const c = await openCase(lead);
    await lead.inject("GET", `/api/cases/${c.id}`, undefined, {
      "x-ariadne-purpose": "preparing the crisis meeting",
    });
    const viewed = (await auditEvents(node, "case.viewed")).filter((e) => e.target_id === c.id);
    expect(viewed.map((e) => e.purpose)).toEqual(["preparing the crisis meeting"]);
  });
});

describe("the lifecycle through the API", () => {
  it("moves a case from report to closure and refuses illegal transitions with the reason", async () => {
    const c = await openCase(lead);
    const go = (body: Record<string, unknown>) => lead.inject("POST", `/api/cases/${c.id}/transition`, body);
    expect((await go({ to: "active_crisis" })).json().status).toBe("active_crisis");
    const noOutcome = await go({ to: "resolved" });
    expect(noOutcome.statusCode).toBe(409);
    expect(noOutcome.json().error.fields[0].path).toBe("body.outcome");
    const skip = await go({ to: "closed" });
    expect(skip.json().error.fields[0]).toMatchObject({
      path: "body.to",
      message: expect.stringContaining("cannot become closed"),
    });
    expect((await go({ to: "resolved", outcome: "rescued" })).json()).toMatchObject({
      status: "resolved",
      outcome: "rescued",
    });
    expect((await go({ to: "under_investigation" })).statusCode).toBe(200);
    expect((await go({ to: "in_prosecution" })).statusCode).toBe(200);
    expect((await go({ to: "closed" })).json()).toMatchObject({ status: "closed", outcome: "rescued" });
    const moves = (await auditEvents(node, "case.transitioned")).filter((e) => e.target_id === c.id);
    expect(moves.map((e) => e.details.to)).toEqual([
      "active_crisis",
      "resolved",
      "under_investigation",
      "in_prosecution",
      "closed",
    ]);
  });
});

describe("the crisis log", () => {
  it("records entries in order, chained, with corrections as new entries", async () => {
    const c = await openCase(lead);
    const post = (body: Record<string, unknown>) =>
      lead.inject("POST", `/api/cases/${c.id}/crisis-log`, body);
    const contact = await post({
      entry: {
        kind: "contact",
        channel: "phone",
        direction: "incoming",
        summary: "Caller demands money for the victim's release.",
      },
    });
    expect(contact.statusCode).toBe(201);
    const demand = await post({
      entry: { kind: "demand", summary: "First demand", amount: { value: 500000, currency: "USD" } },
    });
    const fix = await post({
      entry: { kind: "demand", summary: "Amount misheard", amount: { value: 50000, currency: "USD" } },
      corrects: demand.json().id,
    });
    expect(fix.json().corrects).toBe(demand.json().id);
    const decision = await post({
      entry: {
        kind: "decision",
        decision: "Ask for proof of life before any offer",
        rationale: "No contact with the victim yet",
        decidedBy: "Crisis committee",
      },
    });
    expect(decision.statusCode).toBe(201);
    const log = (await lead.inject("GET", `/api/cases/${c.id}/crisis-log`)).json();
    expect(log.verified).toBe(true);
    expect(log.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log.entries.map((e: { entry: { kind: string } }) => e.entry.kind)).toEqual([
      "contact",
      "demand",
      "demand",
      "decision",
    ]);
  });

  it("refuses a decision without its rationale, and a correction of another case's entry", async () => {
    const c = await openCase(lead);
    const other = await openCase(lead);
    const noWhy = await lead.inject("POST", `/api/cases/${c.id}/crisis-log`, {
      entry: { kind: "decision", decision: "Pay", decidedBy: "X" },
    });
    expect(noWhy.statusCode).toBe(400);
    expect(noWhy.json().error.fields[0].path).toBe("body.entry.rationale");
    const e = await addLogEntry(lead, other.id, { kind: "note", summary: "x" });
    const cross = await lead.inject("POST", `/api/cases/${c.id}/crisis-log`, {
      entry: { kind: "note", summary: "y" },
      corrects: e.id,
    });
    expect(cross.json().error.fields[0].path).toBe("body.corrects");
  });

  it("cannot be edited or deleted: not by the application's role, not even by the owner", async () => {
    const c = await openCase(lead);
    await addLogEntry(lead, c.id, { kind: "note", summary: "original" });
    await expect(
      node.db.kysely.updateTable("crisis_log").set({ author_label: "x" }).execute(),
    ).rejects.toThrow(/permission denied/);
    await expect(node.db.kysely.deleteFrom("crisis_log").execute()).rejects.toThrow(/permission denied/);
    await node.asSuperuser(async (q) => {
      await expect(q("UPDATE crisis_log SET content = '{}'::jsonb")).rejects.toThrow(/append-only/);
      await expect(q("DELETE FROM crisis_log")).rejects.toThrow(/append-only/);
    });
    // Tampering with the trigger off is caught by the chain.
    await node.asSuperuser(async (q) => {
      await q("BEGIN");
      await q("SET LOCAL session_replication_role = replica");
      await q(
        `UPDATE crisis_log SET content = '{"kind":"note","summary":"rewritten"}'::jsonb WHERE case_id = $1`,
        [c.id],
      );
      await q("COMMIT");
    });
    expect((await lead.inject("GET", `/api/cases/${c.id}/crisis-log`)).json().verified).toBe(false);
  });

  it("stays one unbroken chain when the crisis team writes at the same time", async () => {
    const c = await openCase(lead);
    const other = await teamMember(node, lead, c.id, { roles: ["crisis_manager"], caseRole: "crisis_team" });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? lead : other).inject("POST", `/api/cases/${c.id}/crisis-log`, {
          entry: { kind: "intelligence", summary: `item ${i}` },
        }),
      ),
    );
    const log = (await other.inject("GET", `/api/cases/${c.id}/crisis-log`)).json();
    expect(log.entries).toHaveLength(12);
    expect(log.verified).toBe(true);
  });
});

describe("the people of a case", () => {
  it("records a victim with name variants in several scripts, normalising phones and IBANs", async () => {
    const c = await openCase(lead);
    const res = await lead.inject("POST", `/api/cases/${c.id}/persons`, {
      role: "victim",
      names: [
        { given: "Fatima", family: "Al-Sayed", script: "latin" },
        { given: "فاطمة", family: "السيد", script: "arabic" },
      ],
      dateOfBirth: "1979-03-01",
      sex: "female",
      nationalities: ["COL", "LBN"],
      documents: [{ type: "passport", country: "COL", number: "AB123456" }],
      phones: [{ number: "+57 (300) 123-4567" }, { number: "300 123 4567", region: "CO" }],
      ibans: ["es91 2100 0418 4502 0005 1332"],
      addresses: ["Calle 5 # 10-20, Cali"],
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      role: "victim",
      displayName: "Fatima Al-Sayed",
      dateOfBirth: "1979-03-01",
      phones: ["+573001234567"],
      ibans: ["ES9121000418450200051332"],
    });
    expect(p.names[1]).toEqual({ given: "فاطمة", family: "السيد", script: "arabic" });
    const list = (await lead.inject("GET", `/api/cases/${c.id}/persons`)).json();
    expect(list.persons.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await auditEvents(node, "persons.viewed")).some((e) => e.target_id === c.id)).toBe(true);
  });

  it("refuses a wrong phone or IBAN, naming the item", async () => {
    const c = await openCase(lead);
    const phone = await lead.inject(
      "POST",
      `/api/cases/${c.id}/persons`,
      personBody({ phones: [{ number: "+57 300 123 4567" }, { number: "12345" }] }),
    );
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.fields[0].path).toBe("body.phones.1.number");
    const iban = await lead.inject(
      "POST",
      `/api/cases/${c.id}/persons`,
      personBody({ ibans: ["ES9121000418450200051333"] }),
    );
    expect(iban.json().error.fields[0]).toEqual({
      path: "body.ibans.0",
      message: "has wrong check digits (a typo?)",
    });
    const noName = await lead.inject(
      "POST",
      `/api/cases/${c.id}/persons`,
      personBody({ role: "witness", names: [{ script: "latin" }] }),
    );
    expect(noName.json().error.fields[0].path).toBe("body.names.0");
    expect((await lead.inject("GET", `/api/cases/${c.id}/persons`)).json().persons).toEqual([]);
  });

  it("are hidden from anyone outside the team", async () => {
    const c = await openCase(lead);
    await addPerson(lead, c.id, { role: "victim" });
    const outsider = await signedIn(node, ["investigator"]);
    expect((await outsider.inject("GET", `/api/cases/${c.id}/persons`)).statusCode).toBe(404);
    expect(
      (await outsider.inject("POST", `/api/cases/${c.id}/persons`, personBody({ role: "victim" })))
        .statusCode,
    ).toBe(404);
  });
});

describe("search", () => {
  it("finds a case by a person's name in another script or misspelt, by phone in any spelling, by IBAN and by reference — within the team only", async () => {
    const c = await openCase(lead);
    await addPerson(lead, c.id, {
      role: "victim",
      names: [
        { given: "Olga", family: "Smirnova" },
        { given: "Ольга", family: "Смирнова", script: "cyrillic" },
      ],
      phones: [{ number: "+57 311 765 4321" }],
      ibans: ["DE89 3704 0044 0532 0130 00"],
    });
    await addPerson(lead, c.id, { names: [{ given: "José María", family: "Pérez-Gómez" }] });
    const search = async (s: Session, q: string) =>
      (await s.inject("GET", `/api/cases/search?q=${encodeURIComponent(q)}`)).json().hits as {
        case: { id: string };
        matchedOn: string;
        person: string | null;
      }[];
    const found = async (q: string, on: string) => {
      const hits = await search(lead, q);
      expect(
        hits.some((h) => h.case.id === c.id && h.matchedOn === on),
        `${q} → ${JSON.stringify(hits.map((h) => h.matchedOn))}`,
      ).toBe(true);
    };
    await found("Смирнова", "person");
    await found("olga smirnowa", "person");
    await found("jose maria perez gomez", "person");
    await found("+57 (311) 765-4321", "phone");
    await found("de89370400440532013000", "iban");
    await found(c.reference, "reference");
    const outsider = await signedIn(node, ["investigator"]);
    expect(await search(outsider, "Smirnova")).toEqual([]);
    expect(await search(outsider, "+573117654321")).toEqual([]);
  });

  it("refuses a query shorter than two characters", async () => {
    const res = await lead.inject("GET", "/api/cases/search?q=a");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe("query.q");
  });
});

describe("demo data", () => {
  it("seeds cases through the real use cases: classified, staffed, with verified crisis logs", async () => {
    const { seedDemoCases } = await import("../../src/server/demo/cases.ts");
    const { actorForUser } = await import("../../src/capabilities/accounts/auth.ts");
    const leadRow = await node.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", lead.user.id)
      .executeTakeFirstOrThrow();
    const crisisUser = await makeUser(node, ["crisis_manager"]);
    const before = (await lead.inject("GET", "/api/cases?limit=500")).json().cases.length;
    await seedDemoCases(
      { ...node.ctx, actor: actorForUser(leadRow) },
      { count: 10, seed: 42, team: [{ userId: crisisUser.id, caseRole: "crisis_team" }] },
    );
    const mine = (await lead.inject("GET", "/api/cases?limit=500")).json().cases;
    expect(mine.length - before).toBe(10);
    const crisis = await signIn(node, crisisUser);
    const theirs = (await crisis.inject("GET", "/api/cases")).json().cases as { id: string }[];
    expect(theirs).toHaveLength(10);
    for (const c of theirs) {
      const log = (await crisis.inject("GET", `/api/cases/${c.id}/crisis-log`)).json();
      expect(log.verified).toBe(true);
      expect(log.entries.length).toBe(2);
      expect((await crisis.inject("GET", `/api/cases/${c.id}/persons`)).json().persons).toHaveLength(3);
    }
    // The stories carry their records: rescues end rescued cases, charges follow prosecution.
    const all = (await crisis.inject("GET", "/api/cases?limit=500")).json().cases as {
      id: string;
      status: string;
      outcome: string | null;
    }[];
    for (const c of all) {
      const r = (await crisis.inject("GET", `/api/cases/${c.id}/records`)).json();
      expect(r.rescues.length > 0, c.id).toBe(c.outcome === "rescued");
      expect(r.charges.length > 0, c.id).toBe(["in_prosecution", "closed"].includes(c.status));
    }
  });
});

describe("export", () => {
  it("gives the whole case as JSON and as FollowTheMoney entities, to the team only, audited", async () => {
    const c = await openCase(lead);
    await addPerson(lead, c.id, {
      role: "victim",
      names: [
        { given: "Ольга", family: "Смирнова", script: "cyrillic" },
        { given: "Olga", family: "Smirnova" },
      ],
      dateOfBirth: "1985-06-15",
      nationalities: ["COL"],
      phones: [{ number: "+57 310 555 1234" }],
      ibans: ["ES9121000418450200051332"],
    });
    await addLogEntry(lead, c.id, { kind: "note", summary: "exported too" });
    const json = await lead.inject("GET", `/api/cases/${c.id}/export`);
    expect(json.statusCode).toBe(200);
    expect(json.headers["content-disposition"]).toContain("attachment");
    const body = json.json();
    expect(body.case.reference).toBe(c.reference);
    expect(body.persons[0].phones).toEqual(["+573105551234"]);
    expect(body.crisisLog).toHaveLength(1);

    const ftm = await lead.inject("GET", `/api/cases/${c.id}/export?format=ftm`);
    expect(ftm.headers["content-type"]).toMatch(/ndjson/);
    const entities = ftm.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const bySchema = (s: string) => entities.filter((e: { schema: string }) => e.schema === s);
    expect(bySchema("Event")).toHaveLength(1);
    const [person] = bySchema("Person");
    expect(person.properties).toMatchObject({
      name: ["Ольга Смирнова"],
      alias: ["Olga Smirnova"],
      birthDate: ["1985-06-15"],
      nationality: ["co"],
      phone: ["+573105551234"],
    });
    expect(bySchema("Event")[0].properties.involved).toEqual([person.id]);
    const [account] = bySchema("BankAccount");
    expect(account.properties.iban).toEqual(["ES9121000418450200051332"]);
    expect(bySchema("Ownership")[0].properties).toEqual({ owner: [person.id], asset: [account.id] });
    expect((await auditEvents(node, "case.exported")).filter((e) => e.target_id === c.id)).toHaveLength(2);

    const outsider = await signedIn(node, ["investigator"]);
    expect((await outsider.inject("GET", `/api/cases/${c.id}/export?format=ftm`)).statusCode).toBe(404);
  });
});
