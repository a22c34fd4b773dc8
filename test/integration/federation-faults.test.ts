/**
 * Crashes in the federation exchange (issue 4), with real processes and real HTTP on loopback:
 * the sender killed (SIGKILL) between commit and send delivers after restart; the receiver
 * killed while processing a burst processes every message exactly once after restart.
 *
 * COL and MEX run as `ariadne serve --sandbox` child processes on embedded databases on disk.
 * MEX's descriptor names a proxy the test controls as its endpoint, so the test decides what COL's
 * deliveries reach MEX and when. Peer down/up, duplicates, replay, tampering, forgery, expiry and
 * misaddressing are covered in federation-exchange.test.ts.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modusOperandiBody } from "../helpers/factories.ts";
import {
  addPeer,
  cli,
  freePorts,
  HoldingProxy,
  NodeProcess,
  type Passage,
  receiptChecker,
  type Session,
  signIn,
  until,
} from "../helpers/federation-procs.ts";

const root = mkdtempSync(join(tmpdir(), "ariadne-faults-"));
let col: NodeProcess;
let mex: NodeProcess;
let proxy: HoldingProxy;
let colLiaison: Session;
let mexLiaison: Session;
let mexAuditor: Session;
let colAuditor: Session;
/** Every message the tests sent, for the final checks. */
const everySent: string[] = [];
let checkReceipt: Awaited<ReturnType<typeof receiptChecker>>;

interface OutboxRow {
  id: string;
  status: string;
  thread: string;
}
interface InboxRow {
  id: string;
  sender: string;
}

async function send(summary: string, thread?: string): Promise<OutboxRow> {
  const r = await colLiaison.post<{ messages: OutboxRow[] }>(
    "/api/federation/messages",
    modusOperandiBody({ body: { summary }, thread }),
    202,
  );
  const m = r.messages[0];
  if (!m) throw new Error("no message queued");
  return m;
}

/** Many messages, each its own thread, a few requests at a time. */
async function sendMany(prefix: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < n) {
        const i = next++;
        ids.push((await send(`${prefix} ${i}`)).id);
      }
    }),
  );
  return ids;
}

const outbox = async () =>
  (await colLiaison.get<{ messages: OutboxRow[] }>("/api/federation/outbox?limit=500")).messages;
const inbox = async () =>
  (await mexLiaison.get<{ messages: InboxRow[] }>("/api/federation/inbox?limit=500")).messages;

/** Wait until every one of `ids` is done in COL's outbox; they must all be processed. */
async function allProcessed(ids: string[], ms = 120_000): Promise<OutboxRow[]> {
  const want = new Set(ids);
  const rows = await until(
    `COL's outbox to finish ${ids.length} messages`,
    async () => {
      const mine = (await outbox()).filter((m) => want.has(m.id));
      return mine.length === want.size && mine.every((m) => m.status !== "queued") ? mine : undefined;
    },
    ms,
    250,
  );
  expect(rows.filter((m) => m.status !== "processed")).toEqual([]);
  return rows;
}

/** Per message id, how many times MEX answered "processed" for the first time (not a duplicate). */
function firstProcessings(passages: Passage[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const p of passages) {
    if (p.status === 200 && p.payload?.status === "processed" && !p.payload.duplicate) {
      n.set(p.jti, (n.get(p.jti) ?? 0) + 1);
    }
  }
  return n;
}

