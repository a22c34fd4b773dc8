/**
 * Envelopes in batches (issue 4, throughput): one request carries several envelopes, each
 * signed, checked and accepted or refused on its own, answered with its own receipt in the
 * same order; a batch too large is refused naming the limit; the delivery worker sends what
 * is due to a peer together, keeps each thread in order, falls back to single envelopes for
 * a peer that does not take batches, and still moves what it cannot deliver in time to the
 * dead letters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceipt } from "../../src/engines/federation/receipt.ts";
import { flushRefusals } from "../../src/platform/audit/refusals.ts";
import { nodeKeys } from "../../src/platform/exchange/peers.ts";
import { MAX_BATCH_ENVELOPES, maxBatchBytes } from "../../src/platform/exchange/receive.ts";
import { envelopeSealer, modusOperandiBody, relayedPair, signedIn } from "../helpers/factories.ts";
import { auditEvents, type Session } from "../helpers/node.ts";
import {
  type ListeningNode,
  peerBothWays,
  type Relay,
  startListeningNodes,
  until,
} from "../helpers/peers.ts";

const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as {
    jti: string;
    thr: string;
  };

let col: ListeningNode;
let mex: ListeningNode;
let relay: Relay;
let colLiaison: Session;

beforeAll(async () => {
  ({ col, mex, relay } = await relayedPair());
  colLiaison = await signedIn(col, ["liaison_officer"]);
}, 60_000);

afterAll(async () => {
  await relay?.down();
  await col?.close();
  await mex?.close();
});

/** Envelopes as COL would seal them for MEX, with whatever header or body a case needs. */
async function sealer() {
  const { seal: make, t } = await envelopeSealer(col, mex);
  const mexKeys = await nodeKeys(mex.ctx);
  const receiptOf = (token: string | null) =>
    token
      ? verifyReceipt(token, {
          from: "MEX",
          to: "COL",
          jti: JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).jti,
          keyOf: (kid) => (kid === mexKeys.signing.kid ? mexKeys.signing.publicKey : undefined),
        })
      : null;
  return { make, receiptOf, t };
}

const postBatch = (envelopes: unknown, raw?: string) =>
  mex.app.inject({
    method: "POST",
    url: "/api/federation/envelopes",
    headers: { "content-type": "application/json" },
    payload: raw ?? JSON.stringify({ envelopes }),
  });

const inboxIds = async () =>
  new Set((await mex.db.kysely.selectFrom("inbox").select("id").execute()).map((r) => r.id));

