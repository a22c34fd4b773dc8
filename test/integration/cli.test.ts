/** The `ariadne` command, run as a user would run it, on an embedded database in a temporary directory. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATION_NAMES } from "../../src/platform/db/migrations/index.ts";

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, "../../bin/ariadne.js");
let dir: string;
let db: string;

async function ariadne(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    ARIADNE_SECRET_KEY: Buffer.alloc(32, 3).toString("base64"),
    DATABASE_URL: "",
    LOG_LEVEL: "silent",
  };
  // maxBuffer: the OpenAPI document is over execFile's default 1 MiB.
  const p = run(process.execPath, [BIN, ...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    p.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await p;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ariadne-cli-"));
  db = join(dir, "node");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each test runs several commands that open the embedded database (a few seconds each on a busy machine).
describe("ariadne CLI", { timeout: 180_000 }, () => {
  it("has --help on every command", async () => {
    const top = await ariadne(["--help"]);
    for (const c of ["serve", "migrate", "user", "audit", "backup", "restore", "sandbox", "openapi"])
      expect(top.stdout).toContain(c);
    const sub = await ariadne(["user", "add", "--help"]);
    expect(sub.stdout).toContain("--role <role>");
  });

  it("migrates, adds users and lists them as JSON", async () => {
    const m = await ariadne(["migrate", "--db", db, "--json"]);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout).applied).toEqual([...MIGRATION_NAMES]);
    const add = await ariadne([
      "user",
      "add",
      "ana.admin",
      "--db",
      db,
      "--name",
      "Ana Synthetic",
      "--role",
      "admin",
      "--role",
      "liaison_officer",
      "--json",
    ]);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout).temporaryPassword).toMatch(/-/);
    const withPw = await ariadne(
      ["user", "add", "li.wei", "--db", db, "--name", "Li Wei", "--role", "analyst", "--password-stdin"],
      "a-long-enough-password\n",
    );
    expect(withPw.code).toBe(0);
    const list = await ariadne(["user", "list", "--db", db, "--json"]);
    const users = JSON.parse(list.stdout) as { username: string; roles: string[] }[];
    expect(users.map((u) => u.username)).toEqual(["ana.admin", "li.wei"]);
    expect(users[0]?.roles).toEqual(["admin", "liaison_officer"]);
    const human = await ariadne(["user", "list", "--db", db]);
    expect(human.stdout).toMatch(/username\s+displayName/);
  });

  it("refuses bad input with the reason", async () => {
    const bad = await ariadne(["user", "add", "Bad Name", "--db", db, "--name", "x", "--role", "wizard"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/username: may contain only/);
    expect(bad.stderr).toMatch(/roles\.0/);
    const dup = await ariadne(["user", "add", "li.wei", "--db", db, "--name", "Again", "--role", "analyst"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already taken/);
    // Separation of duties: one account is never both administrator and auditor.
    const both = await ariadne([
      "user",
      "add",
      "two.hats",
      "--db",
      db,
      "--name",
      "Two Hats",
      "--role",
      "admin",
      "--role",
      "auditor",
    ]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/admin and auditor may not be held by one account/);
    const roles = await ariadne([
      "user",
      "roles",
      "li.wei",
      "--db",
      db,
      "--role",
      "analyst",
      "--role",
      "investigator",
      "--json",
    ]);
    expect(roles.code).toBe(0);
    expect(JSON.parse(roles.stdout).roles).toEqual(["analyst", "investigator"]);
    const refused = await ariadne([
      "user",
      "roles",
      "li.wei",
      "--db",
      db,
      "--role",
      "admin",
      "--role",
      "auditor",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/separation of duties/);
  });

  it("disables, enables, unlocks and resets the second factor", async () => {
    for (const cmd of ["disable", "enable", "unlock", "reset-mfa"]) {
      const r = await ariadne(["user", cmd, "li.wei", "--db", db]);
      expect(r.code, r.stderr).toBe(0);
    }
    const missing = await ariadne(["user", "disable", "nobody", "--db", db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no user named nobody/);
  });

  it("breaks the glass: makes a change waiting for a second administrator, loudly, with the reason", async () => {
    // As the web app leaves it when the node's only administrator asks to reset li.wei's password.
    const id = "0b5e7c1e-4a1b-4c7d-9e2f-000000000001";
    const pg = await PGlite.create(db);
    await pg.query(
      `INSERT INTO approvals (id, kind, target_user_id, target_username, payload, requested_by, requested_by_label, requested_at, expires_at)
       SELECT $1, 'password_reset', t.id, t.username, '{}', r.id, r.username, now(), now() + interval '24 hours'
         FROM users t, users r WHERE t.username = 'li.wei' AND r.username = 'ana.admin'`,
      [id],
    );
    await pg.close();
    const short = await ariadne(["user", "break-glass", id, "--db", db, "--reason", "urgent"]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/reason/);
    const r = await ariadne([
      "user",
      "break-glass",
      id,
      "--db",
      db,
      "--reason",
      "the second administrator is unreachable",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/WARNING: break-glass/);
    const out = JSON.parse(r.stdout);
    expect(out.approval).toMatchObject({
      decision: "break_glass",
      reason: "the second administrator is unreachable",
    });
    expect(out.temporaryPassword).toMatch(/-/);
    const exported = await ariadne(["audit", "export", "--db", db]);
    const entry = exported.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.event === "approval.break_glass");
    expect(entry).toMatchObject({
      targetId: id,
      details: { reason: "the second administrator is unreachable" },
    });
    const again = await ariadne([
      "user",
      "break-glass",
      id,
      "--db",
      db,
      "--reason",
      "once more, for the record",
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already decided/);
  });

  it("verifies the audit chain and exports it", async () => {
    const v = await ariadne(["audit", "verify", "--db", db, "--json"]);
    expect(v.code).toBe(0);
    const result = JSON.parse(v.stdout);
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThanOrEqual(6);
    const out = join(dir, "audit.jsonl");
    const e = await ariadne(["audit", "export", "--db", db, "--out", out]);
    expect(e.code).toBe(0);
    expect(e.stderr).toMatch(/exported \d+ entries/);
    // The last line carries the chain's verification of the exported range.
    const lines = readFileSync(out, "utf8").trim().split("\n");
    const last = JSON.parse(lines.at(-1) ?? "{}");
    expect(last.verification).toMatchObject({ ok: true, chain: { ok: true, firstBroken: null } });
    expect(last.verification.range.to).toBe(JSON.parse(lines.at(-2) ?? "{}").seq);
  });

  it("rotates the node's federation keys, audited, and says until when the old ones count", async () => {
    const first = await ariadne(["federation", "rotate-keys", "--db", db, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.signing).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4})+$/);
    expect(new Date(a.overlapUntil).getTime()).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    const second = await ariadne(["federation", "rotate-keys", "--db", db]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/keys rotated/);
    expect(second.stdout).not.toContain(a.signing);
    const exported = await ariadne(["audit", "export", "--db", db]);
    expect(exported.stdout.match(/"federation\.keys_rotated"/g)?.length).toBe(2);
    expect((await ariadne(["audit", "verify", "--db", db])).code).toBe(0);
  });

  it("backs up and restores into a fresh directory with the audit chain intact", async () => {
    const file = join(dir, "snapshot.tar.gz");
    const b = await ariadne(["backup", "--db", db, "--out", file, "--json"]);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).bytes).toBeGreaterThan(1000);
    const target = join(dir, "restored");
    const r = await ariadne(["restore", "--from", file, "--db", target, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const list = await ariadne(["user", "list", "--db", target, "--json"]);
    expect(JSON.parse(list.stdout).map((u: { username: string }) => u.username)).toEqual([
      "ana.admin",
      "li.wei",
    ]);
    expect((await ariadne(["audit", "verify", "--db", target])).code).toBe(0);
    const again = await ariadne(["restore", "--from", file, "--db", target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
  });

  it("exits non-zero and names the first broken entry when the chain was tampered with", async () => {
    const pg = await PGlite.create(db);
    await pg.exec(
      "SET session_replication_role = replica; UPDATE audit_log SET actor_label = 'someone-else' WHERE seq = 2;",
    );
    await pg.close();
    const v = await ariadne(["audit", "verify", "--db", db]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/AUDIT CHAIN BROKEN at entry 2: content does not match its hash/);
  });

  it("finds a crisis-log entry edited in the database, names its case and entry, and exits non-zero", async () => {
    const demo = await ariadne(["demo-data", "--db", db, "--cases", "2", "--lead", "li.wei"]);
    expect(demo.code, demo.stderr).toBe(0);
    const pg = await PGlite.create(db);
    const { rows } = await pg.query<{ reference: string; seq: number }>(
      `SELECT c.reference, l.seq FROM crisis_log l JOIN cases c ON c.id = l.case_id ORDER BY l.id LIMIT 1`,
    );
    const edited = rows[0];
    expect(edited).toBeDefined();
    await pg.exec(
      `SET session_replication_role = replica; UPDATE crisis_log SET content = '{"kind":"note","summary":"edited"}' WHERE id = (SELECT min(id) FROM crisis_log);`,
    );
    await pg.close();
    const v = await ariadne(["audit", "verify", "--db", db]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(
      `CRISIS LOG BROKEN in case ${edited?.reference} at entry ${edited?.seq}: content does not match its hash`,
    );
    expect(v.stdout).toMatch(/attachments intact: \d+/);
  });

  it("prints the OpenAPI document", async () => {
    const o = await ariadne(["openapi"]);
    expect(JSON.parse(o.stdout).openapi).toBe("3.1.0");
  });
});
