/**
 * Two nodes on loopback exchange signed and encrypted messages (issue 4): delivery
 * with receipts, a peer down and back, order within a thread, and every kind of
 * bad envelope refused and never processed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint, generateNodeKeys } from "../../src/engines/federation/keys.ts";
import { verifyReceipt } from "../../src/engines/federation/receipt.ts";
import { flushRefusals } from "../../src/platform/audit/refusals.ts";
import { nodeKeys } from "../../src/platform/exchange/peers.ts";
import { envelopeSealer, noticeBody, relayedPair, type SignedIn, signedIn } from "../helpers/factories.ts";
import { auditEvents } from "../helpers/node.ts";
import { type ListeningNode, type Relay, until } from "../helpers/peers.ts";

let col: ListeningNode;
let mex: ListeningNode;
let relay: Relay;
let colLiaison: SignedIn;
let mexLiaison: SignedIn;

/** A notice to MEX marked H2 (not to go further without asking); the victim's name is looked for on the wire. */
const notice = (summary: string, over: Record<string, unknown> = {}) =>
  noticeBody(
    { handling: ["H0", "H2"], body: { summary, victim: { names: [{ given: "Lucía", family: "Ejemplo" }] } } },
    over,
  );

const outbox = async (status?: string) =>
  (await colLiaison.inject("GET", `/api/federation/outbox${status ? `?status=${status}` : ""}`)).json()
    .messages as {
    id: string;
    status: string;
    thread: string;
    lastError: string | null;
  }[];
const inbox = async () =>
  (await mexLiaison.inject("GET", "/api/federation/inbox?limit=500")).json().messages as {
    id: string;
    sender: string;
    thread: string;
    body: { summary: string };
  }[];

beforeAll(async () => {
  // Peers reach MEX through the relay, which the tests switch off and on.
  ({ col, mex, relay } = await relayedPair());
  colLiaison = await signedIn(col, ["liaison_officer"]);
  mexLiaison = await signedIn(mex, ["liaison_officer"]);
}, 60_000);

afterAll(async () => {
  await relay?.down();
  await col?.close();
  await mex?.close();
});