describe("a batch of envelopes", () => {
  it("accepts or refuses each envelope on its own, with its own receipt, in order", async () => {
    const { make, receiptOf, t } = await sealer();
    const earlier = make();
    expect(
      (
        await mex.app.inject({
          method: "POST",
          url: "/api/federation/envelopes",
          headers: { "content-type": "application/jose" },
          payload: earlier,
        })
      ).statusCode,
    ).toBe(200);
    const good = make();
    const [h, p, s] = good.split(".") as [string, string, string];
    const batch = [
      good,
      `${h}.${p.slice(0, -4)}AAAA.${s}`, // tampered: the signature fails, no receipt
      make({ iat: t - 7200, exp: t - 10 }), // expired
      good, // twice in the same batch
      earlier, // received before
      make({ mt: "notice.unknown" }),
      make({ tlp: "RED" }), // a marking this node does not know, so could not enforce
      make({ jti: "not-a-uuid" }),
      make({}, { body: { summary: "" } }), // fails the type's schema
      make({ iss: "ESP" }), // not a peer
      make(),
    ];
    const res = await postBatch(batch);
    expect(res.statusCode, res.body).toBe(200);
    const { receipts, errors } = res.json() as {
      receipts: (string | null)[];
      errors: { index: number; code: string; message: string }[];
    };
    expect(receipts).toHaveLength(batch.length);
    const got = receipts.map((r) => {
      const x = receiptOf(r);
      return x ? [x.status, x.reason ?? (x.duplicate ? "duplicate" : "")] : null;
    });
    expect(got).toEqual([
      ["processed", ""],
      null,
      ["rejected", "expired"],
      ["processed", "duplicate"],
      ["processed", "duplicate"],
      ["rejected", "unknown_type"],
      ["rejected", "invalid_header"],
      ["rejected", "invalid_header"],
      ["rejected", "invalid_body"],
      null,
      ["processed", ""],
    ]);
    // Each receipt is about its own envelope.
    for (const [i, r] of receipts.entries()) {
      if (r) expect(receiptOf(r)?.jti).toBe(headerOf(batch[i] as string).jti);
    }
    expect(errors.map((e) => [e.index, e.message])).toEqual([
      [1, "refused: bad_signature"],
      [2, "refused: expired"],
      [5, "refused: unknown_type"],
      [6, "refused: invalid_header"],
      [7, "refused: invalid_header"],
      [8, "refused: invalid_body"],
      [9, "refused: unknown_sender"],
    ]);
    // Stored once each; every refusal audited with its reason, every arrival once.
    const ids = await inboxIds();
    const good2 = headerOf(batch[10] as string).jti;
    expect(ids.has(headerOf(good).jti) && ids.has(good2)).toBe(true);
    const received = (await auditEvents(mex, "message.received")).map((e) => e.target_id);
    expect(received.filter((id) => id === headerOf(good).jti)).toHaveLength(1);
    expect(received).toContain(good2);
    const refusals = (await auditEvents(mex, "message.refused")).map(
      (e) => (e.details as { reason: string }).reason,
    );
    for (const reason of ["expired", "unknown_type", "invalid_header", "invalid_body"]) {
      expect(refusals).toContain(reason);
    }
    // Refused before the sender was authenticated, and received before: counted per minute.
    await mex.app.refusals?.settled();
    await flushRefusals(mex.db.kysely, { all: true });
    const counted = (await auditEvents(mex, "access.refused")).map((e) => e.details as { reason: string });
    for (const reason of ["bad_signature", "unknown_sender", "replayed"]) {
      expect(counted.map((d) => d.reason)).toContain(reason);
    }
  });

  it("one message the database will not take does not cost the others", async () => {
    const { make, receiptOf } = await sealer();
    const batch = [make(), make(), make()];
    const refused = headerOf(batch[1] as string).jti;
    await mex.asSuperuser(async (q) => {
      await q(`CREATE FUNCTION test_refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.id = '${refused}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
      await q(
        "CREATE TRIGGER test_refuse_one BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION test_refuse_one()",
      );
    });
    try {
      const res = await postBatch(batch);
      expect(res.statusCode, res.body).toBe(200);
      const { receipts, errors } = res.json() as { receipts: (string | null)[]; errors: { code: string }[] };
      expect(receipts.map((r) => receiptOf(r)?.status ?? null)).toEqual(["processed", null, "processed"]);
      expect(errors).toMatchObject([{ index: 1, code: "internal" }]);
      const ids = await inboxIds();
      expect([...batch.map((b) => ids.has(headerOf(b).jti))]).toEqual([true, false, true]);
    } finally {
      await mex.asSuperuser(async (q) => {
        await q("DROP TRIGGER test_refuse_one ON inbox");
        await q("DROP FUNCTION test_refuse_one()");
      });
    }
    // The sender tries again, and this time it is taken.
    const again = await postBatch([batch[1]]);
    expect(receiptOf((again.json() as { receipts: string[] }).receipts[0] ?? null)?.status).toBe("processed");
  });

  it("refuses a batch too large, naming the limit", async () => {
    const { make } = await sealer();
    const one = make();
    const tooMany = await postBatch(Array.from({ length: MAX_BATCH_ENVELOPES + 1 }, () => one));
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error.message).toContain(`at most ${MAX_BATCH_ENVELOPES} envelopes`);
    const limit = maxBatchBytes(mex.config.federation.maxMessageBytes);
    const tooBig = await postBatch(null, JSON.stringify({ envelopes: ["x".repeat(limit)] }));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toContain(`${limit} bytes`);
    const oneTooBig = await mex.app.inject({
      method: "POST",
      url: "/api/federation/envelopes",
      headers: { "content-type": "application/jose" },
      payload: "x".repeat(mex.config.federation.maxMessageBytes + 1),
    });
    expect(oneTooBig.statusCode).toBe(413);
    expect(oneTooBig.json().error.message).toContain(`${mex.config.federation.maxMessageBytes} bytes`);
    for (const body of [{ envelopes: [] }, { envelopes: [1] }, { envelopes: [one], extra: 1 }, [one], one]) {
      const bad = await postBatch(null, JSON.stringify(body));
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.fields[0].path).toBe("body.envelopes");
    }
  });
});

describe("the delivery worker", () => {
  const send = async (summary: string, thread?: string) => {
    const r = await colLiaison.inject(
      "POST",
      "/api/federation/messages",
      modusOperandiBody({ body: { summary }, thread }),
    );
    expect(r.statusCode, r.body).toBe(202);
    return r.json().messages[0] as { id: string; thread: string };
  };
  const statusOf = async (ids: string[]) =>
    (await col.db.kysely.selectFrom("outbox").select(["id", "status"]).where("id", "in", ids).execute()).map(
      (r) => r.status,
    );

  it("sends what is due to a peer together, each thread in order, every message once", async () => {
    await relay.down();
    const threads: string[][] = [];
    for (let t = 0; t < 4; t++) {
      const first = await send(`thread ${t} message 0`);
      const ids = [first.id];
      for (let i = 1; i < 5; i++) ids.push((await send(`thread ${t} message ${i}`, first.thread)).id);
      threads.push(ids);
    }
    const all = threads.flat();
    relay.seen = [];
    await relay.up();
    expect(await until(async () => (await statusOf(all)).every((s) => s === "processed"))).toBe(true);
    // Each delivery is audited once, with the recipient, as the outcome is written down.
    const delivered = async () =>
      (await auditEvents(col, "message.delivered")).filter((e) => all.includes(e.target_id ?? ""));
    expect(await until(async () => (await delivered()).length === all.length, 10_000)).toBe(true);
    expect(new Set((await delivered()).map((e) => e.target_id)).size).toBe(all.length);
    // Together: the heads of the four threads travelled in one request at least once.
    expect(relay.seen.some((r) => r.contentType.includes("json") && r.envelopes.length > 1)).toBe(true);
    // In order: within a thread, each message went only after the one before it was done.
    const order = relay.seen.flatMap((r) => r.envelopes.map((e) => headerOf(e).jti));
    for (const ids of threads) {
      const firstSeen = ids.map((id) => order.indexOf(id));
      expect(firstSeen.every((x) => x >= 0)).toBe(true);
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
      // ... and never together with the next one of its thread.
      for (const r of relay.seen) {
        const inThread = r.envelopes.filter((e) => ids.includes(headerOf(e).jti));
        expect(inThread.length).toBeLessThanOrEqual(1);
      }
    }
    const received = await inboxIds();
    expect(all.every((id) => received.has(id))).toBe(true);
    const rows = await mex.db.kysely.selectFrom("inbox").select("id").where("id", "in", all).execute();
    expect(rows).toHaveLength(all.length);
    // Every receipt kept, and each is the peer's signed word about its own message.
    const mexKeys = await nodeKeys(mex.ctx);
    for (const r of await col.db.kysely
      .selectFrom("outbox")
      .select(["id", "receipt"])
      .where("id", "in", all)
      .execute()) {
      expect(
        verifyReceipt(r.receipt ?? "", {
          from: "MEX",
          to: "COL",
          jti: r.id,
          keyOf: (kid) => (kid === mexKeys.signing.kid ? mexKeys.signing.publicKey : undefined),
        }).status,
      ).toBe("processed");
    }
  }, 40_000);

  it("sends single envelopes to a peer that does not take batches", async () => {
    await relay.down();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(`for a node that takes single envelopes ${i}`)).id);
    relay.mode = "jose-only";
    relay.seen = [];
    try {
      await relay.up();
      expect(await until(async () => (await statusOf(ids)).every((s) => s === "processed"))).toBe(true);
      expect(relay.seen.every((r) => r.contentType.includes("jose"))).toBe(true);
    } finally {
      relay.mode = "pass";
    }
  }, 40_000);

  it("moves what it could not deliver in time to the dead letters", async () => {
    // ESP gives up after three seconds; MEX is not reachable from it.
    const [esp] = (await startListeningNodes(["ESP"], { ARIADNE_FEDERATION_DEAD_LETTER_MINUTES: 0.05 })) as [
      ListeningNode,
    ];
    try {
      await peerBothWays(esp, mex);
      await relay.down();
      const liaison = await signedIn(esp, ["liaison_officer"]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await liaison.inject(
          "POST",
          "/api/federation/messages",
          modusOperandiBody({ body: { summary: `never arrives ${i}` } }),
        );
        expect(r.statusCode, r.body).toBe(202);
        ids.push(r.json().messages[0].id);
      }
      const rows = () =>
        esp.db.kysely
          .selectFrom("outbox")
          .select(["status", "last_error", "attempts"])
          .where("id", "in", ids)
          .execute();
      expect(await until(async () => (await rows()).every((r) => r.status === "dead"), 20_000)).toBe(true);
      for (const r of await rows()) {
        expect(r.attempts).toBeGreaterThan(0);
        expect(r.last_error).toContain("unreachable");
      }
      // Each dead letter is audited, with its reason, like every other write.
      const deadAudited = async () =>
        (await auditEvents(esp, "message.dead")).filter((e) => ids.includes(e.target_id ?? ""));
      expect(await until(async () => (await deadAudited()).length === ids.length, 10_000)).toBe(true);
      for (const e of await deadAudited()) {
        expect(e.details).toMatchObject({ recipient: "MEX", type: "notice.modus-operandi" });
        expect(String((e.details as { reason?: unknown }).reason)).toContain("unreachable");
      }
    } finally {
      await relay.up();
      await esp.close();
    }
  }, 60_000);
});
