/**
 * The node verifies its hash chains at start and keeps the result: /ready, /metrics,
 * GET /api/integrity, the log, and the exports say what broke. Tampering is done as a superuser
 * would, with the append-only triggers disabled for the statement.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntegrityReport } from "../../src/domain/integrity.ts";
import { audit, sealAll } from "../../src/platform/audit/index.ts";
import { loadConfig } from "../../src/platform/config.ts";
import { inTransaction } from "../../src/platform/context.ts";
import { openDatabase } from "../../src/platform/db/index.ts";
import { openNode } from "../../src/server/node.ts";
import { freshDatabase } from "../helpers/db.ts";
import { addLogEntry, openCase, type SignedIn, signedIn } from "../helpers/factories.ts";
import { createTestNode, type Session, type TestNode } from "../helpers/node.ts";

/** Poll until `done` holds; generous, for a busy machine. */
async function until<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const report = async (s: Session) => (await s.inject("GET", "/api/integrity")).json() as IntegrityReport;
const settled = (s: Session) =>
  until(
    "the integrity verification",
    () => report(s),
    (r) => r.state !== "verifying" && r.running === null,
  );

const tamper = (node: TestNode, statement: string, params: unknown[] = []) =>
  node.asSuperuser(async (q) => {
    await q("BEGIN");
    await q("SET LOCAL session_replication_role = replica");
    await q(statement, params);
    await q("COMMIT");
  });

async function metrics(node: TestNode, admin: Session) {
  const { secret } = (
    await admin.inject("POST", "/api/tokens", { name: "prom", scopes: ["system.monitor"], expiresInDays: 1 })
  ).json();
  return async () =>
    (
      await node.app.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: `Bearer ${secret}` },
      })
    ).body;
}
const gauge = (body: string, chain: string) =>
  new RegExp(`^ariadne_integrity_ok\\{[^}]*chain="${chain}"[^}]*\\} (\\d)$`, "m").exec(body)?.[1];

describe("the node's integrity", () => {
  let node: TestNode;
  let auditor: SignedIn;
  let admin: SignedIn;
  let lead: SignedIn;
  beforeAll(async () => {
    node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
    auditor = await signedIn(node, ["auditor"]);
    admin = await signedIn(node, ["admin"]);
    lead = await signedIn(node, ["crisis_manager"]);
  });
  afterAll(async () => node?.close());

  it("an intact node reports intact: the API, /ready and /metrics", async () => {
    const r = await settled(auditor);
    expect(r).toMatchObject({
      state: "intact",
      scope: "full",
      audit: { ok: true, firstBroken: null },
      crisisLogs: { ok: true, broken: [] },
      attachments: { ok: true, broken: [] },
      error: null,
    });
    expect(r.fullCheckedAt).toEqual(expect.any(String));
    expect((await admin.inject("GET", "/api/integrity")).statusCode).toBe(200);
    // Names records: not for everyone (a refusal is a 404).
    expect((await lead.inject("GET", "/api/integrity")).statusCode).toBe(404);
    const ready = await node.app.inject({ method: "GET", url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready", integrity: "intact" });
    const body = await (await metrics(node, admin))();
    for (const chain of ["audit", "crisis_log", "attachments"]) expect(gauge(body, chain), chain).toBe("1");
    expect(body).toMatch(/^ariadne_integrity_verified_timestamp_seconds\{[^}]*scope="full"[^}]*\} \d+/m);
  });

  it("a crisis-log entry edited and one deleted in the database: /ready, /metrics, the API and the export say so", async () => {
    const c = await openCase(lead);
    const other = await openCase(lead);
    for (const summary of ["first call", "ransom demand", "proof of life"]) {
      await addLogEntry(lead, c.id, { kind: "note", summary });
      await addLogEntry(lead, other.id, { kind: "note", summary });
    }
    const up = await lead.inject(
      "POST",
      `/api/cases/${c.id}/attachments?filename=call.txt`,
      Buffer.from("synthetic call log"),
      { "content-type": "text/plain" },
    );
    expect(up.statusCode, up.body).toBe(201);
    await tamper(node, "UPDATE crisis_log SET content = $1 WHERE case_id = $2 AND seq = 2", [
      JSON.stringify({ kind: "note", summary: "no demand was made" }),
      c.id,
    ]);
    await tamper(node, "DELETE FROM crisis_log WHERE case_id = $1 AND seq = 2", [other.id]);

    // On demand (the periodic pass would find it too).
    expect((await auditor.inject("POST", "/api/integrity/verify")).statusCode).toBe(202);
    const r = await until(
      "the broken state",
      () => report(auditor),
      (x) => x.state === "broken",
    );
    expect(r.crisisLogs.ok).toBe(false);
    expect(r.crisisLogs.broken).toEqual(
      expect.arrayContaining([
        { caseId: c.id, case: c.reference, seq: 2, reason: "content does not match its hash" },
        { caseId: other.id, case: other.reference, seq: 2, reason: "missing (an entry was deleted)" },
      ]),
    );
    expect(r.crisisLogs.broken).toHaveLength(2);
    expect(r.audit.ok).toBe(true);
    expect(r.attachments.ok).toBe(true);

    const ready = await node.app.inject({ method: "GET", url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: "degraded",
      integrity: "broken",
      reason: "integrity broken (crisis_log): details in GET /api/integrity",
    });
    // Which case and entry is not for anyone who asks /ready (the one who tampered included).
    expect(ready.body).not.toContain("COL-");

    const body = await (await metrics(node, admin))();
    expect(gauge(body, "crisis_log")).toBe("0");
    expect(gauge(body, "audit")).toBe("1");

    const exported = (await lead.inject("GET", `/api/cases/${c.id}/export`)).json();
    expect(exported.verification).toMatchObject({
      crisisLog: {
        ok: false,
        entries: 3,
        firstBroken: { seq: 2, reason: "content does not match its hash" },
      },
      attachments: { ok: true, count: 1, broken: [] },
    });
    const cut = (await lead.inject("GET", `/api/cases/${other.id}/export`)).json();
    expect(cut.verification.crisisLog).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    const ftm = (await lead.inject("GET", `/api/cases/${c.id}/export?format=ftm`)).body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const event = ftm.find((e) => e.schema === "Event");
    expect(event.properties.notes.join("\n")).toMatch(/CRISIS LOG BROKEN at entry 2: content does not match/);

    // And an attachment changed: named by the next pass and by the export.
    await tamper(node, "UPDATE attachment_blobs SET content = $1", [Buffer.from("synthetic call LOG")]);
    await auditor.inject("POST", "/api/integrity/verify");
    const again = await until(
      "the changed attachment",
      () => report(auditor),
      (x) => x.attachments.ok === false,
    );
    expect(again.attachments.broken).toEqual([
      { case: c.reference, attachment: up.json().id, reason: "content does not match its SHA-256" },
    ]);
    expect(gauge(await (await metrics(node, admin))(), "attachments")).toBe("0");
    expect((await lead.inject("GET", `/api/cases/${c.id}/export`)).json().verification.attachments).toEqual({
      ok: false,
      count: 1,
      broken: [{ attachment: up.json().id, reason: "content does not match its SHA-256" }],
    });
  });
});

