/**
 * The receiving liaison officer's side of the federation (issue 4): the peers
 * to address, one message read in full (audited), a notice linked to a local
 * case or a case opened from it (need-to-know holds: a case the officer is not
 * on does not exist for them), H1 carried to the link, the live inbox that tells
 * TLP:RED arrivals to their named recipients only and replays what a
 * reconnecting page missed, the audited outbox, and refused person sketches.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CaseBody,
  caseBody,
  noticeBody,
  type Overrides,
  openCase,
  peerPair,
  type SignedIn,
  signedIn,
} from "../helpers/factories.ts";
import { auditEvents, makeUser, type Session, signIn } from "../helpers/node.ts";
import { type ListeningNode, until } from "../helpers/peers.ts";

let col: ListeningNode;
let mex: ListeningNode;
let colLiaison: SignedIn;
let mexLiaison: SignedIn;

/** A notice to MEX marked H1 (not for court). */
const notice = (summary: string, over: Record<string, unknown> = {}) =>
  noticeBody({ handling: ["H0", "H1"], body: { summary } }, over);

/** Send from COL and wait until MEX has processed it; answers the message id. */
async function deliver(body: Record<string, unknown>): Promise<string> {
  const sent = await colLiaison.inject("POST", "/api/federation/messages", body);
  expect(sent.statusCode, sent.body).toBe(202);
  const id: string = sent.json().messages[0].id;
  const arrived = await until(async () => {
    const row = await mex.db.kysely.selectFrom("inbox").select("id").where("id", "=", id).executeTakeFirst();
    return row !== undefined;
  });
  expect(arrived).toBe(true);
  return id;
}

/** A case at MEX. */
const localCase = (over: Overrides<CaseBody> = {}) =>
  caseBody({ title: "Synthetic case opened at MEX", place: { country: "MEX" } }, over);

beforeAll(async () => {
  [col, mex] = await peerPair(["COL", "MEX"]);
  colLiaison = await signedIn(col, ["liaison_officer"]);
  mexLiaison = await signedIn(mex, ["liaison_officer"]);
}, 60_000);

afterAll(async () => {
  await col?.close();
  await mex?.close();
});

