import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRecords } from "../../src/capabilities/audit/integrity.ts";
import { audit, sealAll, verifyChain } from "../../src/platform/audit/index.ts";
import { inTransaction } from "../../src/platform/context.ts";
import { addLogEntry, openCase, signedIn } from "../helpers/factories.ts";
import { auditEvents, createTestNode, makeUser, type TestNode } from "../helpers/node.ts";

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode();
});
afterAll(async () => node?.close());

async function write(target: TestNode, n: number, label = "x") {
  for (let i = 0; i < n; i++) {
    await inTransaction(target.ctx, (tx) =>
      audit(tx, {
        event: "user.updated",
        targetType: "user",
        targetId: `${label}-${i}`,
        details: { i, text: "Ñandú – 北京 – Москва" },
      }),
    );
  }
}

async function sealedThenVerified(n: TestNode, opts: Parameters<typeof verifyChain>[1] = {}) {
  await sealAll(n.db.kysely);
  return verifyChain(n.db.kysely, opts);
}

/** Disable the append-only trigger for one statement, as a superuser could. */
const tamper = (target: TestNode, statement: string, params: unknown[] = []) =>
  target.asSuperuser(async (q) => {
    await q("BEGIN");
    await q("SET LOCAL session_replication_role = replica");
    await q(statement, params);
    await q("COMMIT");
  });