const count = <T>(xs: T[]) => {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

beforeAll(async () => {
  const [colPort, mexPort, proxyPort] = (await freePorts(3)) as [number, number, number];
  const env = { ARIADNE_FEDERATION_RETRY_BASE_MS: "20", ARIADNE_AUTH_RATE_LIMIT: "1000" };
  col = new NodeProcess({
    nodeId: "COL",
    dataDir: join(root, "col"),
    port: colPort,
    publicUrl: `http://127.0.0.1:${colPort}`,
    env,
  });
  mex = new NodeProcess({
    nodeId: "MEX",
    dataDir: join(root, "mex"),
    port: mexPort,
    publicUrl: `http://127.0.0.1:${proxyPort}`,
    env,
  });
  proxy = new HoldingProxy(proxyPort, mexPort);
  await proxy.listen();
  // A first start creates a sandbox database (the slow part: initdb, migrations, demo data). MEX
  // starts from a stopped copy of it rather than paying for all that a second time; node keys are
  // created on first use, so each node still makes its own (checked below).
  await col.start();
  await col.stop();
  cpSync(join(root, "col"), join(root, "mex"), { recursive: true });
  copyFileSync(join(root, "col.key"), join(root, "mex.key"));
  await Promise.all([col.start(), mex.start()]);

  const [colAdmin, mexAdmin] = await Promise.all([signIn(col, "admin"), signIn(mex, "admin")]);
  [colLiaison, mexLiaison, mexAuditor, colAuditor] = await Promise.all([
    signIn(col, "liaison-officer"),
    signIn(mex, "liaison-officer"),
    signIn(mex, "auditor"),
    signIn(col, "auditor"),
  ]);
  const mexDescriptor = await addPeer(colAdmin, mex);
  const colDescriptor = await addPeer(mexAdmin, col);
  expect(mexDescriptor.fingerprints.signing).not.toBe(colDescriptor.fingerprints.signing);
  checkReceipt = await receiptChecker(mexDescriptor, "COL");
}, 600_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([col?.kill(), mex?.kill()]);
  rmSync(root, { recursive: true, force: true });
});