describe("the receiving liaison officer", () => {
  it("lists the peers to address, without their keys or endpoints; an investigator cannot", async () => {
    const res = await colLiaison.inject("GET", "/api/federation/partners");
    expect(res.statusCode).toBe(200);
    expect(res.json().partners).toEqual([{ nodeId: "MEX", name: expect.any(String), status: "active" }]);
    const investigator = await signedIn(col, ["investigator"]);
    expect((await investigator.inject("GET", "/api/federation/partners")).statusCode).toBe(404);
  });

  it("reads one message in full, audited with its purpose; H1 says it is not for court", async () => {
    const id = await deliver(notice("read me in full"));
    const res = await mexLiaison.inject("GET", `/api/federation/inbox/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      sender: "COL",
      body: { summary: "read me in full" },
      judicialUse: false,
      forwardable: false,
      links: [],
    });
    const viewed = (await auditEvents(mex, "message.viewed")).find((e) => e.target_id === id);
    expect(viewed?.purpose).toBe("international cooperation");
    expect((await mexLiaison.inject("GET", `/api/federation/inbox/${crypto.randomUUID()}`)).statusCode).toBe(
      404,
    );
  });

  it("links a notice to a case of theirs, once; a case they are not on does not exist for them", async () => {
    const id = await deliver(notice("link me"));
    const mine = await mexLiaison.inject("POST", "/api/cases", localCase());
    expect(mine.statusCode, mine.body).toBe(201);
    const caseId: string = mine.json().id;

    const linked = await mexLiaison.inject("POST", `/api/federation/inbox/${id}/links`, { caseId });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().links).toEqual([
      expect.objectContaining({ caseId, reference: mine.json().reference, openedFromMessage: false }),
    ]);
    const again = await mexLiaison.inject("POST", `/api/federation/inbox/${id}/links`, { caseId });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0]).toMatchObject({ path: "body.caseId" });

    // Someone else's case: 404, and nothing linked.
    const theirs = (await openCase(await signedIn(mex, ["investigator"]), localCase())).id;
    const refused = await mexLiaison.inject("POST", `/api/federation/inbox/${id}/links`, { caseId: theirs });
    expect(refused.statusCode).toBe(404);
    const links = await mex.db.kysely
      .selectFrom("message_case_links")
      .selectAll()
      .where("message_id", "=", id)
      .execute();
    expect(links.map((l) => l.case_id)).toEqual([caseId]);
    // The link is audited with the handling the case's team must respect.
    const audited = (await auditEvents(mex, "message.linked")).find((e) => e.target_id === id);
    expect(audited?.details).toMatchObject({ caseId, judicialUse: false, openedCase: false });
  });

  it("opens a case from a notice in one step, led by the officer and linked to it", async () => {
    const id = await deliver(notice("open a case from me", { handling: ["H0"] }));
    const res = await mexLiaison.inject(
      "POST",
      `/api/federation/inbox/${id}/case`,
      localCase({ title: "Ximena Prueba, notice from COL" }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { case: opened, message } = res.json();
    expect(opened).toMatchObject({ title: "Ximena Prueba, notice from COL", myRole: "lead" });
    expect(message.links).toEqual([expect.objectContaining({ caseId: opened.id, openedFromMessage: true })]);
    expect(message.judicialUse).toBe(true);
    // A refused case leaves nothing behind: no case, no link.
    const before = (await mex.db.kysely.selectFrom("cases").select("id").execute()).length;
    const bad = await mexLiaison.inject(
      "POST",
      `/api/federation/inbox/${id}/case`,
      localCase({ place: { country: "XXX" } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe("body.place.country");
    expect((await mex.db.kysely.selectFrom("cases").select("id").execute()).length).toBe(before);
  });

  it("the live inbox tells a TLP:RED arrival to its named recipients only, and replays what a reconnect missed", async () => {
    const other = await signedIn(mex, ["liaison_officer"]);
    const open = async (s: Session, lastEventId?: string) => {
      const controller = new AbortController();
      const res = await fetch(`http://127.0.0.1:${mex.port}/api/federation/inbox/stream`, {
        headers: { cookie: s.cookie, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      const state = { text: "" };
      void (async () => {
        try {
          for (;;) {
            const r = await reader?.read();
            if (!r || r.done) return;
            state.text += new TextDecoder().decode(r.value);
          }
        } catch {
          // aborted
        }
      })();
      return { state, close: () => controller.abort() };
    };
    const named = await open(mexLiaison);
    const notNamed = await open(other);
    const redId = await deliver({
      to: ["MEX"],
      type: "info-request",
      tlp: "red",
      handling: ["H0"],
      namedRecipients: [mexLiaison.user.username],
      body: { question: "Synthetic: is this phone known to you?", urgency: "urgent" },
    });
    const greenId = await deliver(notice("for everyone", { tlp: "green", handling: ["H0"] }));
    expect(
      await until(async () => named.state.text.includes(greenId) && notNamed.state.text.includes(greenId)),
    ).toBe(true);
    expect(named.state.text).toContain(`id: ${redId}`);
    expect(notNamed.state.text).not.toContain(redId);
    named.close();
    notNamed.close();

    // A page that saw the red message reconnects and first receives what came after it.
    const later = await deliver(notice("after the reconnect point", { tlp: "green", handling: ["H0"] }));
    const resumed = await open(mexLiaison, redId);
    expect(await until(async () => resumed.state.text.includes(later))).toBe(true);
    expect(resumed.state.text).toContain(`id: ${greenId}`);
    expect(resumed.state.text).not.toContain(`id: ${redId}`);
    resumed.close();
    // The other officer, resuming from before the red message, still never hears of it.
    const otherResumed = await open(other, greenId);
    expect(await until(async () => otherResumed.state.text.includes(later))).toBe(true);
    otherResumed.close();
    const fromStart = await mex.db.kysely
      .selectFrom("inbox")
      .select("id")
      .orderBy("received_at")
      .executeTakeFirstOrThrow();
    const otherFromStart = await open(other, fromStart.id);
    expect(await until(async () => otherFromStart.state.text.includes(later))).toBe(true);
    expect(otherFromStart.state.text).not.toContain(redId);
    otherFromStart.close();
  });

  it("lists one thread's messages on both sides", async () => {
    const first = await deliver(notice("thread start", { tlp: "green", handling: ["H0"] }));
    const thread = (
      await mex.db.kysely
        .selectFrom("inbox")
        .select("thread")
        .where("id", "=", first)
        .executeTakeFirstOrThrow()
    ).thread;
    const inThread = (await mexLiaison.inject("GET", `/api/federation/inbox?thread=${thread}`)).json()
      .messages;
    expect(inThread.map((m: { id: string }) => m.id)).toEqual([first]);
    const sentInThread = (await colLiaison.inject("GET", `/api/federation/outbox?thread=${thread}`)).json()
      .messages;
    expect(sentInThread.map((m: { id: string }) => m.id)).toEqual([first]);
    const bad = await mexLiaison.inject("GET", "/api/federation/inbox?thread=nope");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({ path: "query.thread" });
  });

  it("reading the outbox is audited", async () => {
    const res = await colLiaison.inject("GET", "/api/federation/outbox?status=processed");
    expect(res.statusCode).toBe(200);
    const last = (await auditEvents(col, "messages.viewed")).at(-1);
    expect(last).toMatchObject({ purpose: "international cooperation" });
    expect(last?.details).toMatchObject({ box: "outbox", status: "processed" });
  });

  it("refuses a person sketch without a name, with an impossible age range, or with both a birth date and ages", async () => {
    const victim = (v: Record<string, unknown>) => notice("bad sketch", { body: { victim: v } });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ names: [{}] }, "body.body.victim.names.0", /given name or a family name/],
      [{ names: [{ given: " " }] }, "body.body.victim.names.0", /given name or a family name/],
      [
        { names: [{ family: "Prueba" }], ageRange: { min: 40, max: 30 } },
        "body.body.victim.ageRange.min",
        /not be above max/,
      ],
      [
        { names: [{ family: "Prueba" }], dateOfBirth: "1990-01-01", ageRange: { min: 30, max: 40 } },
        "body.body.victim.ageRange",
        /not both/,
      ],
    ];
    for (const [v, path, message] of cases) {
      const res = await colLiaison.inject("POST", "/api/federation/messages", victim(v));
      expect(res.statusCode, JSON.stringify(v)).toBe(400);
      const field = res.json().error.fields.find((f: { path: string }) => f.path === path);
      expect(field?.message, `${JSON.stringify(v)}: ${res.body}`).toMatch(message);
    }
  });

  it("queues a batch of messages all or none, audited each, and delivers every one", async () => {
    const batch = ["one", "two", "three"].map((n) =>
      notice(`batch ${n}`, { tlp: "green", handling: ["H0"] }),
    );
    const before = await col.db.kysely
      .selectFrom("outbox")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await colLiaison.inject("POST", "/api/federation/messages/batch", { messages: batch });
    expect(res.statusCode, res.body).toBe(202);
    const results: { messages: { id: string; recipient: string; thread: string }[] }[] = res.json().results;
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.messages.map((m) => m.recipient))).toEqual([["MEX"], ["MEX"], ["MEX"]]);
    expect(new Set(results.map((r) => r.messages[0]?.thread)).size).toBe(3);
    const ids = results.map((r) => r.messages[0]?.id as string);
    const sent = (await auditEvents(col, "message.sent")).filter((e) =>
      ids.includes(((e.details as { ids: string[] }).ids ?? [])[0] as string),
    );
    expect(sent).toHaveLength(3);
    const arrived = await until(async () => {
      const rows = await mex.db.kysely.selectFrom("inbox").select("body").where("id", "in", ids).execute();
      return rows.length === 3;
    });
    expect(arrived).toBe(true);
    const bodies = await mex.db.kysely
      .selectFrom("inbox")
      .select(["id", "body"])
      .where("id", "in", ids)
      .execute();
    expect(new Map(bodies.map((b) => [b.id, (b.body as { summary: string }).summary]))).toEqual(
      new Map(ids.map((id, i) => [id, `batch ${["one", "two", "three"][i]}`])),
    );

    // One bad message refuses the whole batch, naming it; nothing is queued.
    const bad = await colLiaison.inject("POST", "/api/federation/messages/batch", {
      messages: [batch[0], { ...batch[1], to: ["ZZZ"] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0]).toMatchObject({
      path: "body.messages.1.to.0",
      message: "ZZZ is not an active peer",
    });
    const invalid = await colLiaison.inject("POST", "/api/federation/messages/batch", {
      messages: [batch[0], { ...batch[1], body: { request: "locate" } }],
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields[0].path).toMatch(/^body\.messages\.1\.body/);
    // A message about a case the sender is not on: that case does not exist for them, and nothing is queued.
    const strangers = await colLiaison.inject("POST", "/api/federation/messages/batch", {
      messages: [batch[0], { ...batch[1], caseId: randomUUID() }],
    });
    expect(strangers.statusCode).toBe(404);
    const tooMany = await colLiaison.inject("POST", "/api/federation/messages/batch", {
      messages: Array.from({ length: 101 }, () => batch[0]),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.fields[0].path).toBe("body.messages");
    const after = await col.db.kysely
      .selectFrom("outbox")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(3);
  });

  it("the case page lists what the federation carried about the case, to its team only, TLP:RED to its named recipients", async () => {
    // COL sends about one of its cases; MEX links what it received to one of its own.
    const colCase = (await openCase(colLiaison, localCase({ place: { country: "COL" } }))).id;
    const green = await deliver(
      notice("about the case", { tlp: "green", handling: ["H0"], caseId: colCase }),
    );
    const red = await deliver(
      notice("for the named officer", { tlp: "red", namedRecipients: [mexLiaison.user.username] }),
    );
    const mexCase = (await openCase(mexLiaison, localCase())).id;
    for (const id of [green, red]) {
      const linked = await mexLiaison.inject("POST", `/api/federation/inbox/${id}/links`, {
        caseId: mexCase,
      });
      expect(linked.statusCode, linked.body).toBe(200);
    }

    const sent = await colLiaison.inject("GET", `/api/cases/${colCase}/messages`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({
      received: [],
      sent: [{ id: green, recipient: "MEX", caseId: colCase }],
    });

    const heard = await mexLiaison.inject("GET", `/api/cases/${mexCase}/messages`);
    expect(heard.statusCode, heard.body).toBe(200);
    expect(
      heard
        .json()
        .received.map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual([green, red].sort());
    expect(heard.json().received[0]).toMatchObject({ sender: "COL", linkedAt: expect.any(String) });
    const audited = (await auditEvents(mex, "messages.viewed")).find((e) => e.target_id === mexCase);
    expect(audited).toMatchObject({ purpose: "case work", details: { box: "case", received: 2, sent: 0 } });

    // A colleague on the team who is not named does not see the TLP:RED message; someone off the team sees no case.
    const colleagueUser = await makeUser(mex, ["investigator"]);
    const added = await mexLiaison.inject("PUT", `/api/cases/${mexCase}/team/${colleagueUser.id}`, {
      caseRole: "member",
    });
    expect(added.statusCode, added.body).toBe(200);
    const colleague = await signIn(mex, colleagueUser);
    const theirs = await colleague.inject("GET", `/api/cases/${mexCase}/messages`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().received.map((m: { id: string }) => m.id)).toEqual([green]);
    const stranger = await signedIn(mex, ["investigator"]);
    expect((await stranger.inject("GET", `/api/cases/${mexCase}/messages`)).statusCode).toBe(404);
  });
});