describe("exchange between two nodes", () => {
  it("delivers a notice, signed and encrypted, and the sender keeps the signed receipt", async () => {
    const sent = await colLiaison.inject("POST", "/api/federation/messages", notice("first notice"));
    expect(sent.statusCode, sent.body).toBe(202);
    const [m] = sent.json().messages;
    expect(await until(async () => (await outbox()).find((x) => x.id === m.id)?.status === "processed")).toBe(
      true,
    );
    const got = (await inbox()).find((x) => x.id === m.id);
    expect(got).toMatchObject({ sender: "COL", body: { summary: "first notice" } });
    // What crossed the wire was a JWS over a JWE: the name never travelled in clear.
    expect(
      relay.seen.some((r) => r.envelopes.some((b) => b.includes("Lucía") || b.includes("first notice"))),
    ).toBe(false);
    const row = await col.db.kysely
      .selectFrom("outbox")
      .select("receipt")
      .where("id", "=", m.id)
      .executeTakeFirstOrThrow();
    const mexKeys = await nodeKeys(mex.ctx);
    expect(
      verifyReceipt(row.receipt ?? "", {
        from: "MEX",
        to: "COL",
        jti: m.id,
        keyOf: (kid) => (kid === mexKeys.signing.kid ? mexKeys.signing.publicKey : undefined),
      }),
    ).toMatchObject({ status: "processed" });
    expect((await auditEvents(mex, "message.received")).some((e) => e.target_id === m.id)).toBe(true);
  });

  it("the receiving liaison officer's open page hears of an urgent notice within seconds", async () => {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${mex.port}/api/federation/inbox/stream`, {
      headers: { cookie: mexLiaison.cookie },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let text = "";
    const reading = (async () => {
      for (;;) {
        const r = await reader?.read();
        if (!r || r.done) return;
        text += new TextDecoder().decode(r.value);
        if (text.includes("event: message")) return;
      }
    })();
    const started = Date.now();
    const sent = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("urgent: seen near the border"),
    );
    const id = sent.json().messages[0].id;
    await Promise.race([reading, new Promise((r) => setTimeout(r, 5000))]);
    controller.abort();
    expect(text).toContain("event: message");
    const data = JSON.parse(
      text
        .split("\n")
        .find((l) => l.startsWith("data: "))
        ?.slice(6) ?? "{}",
    );
    expect(data).toMatchObject({ id, sender: "COL", type: "notice.abducted-person", urgent: true });
    expect(data.summary).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
    // Only liaison work sees it.
    const investigator = await signedIn(mex, ["investigator"]);
    expect((await investigator.inject("GET", "/api/federation/inbox")).statusCode).toBe(404);
  });

  it("refuses to send to a peer that is not active, naming the field", async () => {
    const res = await colLiaison.inject("POST", "/api/federation/messages", notice("x", { to: ["ESP"] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toEqual({ path: "body.to.0", message: "ESP is not an active peer" });
    const bad = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("x", { body: { victim: undefined, request: undefined } }),
    );
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toContain("body.body.victim");
  });

  it("a peer down for a while gets everything once it is back, in thread order, each message once", async () => {
    await relay.down();
    const first = await colLiaison.inject("POST", "/api/federation/messages", notice("thread message 1"));
    const thread = first.json().messages[0].thread;
    for (let i = 2; i <= 5; i++) {
      const r = await colLiaison.inject(
        "POST",
        "/api/federation/messages",
        notice(`thread message ${i}`, { thread }),
      );
      expect(r.statusCode, r.body).toBe(202);
    }
    // Retries happen meanwhile, with backoff; nothing is lost.
    expect(
      await until(async () =>
        (await outbox("queued")).some((m) => (m.lastError ?? "").includes("unreachable")),
      ),
    ).toBe(true);
    await relay.up();
    expect(await until(async () => (await outbox("queued")).length === 0, 20_000)).toBe(true);
    const arrived = (await inbox()).filter((m) => m.thread === thread);
    expect(arrived.map((m) => m.body.summary).sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => `thread message ${i}`),
    );
    // Order within the thread: received in the order sent (ids are time-ordered).
    const rows = await mex.db.kysely
      .selectFrom("inbox")
      .select(["id", "received_at"])
      .where("thread", "=", thread)
      .orderBy("received_at")
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort());
  }, 40_000);

  it("a replayed envelope is never processed twice; tampered, forged and misaddressed ones are refused", async () => {
    const before = (await inbox()).length;
    const captured = relay.seen.flatMap((r) => r.envelopes).find((b) => b.split(".").length === 3) ?? "";
    const post = (token: string) =>
      fetch(`http://127.0.0.1:${mex.port}/api/federation/envelopes`, {
        method: "POST",
        headers: { "content-type": "application/jose" },
        body: token,
      });
    const replay = await post(captured);
    expect(replay.status).toBe(200);
    expect(
      JSON.parse(Buffer.from((await replay.json()).receipt.split(".")[1], "base64url").toString()),
    ).toMatchObject({
      status: "processed",
      duplicate: true,
    });
    const [h, p, s] = captured.split(".") as [string, string, string];
    const tampered = await post(`${h}.${p.slice(0, -4)}AAAA.${s}`);
    expect(tampered.status).toBe(403);
    // Forged: signed with a key MEX does not know for COL.
    const { keys: colKeys, seal: make, t } = await envelopeSealer(col, mex);
    const stranger = await generateNodeKeys();
    const cases: [string, number, string][] = [
      [make({}, { signing: { ...stranger.signing, kid: colKeys.signing.kid } }), 403, "bad_signature"],
      [make({ aud: "ESP" }), 400, "wrong_recipient"],
      [make({ iat: t - 7200, exp: t - 10 }), 400, "expired"],
      [make({ iat: t + 3600, exp: t + 7200 }), 400, "clock_skew"],
      [make({ mt: "notice.unknown" }), 400, "unknown_type"],
      [make({ iss: "ESP" }), 403, "unknown_sender"],
      // H3 without its restrictions could not be honoured; restrictions without H3 would be ignored.
      [make({ hc: ["H0", "H3"] }), 400, "invalid_header"],
      [make({ hc: ["H0"], hr: "not without H3" }), 400, "invalid_header"],
    ];
    for (const [token, status, reason] of cases) {
      const res = await post(token);
      expect(res.status, reason).toBe(status);
      const answer = await res.json();
      expect(answer.error.message, reason).toContain(reason);
      if (status === 400) {
        const receipt = JSON.parse(Buffer.from(answer.receipt.split(".")[1], "base64url").toString());
        expect(receipt, reason).toMatchObject({ status: "rejected", reason, iss: "MEX", aud: "COL" });
      }
    }
    const valid = make();
    expect((await post(valid)).status).toBe(200);
    expect((await post(valid)).status).toBe(200);
    expect((await inbox()).length).toBe(before + 1);
    // Signed refusals are entries of their own; those whose sender was not authenticated, and the
    // replay, are counted per minute (access.refused, moved into the trail here at once).
    const refusals = (await auditEvents(mex, "message.refused")).map(
      (e) => (e.details as { reason: string }).reason,
    );
    await mex.app.refusals?.settled();
    await flushRefusals(mex.db.kysely, { all: true });
    const counted = await auditEvents(mex, "access.refused");
    const countedReasons = counted.map((e) => (e.details as { reason: string }).reason);
    for (const [, status, reason] of cases)
      expect(status === 400 ? refusals : countedReasons, reason).toContain(reason);
    const capturedId = JSON.parse(Buffer.from(h, "base64url").toString()).jti;
    expect(counted.find((e) => e.target_id === capturedId)).toMatchObject({
      actor_label: "peer:COL",
      target_type: "message",
      details: { reason: "replayed", route: "/api/federation/envelopes", sender: "COL" },
    });
    expect(
      counted.find(
        (e) =>
          (e.details as { reason: string }).reason === "unknown_sender" && e.details.claimedSender === "ESP",
      ),
    ).toBeDefined();
  });

  it("a node that suspended its peer refuses what it sends; approved again, the message arrives", async () => {
    const admin = await signedIn(mex, ["admin"]);
    await admin.inject("POST", "/api/federation/peers/COL/suspend", { reason: "test" });
    const sent = await colLiaison.inject("POST", "/api/federation/messages", notice("while suspended"));
    const id = sent.json().messages[0].id;
    expect(
      await until(async () => ((await outbox()).find((m) => m.id === id)?.lastError ?? "").includes("403")),
    ).toBe(true);
    expect((await inbox()).some((m) => m.id === id)).toBe(false);
    const colKeys = await nodeKeys(col.ctx);
    await admin.inject("POST", "/api/federation/peers/COL/approve", {
      signingFingerprint: (await (await import("../../src/engines/federation/keys.ts")).fingerprint)(
        colKeys.signing.kid,
      ),
    });
    expect(
      await until(async () => (await outbox()).find((m) => m.id === id)?.status === "processed", 20_000),
    ).toBe(true);
  }, 40_000);
});