describe("the audit chain", () => {
  it("verifies an untouched chain", async () => {
    await write(node, 5);
    const r = await sealedThenVerified(node);
    expect(r.ok).toBe(true);
    expect(r.entries).toBeGreaterThanOrEqual(5);
    expect(r.head.seq).toBe(r.entries);
  });

  it("stays a single unbroken chain under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        inTransaction(node.ctx, (tx) => audit(tx, { event: "user.viewed", targetId: `c${i}` })),
      ),
    );
    const r = await sealedThenVerified(node);
    expect(r.ok).toBe(true);
  });

  it("leaves nothing unsealed once the sealer has run, and reports pending entries until then", async () => {
    await write(node, 3, "p");
    const before = await verifyChain(node.db.kysely);
    expect(before.ok).toBe(true);
    await sealAll(node.db.kysely);
    const after = await verifyChain(node.db.kysely);
    expect(after.pending).toBe(0);
    expect(after.entries).toBe(before.entries + before.pending);
  });

  it("rolls back with the change it records", async () => {
    const before = (await sealedThenVerified(node)).entries;
    await expect(
      inTransaction(node.ctx, async (tx) => {
        await audit(tx, { event: "user.updated", targetId: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const r = await sealedThenVerified(node);
    expect(r.entries).toBe(before);
    expect(r.ok).toBe(true);
  });

  it("cannot be changed or deleted by the application's database role", async () => {
    await expect(node.db.kysely.deleteFrom("audit_log").execute()).rejects.toThrow(/permission denied/);
    await expect(
      node.db.kysely.updateTable("audit_log").set({ actor_label: "someone else" }).execute(),
    ).rejects.toThrow(/permission denied/);
    // The role may seal, but a sealed entry cannot be re-sealed (re-chained) by it.
    await expect(
      node.db.kysely.updateTable("audit_log").set({ seq: 999_999 }).where("seq", "=", 1).execute(),
    ).rejects.toThrow(/append-only/);
  });

  it("refuses UPDATE, DELETE and TRUNCATE even for the owner, through the trigger", async () => {
    await node.asSuperuser(async (q) => {
      await expect(q("UPDATE audit_log SET actor_label = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(q("DELETE FROM audit_log WHERE seq = 1")).rejects.toThrow(/append-only/);
      await expect(q("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    });
  });
});

describe("tampering by someone with superuser access is detected", () => {
  // Each case works on its own node so that one tampering does not hide the next.
  async function withNode(fn: (n: TestNode) => Promise<void>) {
    const own = await createTestNode();
    try {
      await write(own, 6, "t");
      await sealAll(own.db.kysely);
      await fn(own);
    } finally {
      await own.close();
    }
  }

  it("an edited entry", () =>
    withNode(async (n) => {
      await tamper(n, "UPDATE audit_log SET details = '{\"i\": 99}'::jsonb WHERE seq = 3");
      const r = await sealedThenVerified(n);
      expect(r.ok).toBe(false);
      expect(r.firstBroken).toEqual({ seq: 3, reason: expect.stringMatching(/edited/) });
    }));

  it("a deleted entry in the middle", () =>
    withNode(async (n) => {
      await tamper(n, "DELETE FROM audit_log WHERE seq = 4");
      const r = await sealedThenVerified(n);
      expect(r.firstBroken).toEqual({ seq: 4, reason: expect.stringMatching(/missing/) });
    }));

  it("deleted entries at the end", () =>
    withNode(async (n) => {
      await tamper(n, "DELETE FROM audit_log WHERE seq >= 5");
      const r = await sealedThenVerified(n);
      expect(r.ok).toBe(false);
      expect(r.firstBroken?.reason).toMatch(/deleted at the end/);
    }));

  it("an inserted entry", () =>
    withNode(async (n) => {
      // Shift the tail up by one and slip a forged entry in at 3.
      await tamper(n, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3");
      await tamper(n, "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
      await tamper(
        n,
        `INSERT INTO audit_log (seq, at, actor_label, event, details, prev_hash, hash)
         SELECT 3, now(), 'forger', 'user.created', '{}'::jsonb, hash, hash FROM audit_log WHERE seq = 2`,
      );
      const r = await sealedThenVerified(n);
      expect(r.ok).toBe(false);
      expect(r.firstBroken?.seq).toBe(3);
    }));

  it("a rewritten chain, against an anchor recorded earlier", () =>
    withNode(async (n) => {
      const anchor = (await sealedThenVerified(n)).head;
      await tamper(
        n,
        "UPDATE audit_log SET actor_label = 'rewritten', hash = decode(repeat('ab', 32), 'hex') WHERE seq = $1",
        [anchor.seq],
      );
      const r = await sealedThenVerified(n, { expect: anchor });
      expect(r.ok).toBe(false);
      expect(r.firstBroken?.seq).toBe(anchor.seq);
    }));
});

describe("what is audited", () => {
  it("records a read of personal data with the purpose the user states", async () => {
    const admin = await signedIn(node, ["admin"]);
    const target = await makeUser(node, ["investigator"]);
    const res = await admin.inject("GET", `/api/users/${target.id}`, undefined, {
      "x-ariadne-purpose": "checking who leads case 2026-014",
    });
    expect(res.statusCode).toBe(200);
    const viewed = (await auditEvents(node, "user.viewed")).filter((e) => e.target_id === target.id);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]?.purpose).toBe("checking who leads case 2026-014");
    expect(viewed[0]?.request_id).toBe(res.headers["x-request-id"]);
  });

  it("refuses a purpose that is not valid percent-encoding, naming the header, and reads nothing", async () => {
    const admin = await signedIn(node, ["admin"]);
    const target = await makeUser(node, ["investigator"]);
    const res = await admin.inject("GET", `/api/users/${target.id}`, undefined, {
      "x-ariadne-purpose": "checking 100% of the leads",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({ path: "headers.x-ariadne-purpose" });
    expect((await auditEvents(node, "user.viewed")).filter((e) => e.target_id === target.id)).toHaveLength(0);
  });

  it("uses the route's declared purpose when none is stated", async () => {
    const admin = await signedIn(node, ["admin"]);
    const target = await makeUser(node, ["investigator"]);
    await admin.inject("GET", `/api/users/${target.id}`);
    const viewed = (await auditEvents(node, "user.viewed")).filter((e) => e.target_id === target.id);
    expect(viewed[0]?.purpose).toBe("user administration");
  });

  it("records permission changes with before and after", async () => {
    const admin = await signedIn(node, ["admin"]);
    // A role without case work: granting one with case work waits for a second administrator (approvals.test.ts).
    const target = await makeUser(node, ["investigator"]);
    const res = await admin.inject("PATCH", `/api/users/${target.id}`, {
      roles: ["investigator", "statistics_focal_point"],
    });
    expect(res.statusCode).toBe(200);
    const changed = (await auditEvents(node, "user.roles_changed")).filter((e) => e.target_id === target.id);
    expect(changed[0]?.details).toEqual({
      before: ["investigator"],
      after: ["investigator", "statistics_focal_point"],
    });
    expect(changed[0]?.actor_id).toBe(admin.user.id);
  });

  it("records the auditor's own viewing of the trail", async () => {
    const auditor = await signedIn(node, ["auditor"]);
    const res = await auditor.inject("GET", "/api/audit?event=user.created&limit=5");
    expect(res.statusCode).toBe(200);
    expect(res.json().entries.every((e: { event: string }) => e.event === "user.created")).toBe(true);
    expect((await auditEvents(node, "audit.viewed")).length).toBeGreaterThan(0);
    const v = await auditor.inject("GET", "/api/audit/verify");
    expect(v.json().ok).toBe(true);
  });

  it("pages through the trail newest first without gaps", async () => {
    const auditor = await signedIn(node, ["auditor"]);
    const first = (await auditor.inject("GET", "/api/audit?limit=3")).json();
    expect(first.entries).toHaveLength(3);
    const second = (await auditor.inject("GET", `/api/audit?limit=3&before=${first.nextBefore}`)).json();
    expect(second.entries[0].id).toBe(first.entries[2].id - 1);
  });
});

describe("every hash chain and hash the node keeps", () => {
  it("finds a crisis-log entry edited or deleted, and an attachment changed, by someone with superuser access", async () => {
    const n = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
    try {
      const lead = await signedIn(n, ["crisis_manager"]);
      const c = await openCase(lead);
      const other = await openCase(lead);
      for (const summary of ["first call", "demand", "proof of life"]) {
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
      const intact = await verifyRecords(n.ctx);
      expect(intact.ok).toBe(true);
      expect(intact.crisisLogs).toMatchObject({ cases: 2, entries: 6, broken: [] });
      expect(intact.attachments).toEqual({ count: 1, broken: [] });

      await tamper(n, "UPDATE crisis_log SET content = $1 WHERE case_id = $2 AND seq = 2", [
        JSON.stringify({ kind: "note", summary: "no demand was made" }),
        c.id,
      ]);
      await tamper(n, "DELETE FROM crisis_log WHERE case_id = $1 AND seq = 3", [other.id]);
      await tamper(n, "UPDATE attachment_blobs SET content = $1", [Buffer.from("synthetic call LOG")]);
      const broken = await verifyRecords(n.ctx);
      expect(broken.ok).toBe(false);
      expect(broken.crisisLogs.broken).toEqual(
        expect.arrayContaining([
          { caseId: c.id, case: c.reference, seq: 2, reason: "content does not match its hash" },
          { caseId: other.id, case: other.reference, seq: 3, reason: "missing (the log was cut short)" },
        ]),
      );
      expect(broken.crisisLogs.broken).toHaveLength(2);
      expect(broken.attachments.broken).toEqual([
        { case: c.reference, attachment: up.json().id, reason: "content does not match its SHA-256" },
      ]);
    } finally {
      await n.close();
    }
  });
});
