/**
 * Cross-border hit/no-hit between three nodes on loopback (issue 5): COL asks MEX
 * and ESP about a phone and a person; MEX holds both (the person under a
 * misspelt, transliterated name) and answers hit, ESP answers no-hit (and does
 * not answer phones at all, by its policy); only pseudonyms and encodings
 * travel; MEX's case lead approves the follow-up and the information arrives at
 * COL. Also: the minimum query structure, need-to-know, the abuse limits per
 * peer and per user, and the audit trail on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPerson, openCase, peerPair, signedIn, teamMember } from "../helpers/factories.ts";
import { auditEvents, type Session } from "../helpers/node.ts";
import { type ListeningNode, peerBothWays, startListeningNodes, until } from "../helpers/peers.ts";

let col: ListeningNode;
let mex: ListeningNode;
let esp: ListeningNode;
let colLead: Session;
let mexLead: Session;
let colCase: string;
let mexCase: string;

interface Query {
  id: string;
  answers: {
    peer: string;
    status: string;
    reason: string | null;
    results: {
      item: string;
      answered: boolean;
      hits: {
        reference: string;
        score: number;
        disclosure: { decision: string; information: string | null } | null;
      }[];
    }[];
  }[];
}

const queries = async (): Promise<Query[]> =>
  (await colLead.inject("GET", `/api/cases/${colCase}/hit-queries`)).json().queries;
const answered = (id: string) =>
  until(async () => {
    const q = (await queries()).find((x) => x.id === id);
    return q?.answers.every((a) => a.status !== "pending") ?? false;
  });

beforeAll(async () => {
  [col, mex] = await peerPair(["COL", "MEX"], { ARIADNE_HITS_USER_QUERIES_PER_HOUR: 4 });
  // ESP answers everything, but persons only to COL, and at most two queries an hour from one node.
  [esp] = (await startListeningNodes(["ESP"], {
    ARIADNE_HITS_ANSWER_PEERS: "COL=person;MEX=phone",
    ARIADNE_HITS_PEER_QUERIES_PER_HOUR: 2,
  })) as [ListeningNode];
  await peerBothWays(col, esp);

  colLead = await signedIn(col, ["investigator"]);
  colCase = (await openCase(colLead, { title: "Synthetic abduction in Cúcuta", place: { country: "COL" } }))
    .id;
  await addPerson(colLead, colCase, {
    role: "suspect",
    names: [{ given: "Mohammed", family: "Alrashid" }],
    dateOfBirth: "1990-04-02",
    sex: "male",
    phones: [{ number: "+52 55 1234 5678" }],
  });
  await addPerson(colLead, colCase, { role: "witness", names: [{ family: "Pérez" }] });

  // MEX holds the same man, written in Arabic script and another Latin spelling, and his phone.
  mexLead = await signedIn(mex, ["investigator"]);
  mexCase = (
    await openCase(mexLead, { title: "Synthetic extortion in Tapachula", place: { country: "MEX" } })
  ).id;
  await addPerson(mexLead, mexCase, {
    role: "suspect",
    names: [
      { given: "محمد", family: "الراشد", script: "arabic" },
      { given: "Mohamed", family: "Al-Rashid" },
    ],
    dateOfBirth: "1990-04-02",
    sex: "male",
  });
  const sel = await mexLead.inject("POST", `/api/cases/${mexCase}/selectors`, {
    kind: "phone",
    value: "+525512345678",
  });
  expect(sel.statusCode, sel.body).toBe(201);
  // ESP holds someone else.
  const espUser = await signedIn(esp, ["investigator"]);
  const espCase = (await openCase(espUser, { title: "Synthetic case in Madrid", place: { country: "ESP" } }))
    .id;
  await addPerson(espUser, espCase, {
    role: "victim",
    names: [{ given: "Lucía", family: "Ejemplo" }],
    dateOfBirth: "1985-01-01",
  });
}, 90_000);

afterAll(async () => {
  // One after the other, as the other federation tests do.
  for (const n of [col, mex, esp]) await n?.close();
});

describe("hit/no-hit across three nodes", () => {
  let query: string;
  let personKey: string;
  let phoneKey: string;

  it("lists what may be asked about, refusing a bare surname", async () => {
    const res = await colLead.inject("GET", `/api/cases/${colCase}/hit-items`);
    expect(res.statusCode, res.body).toBe(200);
    const items: { key: string; type: string; label: string; role: string | null; refusal: string | null }[] =
      res.json().items;
    const person = items.find((i) => i.type === "person" && i.label.startsWith("Mohammed"));
    const phone = items.find((i) => i.type === "phone");
    const bare = items.find((i) => i.type === "person" && i.label === "Pérez");
    expect(person?.refusal).toBeNull();
    expect([person?.role, bare?.role, phone?.role]).toEqual(["suspect", "witness", "suspect"]);
    expect(phone?.label).toContain("+525512345678");
    expect(bare?.refusal).toMatch(/given name and a family name/);
    personKey = person?.key as string;
    phoneKey = phone?.key as string;

    const refused = await colLead.inject("POST", `/api/cases/${colCase}/hit-queries`, {
      items: [personKey, bare?.key],
      peers: ["MEX"],
      purpose: "locate the suspect",
      legalBasis: "UNTOC art. 27",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ path: "body.items.1" });
    const missing = await colLead.inject("POST", `/api/cases/${colCase}/hit-queries`, {
      items: [personKey],
      peers: ["MEX"],
      purpose: "",
      legalBasis: "UNTOC art. 27",
    });
    expect(missing.json().error.fields[0]).toMatchObject({ path: "body.purpose" });
  });

  it("MEX answers hit for the phone and the transliterated name, ESP no-hit; only pseudonyms travel", async () => {
    const res = await colLead.inject("POST", `/api/cases/${colCase}/hit-queries`, {
      items: [personKey, phoneKey],
      peers: ["MEX", "ESP", "MEX"],
      purpose: "locate the suspect holding a victim",
      legalBasis: "UNTOC art. 27(1)(b); ECOSOC 2002/16 §3",
    });
    expect(res.statusCode, res.body).toBe(202);
    query = res.json().id;
    // MEX, named twice, is asked once.
    expect(res.json().answers.map((a: { peer: string; status: string }) => [a.peer, a.status])).toEqual([
      ["ESP", "pending"],
      ["MEX", "pending"],
    ]);
    expect(await answered(query)).toBe(true);

    const q = (await queries()).find((x) => x.id === query) as Query;
    const mexAnswer = q.answers.find((a) => a.peer === "MEX");
    const espAnswer = q.answers.find((a) => a.peer === "ESP");
    expect(mexAnswer?.status).toBe("answered");
    const byItem = new Map(mexAnswer?.results.map((r) => [r.item, r]));
    expect(byItem.get(phoneKey)?.hits).toEqual([
      { reference: expect.any(String), score: 1, disclosure: null },
    ]);
    const personHit = byItem.get(personKey)?.hits[0];
    expect(personHit?.score).toBeGreaterThanOrEqual(0.7);
    expect(espAnswer?.status).toBe("answered");
    const espByItem = new Map(espAnswer?.results.map((r) => [r.item, r]));
    expect(espByItem.get(personKey)).toMatchObject({ answered: true, hits: [] });
    expect(espByItem.get(phoneKey)).toMatchObject({ answered: false, hits: [] });

    // What MEX received: pseudonyms and encodings, no number, no name.
    const received = await mex.db.kysely
      .selectFrom("inbox")
      .select("body")
      .where("mtype", "=", "hit-query")
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(received.body).toLowerCase();
    for (const secret of ["5512345678", "rashid", "mohammed", "1990-04-02", "19900402"])
      expect(text).not.toContain(secret);
    // Not in the liaison officers' inbox: the node answered it itself.
    const liaison = await signedIn(mex, ["liaison_officer"]);
    const inbox = (await liaison.inject("GET", "/api/federation/inbox")).json().messages as {
      type: string;
    }[];
    expect(inbox.some((m) => m.type.startsWith("hit-"))).toBe(false);

    // Audited on both sides, with the purpose and the legal basis.
    const asked = (await auditEvents(col, "hit.queried")).find(
      (e) => (e.details as { query: string }).query === query,
    );
    expect(asked).toMatchObject({ purpose: "locate the suspect holding a victim", target_id: colCase });
    const answeredAtMex = (await auditEvents(mex, "hit.answered")).at(-1);
    expect(answeredAtMex?.details).toMatchObject({
      peer: "COL",
      query,
      legalBasis: "UNTOC art. 27(1)(b); ECOSOC 2002/16 §3",
    });
    expect((answeredAtMex?.details as { hits?: unknown[] } | undefined)?.hits).toHaveLength(2);
  });

  it("MEX's case lead approves a follow-up and the information arrives at COL; others cannot decide", async () => {
    const list = await mexLead.inject("GET", "/api/hits/followups?status=pending");
    expect(list.statusCode, list.body).toBe(200);
    const followups: {
      id: string;
      itemType: string;
      caseId: string;
      matched: string;
      mayDecide: boolean;
      peer: string;
    }[] = list.json().followups;
    expect(followups.map((f) => f.itemType).sort()).toEqual(["person", "phone"]);
    expect(followups.every((f) => f.caseId === mexCase && f.peer === "COL" && f.mayDecide)).toBe(true);
    const person = followups.find((f) => f.itemType === "person") as (typeof followups)[number];
    expect(person.matched).toContain("1990-04-02");

    // Someone off the case: the follow-up does not exist for them.
    const stranger = await signedIn(mex, ["investigator"]);
    expect((await stranger.inject("GET", "/api/hits/followups")).json().followups).toEqual([]);
    const refusedStranger = await stranger.inject("POST", `/api/hits/followups/${person.id}/decision`, {
      decision: "refused",
      reason: "no",
    });
    expect(refusedStranger.statusCode).toBe(404);
    // A plain member of the matched case sees the follow-up but has no decision to take (the case-role table).
    const member = await teamMember(mex, mexLead, mexCase, { roles: ["analyst"], caseRole: "member" });
    const seenByMember = (await member.inject("GET", "/api/hits/followups")).json().followups as {
      id: string;
      mayDecide: boolean;
    }[];
    expect(seenByMember.find((f) => f.id === person.id)?.mayDecide).toBe(false);
    const refusedMember = await member.inject("POST", `/api/hits/followups/${person.id}/decision`, {
      decision: "refused",
      reason: "no",
    });
    expect(refusedMember.statusCode).toBe(404);
    const noWords = await mexLead.inject("POST", `/api/hits/followups/${person.id}/decision`, {
      decision: "approved",
    });
    expect(noWords.json().error.fields[0]).toMatchObject({ path: "body.information" });

    const info =
      "Our case holds a suspect of that name and birth date; contact the MEX liaison desk, reference in thread.";
    const ok = await mexLead.inject("POST", `/api/hits/followups/${person.id}/decision`, {
      decision: "approved",
      information: info,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: "approved", mayDecide: false });
    const again = await mexLead.inject("POST", `/api/hits/followups/${person.id}/decision`, {
      decision: "refused",
      reason: "changed my mind",
    });
    expect(again.statusCode).toBe(409);
    const phone = followups.find((f) => f.itemType === "phone") as (typeof followups)[number];
    await mexLead.inject("POST", `/api/hits/followups/${phone.id}/decision`, {
      decision: "refused",
      reason: "the number belongs to an ongoing covert operation",
    });

    const arrived = await until(async () => {
      const q = (await queries()).find((x) => x.id === query);
      const hits = q?.answers.find((a) => a.peer === "MEX")?.results.flatMap((r) => r.hits) ?? [];
      return hits.length === 2 && hits.every((h) => h.disclosure !== null);
    });
    expect(arrived).toBe(true);
    const hits = (await queries())
      .find((x) => x.id === query)
      ?.answers.find((a) => a.peer === "MEX")
      ?.results.flatMap((r) => r.hits.map((h) => ({ item: r.item, ...h })));
    expect(hits?.find((h) => h.item === personKey)?.disclosure).toMatchObject({
      decision: "approved",
      information: info,
    });
    expect(hits?.find((h) => h.item === phoneKey)?.disclosure).toMatchObject({
      decision: "refused",
      reason: "the number belongs to an ongoing covert operation",
    });
    expect((await auditEvents(mex, "hit.followup_decided")).length).toBe(2);

    // A page watching for answers reads without the disclosed information, and is not audited for it.
    const before = (await auditEvents(col, "hits.viewed")).length;
    const brief = (await colLead.inject("GET", `/api/cases/${colCase}/hit-queries?disclosures=omit`)).json()
      .queries as Query[];
    const briefHits = brief
      .find((x) => x.id === query)
      ?.answers.flatMap((a) => a.results.flatMap((r) => r.hits));
    expect(briefHits?.map((h) => h.disclosure?.decision).sort()).toEqual(["approved", "refused"]);
    expect(briefHits?.every((h) => h.disclosure?.information === null)).toBe(true);
    expect((await auditEvents(col, "hits.viewed")).length).toBe(before);
  });

  it("only the case's team sees its queries", async () => {
    const outsider = await signedIn(col, ["investigator"]);
    expect((await outsider.inject("GET", `/api/cases/${colCase}/hit-queries`)).statusCode).toBe(404);
    expect(
      (
        await outsider.inject("POST", `/api/cases/${colCase}/hit-queries`, {
          items: [personKey],
          peers: "all",
          purpose: "x",
          legalBasis: "y",
        })
      ).statusCode,
    ).toBe(404);
  });

  it("asks about at most 20 persons at once", async () => {
    const many = (await openCase(colLead, { title: "Synthetic case with many persons" })).id;
    for (let i = 0; i < 21; i++)
      await addPerson(colLead, many, {
        role: "witness",
        names: [{ given: `Testigo${i}`, family: "Sintético" }],
      });
    const items = (await colLead.inject("GET", `/api/cases/${many}/hit-items`)).json().items as {
      key: string;
    }[];
    const res = await colLead.inject("POST", `/api/cases/${many}/hit-queries`, {
      items: items.map((i) => i.key),
      peers: ["MEX"],
      purpose: "locate the witnesses",
      legalBasis: "UNTOC art. 27",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({
      path: "body.items",
      message: "a query asks about at most 20 persons",
    });
  });

  it("limits queries per answering peer and per asking user", async () => {
    const ask = () =>
      colLead.inject("POST", `/api/cases/${colCase}/hit-queries`, {
        items: [personKey],
        peers: ["ESP"],
        purpose: "locate the suspect",
        legalBasis: "UNTOC art. 27",
      });
    const second = await ask();
    expect(second.statusCode).toBe(202);
    expect(await answered(second.json().id)).toBe(true);
    const third = await ask();
    expect(await answered(third.json().id)).toBe(true);
    const refused = (await queries()).find((x) => x.id === third.json().id)?.answers[0];
    expect(refused).toMatchObject({
      peer: "ESP",
      status: "refused",
      reason: "rate limit: 2 queries an hour from one node",
    });
    // COL allows its users four queries an hour: the fourth passes, the fifth is refused.
    expect((await ask()).statusCode).toBe(202);
    const fifth = await ask();
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe("rate_limited");
  });
});