describe("verifications asked for while one runs", () => {
  it("run once more after it, and the node still closes (the queued pass used to wait on itself)", async () => {
    const n = await createTestNode();
    const auditor = await signedIn(n, ["auditor"]);
    const asked = await Promise.all([1, 2, 3].map(() => auditor.inject("POST", "/api/integrity/verify")));
    expect(asked.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    expect(await settled(auditor)).toMatchObject({ state: "intact", scope: "full", running: null });
    // Closing waits for the passes asked for; a queued pass that never settles fails this.
    await expect(n.close()).resolves.toBeUndefined();
  });
});

describe("a node opened on a broken audit chain", () => {
  it("logs an error at start and reports it; with a short recent part, the background pass finds it", async () => {
    const fresh = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "ariadne-integrity-"));
    const env: Parameters<typeof loadConfig>[1] = {
      ARIADNE_MODE: "production",
      ARIADNE_NODE_ID: "COL",
      ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "silent",
      ...(fresh.target.kind === "postgres"
        ? { DATABASE_URL: fresh.target.url }
        : { ARIADNE_DATA_DIR: join(dir, "node") }),
    };
    const target =
      fresh.target.kind === "postgres" ? fresh.target : { kind: "pglite" as const, dir: join(dir, "node") };
    const capture = () => {
      const lines: { level: number; msg: string; integrity?: { audit?: { seq: number } } }[] = [];
      const logger = pino({ level: "info" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
      return { lines, logger };
    };
    try {
      const first = await openNode(loadConfig({}, env));
      for (let i = 0; i < 8; i++) {
        await inTransaction(first.systemCtx("test"), (tx) =>
          audit(tx, { event: "user.updated", targetId: `t-${i}`, details: { i } }),
        );
      }
      await sealAll(first.db.kysely);
      const intact = await until(
        "the first node's verification",
        async () => first.integrity.report(),
        (r) => r.state !== "verifying",
      );
      expect(intact.state).toBe("intact");
      await first.close();

      const owner = await openDatabase(target, { migrate: false, asOwner: true });
      const { seq } = await owner.kysely
        .selectFrom("audit_log")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirstOrThrow();
      const edited = Number(seq) - 3;
      await owner.kysely.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await sql`UPDATE audit_log SET details = '{"i": 99}'::jsonb WHERE seq = ${edited}`.execute(trx);
      });
      await owner.close();

      // The recent part covers the edited entry: broken before the node serves, and said in the log.
      const loud = capture();
      const second = await openNode(loadConfig({}, env), { logger: loud.logger });
      try {
        expect(second.integrity.report()).toMatchObject({
          state: "broken",
          scope: "recent",
          audit: { ok: false, firstBroken: { seq: edited, reason: expect.stringMatching(/edited/) } },
        });
        const error = loud.lines.find((l) => l.level === 50);
        expect(error?.msg).toMatch(/starts on BROKEN evidence/);
        expect(error?.integrity?.audit?.seq).toBe(edited);
        const full = await until(
          "the full pass",
          async () => second.integrity.report(),
          (r) => r.scope === "full",
        );
        expect(full.audit.firstBroken?.seq).toBe(edited);
      } finally {
        await second.close();
      }

      // Only the newest two entries at start: the node starts verifying, the background pass finds it.
      const quiet = capture();
      const third = await openNode(loadConfig({}, { ...env, ARIADNE_INTEGRITY_RECENT_ENTRIES: 2 }), {
        logger: quiet.logger,
      });
      try {
        const atStart = third.integrity.report();
        // (Unless the background pass, on a small database, has already finished.)
        if (atStart.scope === "recent")
          expect(atStart).toMatchObject({ state: "verifying", audit: { ok: true } });
        const broken = await until(
          "the background pass",
          async () => third.integrity.report(),
          (r) => r.state !== "verifying",
        );
        expect(broken).toMatchObject({
          state: "broken",
          scope: "full",
          audit: { firstBroken: { seq: edited } },
        });
        expect(quiet.lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
          expect.stringMatching(/BROKEN: a hash chain or hash no longer verifies/),
        ]);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });
});