describe("TLP and handling codes, enforced by the receiving node", () => {
  it("TLP:RED reaches only the people it names; the sender must name them", async () => {
    const unnamed = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("red", { tlp: "red" }),
    );
    expect(unnamed.json().error.fields[0].path).toBe("body.namedRecipients");
    const sent = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("for one person only", { tlp: "red", namedRecipients: [mexLiaison.user.username] }),
    );
    const id = sent.json().messages[0].id;
    expect(await until(async () => (await outbox()).find((m) => m.id === id)?.status === "processed")).toBe(
      true,
    );
    expect((await inbox()).find((m) => m.id === id)).toBeDefined();
    const colleague = await signedIn(mex, ["liaison_officer"]);
    const theirs = (await colleague.inject("GET", "/api/federation/inbox?limit=500")).json().messages as {
      id: string;
    }[];
    expect(theirs.some((m) => m.id === id)).toBe(false);
    expect(
      (await colleague.inject("POST", `/api/federation/inbox/${id}/forward`, { to: ["ESP"] })).statusCode,
    ).toBe(404);
  });

  it("a received message goes on to a third node only when its TLP and handling codes allow", async () => {
    // ESP is a peer of MEX (not listening: what is forwarded waits in MEX's outbox).
    const { signDescriptor } = await import("../../src/engines/federation/descriptor.ts");
    const espKeys = await generateNodeKeys();
    const admin = await signedIn(mex, ["admin"]);
    await admin.inject("POST", "/api/federation/peers", {
      descriptor: signDescriptor(
        { nodeId: "ESP", name: "España (test)", endpoint: "http://127.0.0.1:9" },
        espKeys,
      ),
    });
    await admin.inject("POST", "/api/federation/peers/ESP/approve", {
      signingFingerprint: fingerprint(espKeys.signing.kid),
    });
    const cases: [string, string[], string | null][] = [
      ["green", ["H0"], null],
      ["clear", ["H0", "H1"], null],
      ["green", ["H0", "H2"], "H2"],
      ["green", ["H3"], "H3"],
      ["amber", ["H0"], "TLP:AMBER"],
      ["amber+strict", ["H0"], "TLP:AMBER+STRICT"],
    ];
    for (const [tlp, handling, refusal] of cases) {
      const sent = await colLiaison.inject(
        "POST",
        "/api/federation/messages",
        notice(`${tlp} ${handling.join(",")}`, {
          tlp,
          handling,
          ...(handling.includes("H3") ? { restrictions: "Only for the search for the victim." } : {}),
        }),
      );
      const id = sent.json().messages[0].id;
      expect(await until(async () => (await outbox()).find((m) => m.id === id)?.status === "processed")).toBe(
        true,
      );
      const received = (await inbox()).find((m) => m.id === id) as unknown as { forwardable: boolean };
      expect(received.forwardable, `${tlp} ${handling}`).toBe(refusal === null);
      const res = await mexLiaison.inject("POST", `/api/federation/inbox/${id}/forward`, { to: ["ESP"] });
      if (refusal) {
        expect(res.statusCode, `${tlp} ${handling}`).toBe(409);
        expect(res.json().error.fields[0].message).toContain(refusal);
      } else {
        expect(res.statusCode, `${tlp} ${handling}`).toBe(202);
        expect(res.json().messages[0]).toMatchObject({ recipient: "ESP", tlp, handling });
      }
    }
    const back = (await inbox()).find((m) => m.body.summary === "green H0");
    const toSender = await mexLiaison.inject("POST", `/api/federation/inbox/${back?.id}/forward`, {
      to: ["COL"],
    });
    expect(toSender.json().error.fields[0]).toEqual({ path: "body.to", message: "COL sent it" });
    expect((await auditEvents(mex, "message.forwarded")).length).toBe(2);
  }, 40_000);

  it("H3 travels with its restrictions in words, and the receiving officers read them", async () => {
    const missing = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("h3", { handling: ["H0", "H3"] }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([
      {
        path: "body.restrictions",
        message: "H3 needs the restrictions, in words the receiving officers can follow",
      },
    ]);
    const stray = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("h3", { restrictions: "x" }),
    );
    expect(stray.json().error.fields[0]).toEqual({
      path: "body.restrictions",
      message: "only a message marked H3 carries other restrictions",
    });
    const words =
      "Not to be shared with the press. Ask the Colombian desk before contacting the family — معلومات سرية.";
    const sent = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      notice("h3 with words", { handling: ["H0", "H3"], restrictions: `  ${words}\n` }),
    );
    expect(sent.statusCode, sent.body).toBe(202);
    const id: string = sent.json().messages[0].id;
    expect(sent.json().messages[0].restrictions).toBe(words);
    expect(await until(async () => (await outbox()).find((m) => m.id === id)?.status === "processed")).toBe(
      true,
    );
    const read = await mexLiaison.inject("GET", `/api/federation/inbox/${id}`);
    expect(read.json()).toMatchObject({
      handling: ["H0", "H2", "H3"].filter((h) => h !== "H2"),
      restrictions: words,
      forwardable: false,
    });
    // Without H3 there are none.
    const plain = (await inbox()).find((m) => m.body.summary === "green H0") as unknown as {
      restrictions: unknown;
    };
    expect(plain.restrictions).toBeNull();
  });
});