describe("crashes in the exchange between two nodes (child processes, loopback HTTP)", () => {
  it("the sender killed between commit and send delivers everything after restart, each message once", async () => {
    // MEX's proxy holds what arrives: COL's deliveries wait for an answer that does not come.
    proxy.hold();
    const head = await send("thread message 1");
    const ids = [head.id, ...(await sendMany("sender crash", 60))];
    const tail = [
      (await send("thread message 2", head.thread)).id,
      (await send("thread message 3", head.thread)).id,
    ];
    ids.push(...tail);
    everySent.push(...ids);

    await until("COL to start delivering", () => proxy.held.length > 0);
    // Committed (the API answered 202) and still queued: nothing has been answered.
    const queued = new Set((await outbox()).filter((m) => m.status === "queued").map((m) => m.id));
    expect(ids.filter((id) => !queued.has(id))).toEqual([]);
    expect((await inbox()).filter((m) => m.sender === "COL")).toEqual([]);

    await col.kill();
    // Some deliveries were on the wire when COL died: half of them reach MEX now (MEX processes
    // them, COL never hears the receipt), the rest are lost. The thread's later messages, and
    // whatever the worker had not taken yet, were never sent at all.
    const wire = proxy.heldIds;
    const reached = await proxy.forwardHeld(Math.ceil(proxy.held.length / 2));
    proxy.dropHeld();
    expect(reached.filter((p) => p.payload?.status !== "processed")).toEqual([]);
    const processedWhileDown = [...new Set(reached.map((p) => p.jti))];
    expect(new Set(wire).size).toBeLessThan(ids.length);
    expect(
      (await inbox())
        .map((m) => m.id)
        .filter((id) => ids.includes(id))
        .sort(),
    ).toEqual([...processedWhileDown].sort());

    const before = proxy.passages.length;
    await proxy.open();
    await col.start();
    await allProcessed(ids);

    // MEX holds each message exactly once.
    const arrived = (await inbox()).filter((m) => ids.includes(m.id)).map((m) => m.id);
    expect(arrived.length).toBe(ids.length);
    expect(new Set(arrived)).toEqual(new Set(ids));
    // MEX answered "processed" for the first time exactly once per message; the messages it had
    // processed while COL was down were sent again after the restart and answered as duplicates.
    const firsts = firstProcessings(proxy.passages);
    expect(ids.filter((id) => firsts.get(id) !== 1)).toEqual([]);
    const after = proxy.passages.slice(before);
    for (const id of processedWhileDown) {
      expect(
        after.some((p) => p.jti === id && p.payload?.duplicate === true),
        id,
      ).toBe(true);
    }
    // Every receipt is signed by MEX's key, about its message, to COL.
    for (const p of proxy.passages.filter((x) => ids.includes(x.jti))) {
      expect(checkReceipt(p.receipt ?? "", p.jti).status).toBe("processed");
    }
    // The thread kept its order across the crash.
    const order = proxy.passages
      .filter((p) => p.payload?.status === "processed" && !p.payload.duplicate)
      .map((p) => p.jti)
      .filter((id) => id === head.id || tail.includes(id));
    expect(order).toEqual([head.id, ...tail]);
  }, 300_000);

  it("the receiver killed while processing a burst processes every message exactly once after restart", async () => {
    const total = 200;
    proxy.hold();
    const ids = await sendMany("burst", total);
    const burst = new Set(ids);
    everySent.push(...ids);
    const start = proxy.passages.length;
    let processedBeforeKill = -1;
    let inFlightAtKill = 0;
    // Once MEX has processed a part of the burst, it is killed while it is working on more (a
    // request forwarded to it and not answered yet). The proxy holds what COL sends meanwhile;
    // COL's requests that MEX was working on fail without receipts.
    proxy.onChange = () => {
      if (processedBeforeKill >= 0 || proxy.inFlight === 0) return;
      const done = [...firstProcessings(proxy.passages.slice(start)).keys()].filter((id) => burst.has(id));
      if (done.length >= 50) {
        processedBeforeKill = done.length;
        inFlightAtKill = proxy.inFlight;
        proxy.hold();
        void mex.kill();
      }
    };
    const flowing = proxy.open();
    await until("MEX to be killed mid-burst", () => processedBeforeKill >= 0, 90_000);
    await mex.exited();
    await flowing;
    proxy.onChange = undefined;
    // Killed in the middle: not everything had been answered, and MEX was working on a request.
    expect(processedBeforeKill).toBeLessThan(total);
    expect(inFlightAtKill).toBeGreaterThan(0);

    await mex.start();
    await proxy.open();
    await allProcessed(ids);

    const arrived = (await inbox()).filter((m) => burst.has(m.id)).map((m) => m.id);
    expect(arrived.length).toBe(total);
    expect(new Set(arrived)).toEqual(burst);
    const firsts = firstProcessings(proxy.passages.slice(start));
    expect(ids.filter((id) => (firsts.get(id) ?? 0) > 1)).toEqual([]);
    for (const p of proxy.passages.slice(start).filter((x) => x.receipt && burst.has(x.jti))) {
      expect(checkReceipt(p.receipt ?? "", p.jti).status).toBe("processed");
    }

    // MEX's audit trail: each message of both tests received (and audited) exactly once.
    const received: string[] = [];
    let before: number | null | undefined;
    do {
      const page = await mexAuditor.get<{
        entries: { targetId: string | null }[];
        nextBefore: number | null;
      }>(`/api/audit?event=message.received&limit=500${before ? `&before=${before}` : ""}`);
      received.push(...page.entries.map((e) => e.targetId ?? ""));
      before = page.nextBefore;
    } while (before);
    const times = count(received);
    expect(everySent.filter((id) => times.get(id) !== 1)).toEqual([]);
  }, 300_000);

  it("both audit chains are intact after the crashes", async () => {
    // COL's, verified by the running node; MEX's, offline as an auditor would, once it is stopped
    // (an embedded database is one process's at a time).
    expect(await colAuditor.get("/api/audit/verify")).toMatchObject({ ok: true });
    await Promise.all([col.stop(), mex.stop()]);
    const chain = JSON.parse(await cli(["audit", "verify", "--db", mex.opts.dataDir, "--json"]));
    expect(chain).toMatchObject({ ok: true, pending: 0 });
  }, 180_000);
});
