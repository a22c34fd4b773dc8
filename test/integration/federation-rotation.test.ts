/**
 * Key rotation with an overlap (issue 4). COL rotates its keys; MEX, which
 * approved COL's old key, meets the new one, fetches COL's descriptor, finds the
 * new keys endorsed by the approved key and takes them without a new
 * out-of-band comparison. Meanwhile envelopes under the old keys still count,
 * both ways; after the overlap they are refused. New keys that no approved key
 * endorses leave the peer pending for a person to compare.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint, generateNodeKeys, type NodeKeys } from "../../src/engines/federation/keys.ts";
import { nodeKeys, previousNodeKeys } from "../../src/platform/exchange/peers.ts";
import { envelopeSealer, modusOperandiBody, peerPair, signedIn } from "../helpers/factories.ts";
import { auditEvents, type Session } from "../helpers/node.ts";
import { type ListeningNode, until } from "../helpers/peers.ts";

// A short overlap, so that the test sees it end: 0.004 hours = 14.4 seconds.
const OVERLAP_HOURS = 0.004;

let col: ListeningNode;
let mex: ListeningNode;
let colAdmin: Session;
let colLiaison: Session;
let mexLiaison: Session;
let colOld: NodeKeys;

const notice = (to: string, summary: string) => modusOperandiBody({ to: [to], body: { summary } });

async function sendAndWait(from: Session, to: string, summary: string) {
  const sent = await from.inject("POST", "/api/federation/messages", notice(to, summary));
  expect(sent.statusCode, sent.body).toBe(202);
  const id: string = sent.json().messages[0].id;
  let last: { status: string; lastError: string | null } | undefined;
  const done = await until(async () => {
    const out = (await from.inject("GET", "/api/federation/outbox?limit=50")).json().messages as {
      id: string;
      status: string;
      lastError: string | null;
    }[];
    last = out.find((m) => m.id === id);
    return last?.status === "processed";
  }, 15_000);
  expect(done, JSON.stringify(last)).toBe(true);
  return id;
}

const peerRow = (node: ListeningNode, id: string) =>
  node.db.kysely.selectFrom("peers").selectAll().where("node_id", "=", id).executeTakeFirstOrThrow();

/** An envelope from COL to MEX made by hand, under the keys given (as a COL that had not rotated would). */
async function handMade(keys: NodeKeys) {
  const { seal } = await envelopeSealer(col, mex, { keys });
  return seal({}, { body: { summary: "synthetic: under the old keys", indicators: [] } });
}

const post = (token: string) =>
  fetch(`http://127.0.0.1:${mex.port}/api/federation/envelopes`, {
    method: "POST",
    headers: { "content-type": "application/jose" },
    body: token,
  });

beforeAll(async () => {
  [col, mex] = await peerPair(["COL", "MEX"], { ARIADNE_FEDERATION_KEY_OVERLAP_HOURS: OVERLAP_HOURS });
  colAdmin = await signedIn(col, ["admin"]);
  colLiaison = await signedIn(col, ["liaison_officer"]);
  mexLiaison = await signedIn(mex, ["liaison_officer"]);
  colOld = await nodeKeys(col.ctx);
  await sendAndWait(colLiaison, "MEX", "before the rotation");
}, 60_000);

afterAll(async () => {
  await col?.close();
  await mex?.close();
});

describe("key rotation", () => {
  it("rotates: new keys, the old ones kept for the overlap, and the descriptor endorsed by the old key", async () => {
    const res = await colAdmin.inject("POST", "/api/federation/keys/rotate");
    expect(res.statusCode, res.body).toBe(200);
    const now = await nodeKeys(col.ctx);
    expect(now.signing.kid).not.toBe(colOld.signing.kid);
    expect(now.encryption.kid).not.toBe(colOld.encryption.kid);
    expect(res.json().signing).toBe(fingerprint(now.signing.kid));
    expect((await previousNodeKeys(col.ctx))?.keys.signing.kid).toBe(colOld.signing.kid);
    const d = (await col.app.inject({ method: "GET", url: "/api/federation/descriptor" })).json();
    const payload = JSON.parse(Buffer.from(d.descriptor.split(".")[1], "base64url").toString("utf8"));
    expect(typeof payload.endorsement).toBe("string");
    const audited = (await auditEvents(col, "federation.keys_rotated")).at(-1);
    expect(audited?.details).toMatchObject({ signing: now.signing.kid });
    // Only an administrator rotates.
    expect((await colLiaison.inject("POST", "/api/federation/keys/rotate")).statusCode).toBe(404);
  });

  it("a peer still on the old keys is heard, and takes the new ones from the endorsed descriptor when it meets them", async () => {
    // MEX does not know COL's new keys yet: it encrypts to COL's old key; COL's receipt is signed with the new one.
    expect((await peerRow(mex, "COL")).signing_kid).toBe(colOld.signing.kid);
    await sendAndWait(mexLiaison, "COL", "to COL, still under its old keys");
    const now = await nodeKeys(col.ctx);
    const row = await peerRow(mex, "COL");
    expect(row).toMatchObject({
      status: "active",
      signing_kid: now.signing.kid,
      previous_signing_kid: colOld.signing.kid,
    });
    const imported = (await auditEvents(mex, "peer.imported")).at(-1);
    expect(imported?.details).toMatchObject({ keysChanged: true, endorsed: true });
    // And COL, signing with its new key, is heard at MEX.
    await sendAndWait(colLiaison, "MEX", "after the rotation");
  });

  it("accepts an envelope under the old keys during the overlap, and refuses it after", async () => {
    const during = await post(await handMade(colOld));
    expect(during.status, await during.clone().text()).toBe(200);
    const row = await peerRow(mex, "COL");
    const wait = new Date(row.previous_until ?? 0).getTime() - Date.now() + 200;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    const after = await post(await handMade(colOld));
    expect(after.status).toBe(403);
  }, 30_000);

  it("new keys that no approved key endorses leave the peer pending for a person to compare", async () => {
    // COL's data lost and recreated, say: a descriptor under unrelated keys, without an endorsement.
    const { signDescriptor } = await import("../../src/engines/federation/descriptor.ts");
    const stranger = await generateNodeKeys();
    const mexAdmin = await signedIn(mex, ["admin"]);
    const res = await mexAdmin.inject("POST", "/api/federation/peers", {
      descriptor: signDescriptor(
        { nodeId: "COL", name: "COL", endpoint: `http://127.0.0.1:${col.port}` },
        stranger,
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "pending", statusReason: expect.stringMatching(/compare/) });
  });
});
