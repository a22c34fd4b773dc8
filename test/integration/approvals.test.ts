/**
 * Four eyes (issue "Trust"): what lets one administrator act as someone else — resetting the
 * password or second factor of an account on a case team, granting a role with case work,
 * an API token for another account — waits for a second administrator; the account's holder
 * and the leads of their cases are told; break-glass is the operator's, and loud.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakGlass } from "../../src/capabilities/accounts/approvals.ts";
import { systemActor } from "../../src/platform/context.ts";
import { openCase, type SignedIn, signedIn, teamMember } from "../helpers/factories.ts";
import {
  auditEvents,
  createTestNode,
  makeUser,
  nextCode,
  type TestNode,
  type TestUser,
} from "../helpers/node.ts";

let node: TestNode;
let admin: SignedIn;
let second: SignedIn;
let lead: SignedIn;
let caseId: string;

beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  admin = await signedIn(node, ["admin"]);
  second = await signedIn(node, ["admin"]);
  lead = await signedIn(node, ["investigator"]);
  caseId = (await openCase(lead)).id;
});
afterAll(async () => node?.close());

const login = (username: string, password: string) =>
  node.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });

/** A prosecutor on the lead's case (signed in once by the factory). */
async function prosecutor(): Promise<TestUser> {
  return (await teamMember(node, lead, caseId, { roles: ["prosecutor"], caseRole: "member" })).user;
}

/** A full session with this password and the user's authenticator. */
async function signInWith(user: TestUser, password: string) {
  const first = await login(user.username, password);
  expect(first.statusCode, first.body).toBe(200);
  const cookie = first.cookies.find((c) => c.name === "ariadne_session")?.value ?? "";
  const done = await node.app.inject({
    method: "POST",
    url: "/api/auth/totp",
    headers: { cookie: `ariadne_session=${cookie}`, "x-csrf-token": first.json().csrfToken },
    payload: { code: nextCode(user) },
  });
  expect(done.statusCode, done.body).toBe(200);
  const full = done.cookies.find((c) => c.name === "ariadne_session")?.value ?? "";
  const csrf = done.json().csrfToken as string;
  return (method: string, url: string, body?: unknown) =>
    node.app.inject({
      method: method as "GET",
      url,
      headers: { cookie: `ariadne_session=${full}`, "x-csrf-token": csrf },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
}

describe("a password reset of a case-team member", () => {
  it("does not take effect without a second administrator, and does on approval by another", async () => {
    const p = await prosecutor();
    const asked = await admin.inject("POST", `/api/users/${p.id}/reset-password`);
    expect(asked.statusCode).toBe(202);
    const { approval } = asked.json();
    expect(approval).toMatchObject({
      kind: "password_reset",
      targetUserId: p.id,
      requestedBy: admin.user.id,
      decision: null,
    });
    expect(JSON.stringify(asked.json())).not.toMatch(/temporaryPassword/);
    expect(new Date(approval.expiresAt).getTime() - new Date(approval.requestedAt).getTime()).toBe(
      24 * 3_600_000,
    );
    // Nothing changed: the old password still works.
    expect((await login(p.username, p.password)).statusCode).toBe(200);
    expect((await auditEvents(node, "user.password_reset")).some((e) => e.target_id === p.id)).toBe(false);

    // It is listed for the other administrators.
    const listed = (await second.inject("GET", "/api/approvals?status=pending")).json().approvals;
    expect(listed.map((a: { id: string }) => a.id)).toContain(approval.id);

    // The requester cannot approve (nor refuse) their own request, naming the field.
    const self = await admin.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.fields[0]).toEqual({
      path: "requestedBy",
      message: "you requested this change: another administrator must decide it",
    });
    expect((await admin.inject("POST", `/api/approvals/${approval.id}/refuse`, {})).statusCode).toBe(409);
    expect((await login(p.username, p.password)).statusCode).toBe(200);

    const ok = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    const { temporaryPassword, approval: decided } = ok.json();
    expect(decided).toMatchObject({ decision: "approved", decidedBy: second.user.id });
    expect(temporaryPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect((await login(p.username, p.password)).statusCode).toBe(401);
    expect((await login(p.username, temporaryPassword)).statusCode).toBe(200);
    // Decided once.
    expect(
      (await second.inject("POST", `/api/approvals/${approval.id}/approve`)).json().error.fields[0].path,
    ).toBe("decision");

    // All audited: the request, the approval and the reset, which names both administrators.
    const requested = (await auditEvents(node, "approval.requested")).find(
      (e) => e.target_id === approval.id,
    );
    expect(requested?.actor_id).toBe(admin.user.id);
    const approved = (await auditEvents(node, "approval.approved")).find((e) => e.target_id === approval.id);
    expect(approved?.actor_id).toBe(second.user.id);
    const reset = (await auditEvents(node, "user.password_reset")).find((e) => e.target_id === p.id);
    expect(reset?.actor_id).toBe(second.user.id);
    expect(reset?.details).toMatchObject({
      approval: approval.id,
      requestedBy: admin.user.username,
      approvedBy: second.user.username,
    });
  });

  it("the reset user sees who reset what and when at next sign-in, until acknowledged", async () => {
    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-password`)).json();
    const { temporaryPassword } = (
      await second.inject("POST", `/api/approvals/${approval.id}/approve`)
    ).json();
    const me = await signInWith(p, temporaryPassword);
    const notices = (await me("GET", "/api/me/security-notices")).json().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: "password_reset",
      userId: p.id,
      approvalId: approval.id,
      requestedByLabel: admin.user.username,
      approvedByLabel: second.user.username,
      breakGlass: false,
      acknowledgedAt: null,
    });
    expect(Date.now() - new Date(notices[0].at).getTime()).toBeLessThan(60_000);
    const ack = await me("POST", `/api/me/security-notices/${notices[0].id}/acknowledge`);
    expect(ack.statusCode).toBe(200);
    expect((await me("GET", "/api/me/security-notices")).json().notices).toEqual([]);
    expect(
      (await auditEvents(node, "security_notice.acknowledged")).some((e) => e.target_id === notices[0].id),
    ).toBe(true);
    // Nobody else acknowledges it.
    expect(
      (await lead.inject("POST", `/api/me/security-notices/${notices[0].id}/acknowledge`)).statusCode,
    ).toBe(404);
  });

  it("the lead of the member's case sees the notice on the case; a member does not", async () => {
    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-mfa`)).json();
    await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    const seen = (await lead.inject("GET", `/api/cases/${caseId}`)).json();
    const notice = seen.securityNotices.find((n: { approvalId: string }) => n.approvalId === approval.id);
    expect(notice).toMatchObject({
      kind: "mfa_reset",
      username: p.username,
      requestedByLabel: admin.user.username,
      approvedByLabel: second.user.username,
    });
    const viewed = (await auditEvents(node, "case.viewed")).filter((e) => e.target_id === caseId).at(-1);
    expect((viewed?.details as { securityNotices?: string[] } | undefined)?.securityNotices).toContain(
      notice.id,
    );
    const member = await teamMember(node, lead, caseId, { roles: ["analyst"], caseRole: "member" });
    expect((await member.inject("GET", `/api/cases/${caseId}`)).json().securityNotices).toBeUndefined();
    // They are for the lead's page: an export, a file that leaves the node, does not carry them.
    const exported = await lead.inject("GET", `/api/cases/${caseId}/export?format=json`);
    expect(exported.statusCode).toBe(200);
    expect(exported.json().case.securityNotices).toBeUndefined();
  });

  it("a refused request changes nothing and is audited with its reason", async () => {
    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-password`)).json();
    const no = await second.inject("POST", `/api/approvals/${approval.id}/refuse`, {
      reason: "not asked by the user",
    });
    expect(no.json()).toMatchObject({ decision: "refused", reason: "not asked by the user" });
    expect((await login(p.username, p.password)).statusCode).toBe(200);
    const refused = (await auditEvents(node, "approval.refused")).find((e) => e.target_id === approval.id);
    expect(refused?.details).toMatchObject({ reason: "not asked by the user", kind: "password_reset" });
  });

  it("the account concerned cannot decide about itself, and a second request waits behind the first", async () => {
    const other = await signedIn(node, ["admin", "investigator"]);
    await lead.inject("PUT", `/api/cases/${caseId}/team/${other.user.id}`, { caseRole: "member" });
    const { approval } = (await admin.inject("POST", `/api/users/${other.user.id}/reset-password`)).json();
    const again = await admin.inject("POST", `/api/users/${other.user.id}/reset-password`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(approval.id);
    const mine = await other.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(mine.json().error.fields[0].path).toBe("targetUserId");
  });

  it("an expired request cannot be approved, and is marked expired (audited)", async () => {
    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-password`)).json();
    await node.db.kysely
      .updateTable("approvals")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", approval.id)
      .execute();
    const late = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(late.json().error.fields[0].path).toBe("expiresAt");
    const listed = (await second.inject("GET", "/api/approvals")).json().approvals;
    expect(listed.find((a: { id: string }) => a.id === approval.id).decision).toBe("expired");
    expect((await auditEvents(node, "approval.expired")).some((e) => e.target_id === approval.id)).toBe(true);
    expect((await login(p.username, p.password)).statusCode).toBe(200);
  });
});

describe("a second-factor reset of a case-team member", () => {
  it("waits for a second administrator; the requester cannot approve it", async () => {
    const p = await prosecutor();
    const asked = await admin.inject("POST", `/api/users/${p.id}/reset-mfa`);
    expect(asked.statusCode).toBe(202);
    const { approval } = asked.json();
    const still = await login(p.username, p.password);
    expect(still.json().stage).toBe("mfa");
    expect(
      (await admin.inject("POST", `/api/approvals/${approval.id}/approve`)).json().error.fields[0].path,
    ).toBe("requestedBy");
    const ok = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(ok.json().user.mfaEnrolled).toBe(false);
    expect((await login(p.username, p.password)).json().stage).toBe("enrol");
    const reset = (await auditEvents(node, "user.mfa_reset")).find((e) => e.target_id === p.id);
    expect(reset?.details).toMatchObject({ approval: approval.id, approvedBy: second.user.username });
  });
});

describe("accounts on no case team and roles without case work", () => {
  it("reset at once (and the user is still told)", async () => {
    const u = await makeUser(node, ["statistics_focal_point"]);
    const res = await admin.inject("POST", `/api/users/${u.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    expect((await login(u.username, res.json().temporaryPassword)).statusCode).toBe(200);
    const mfa = await admin.inject("POST", `/api/users/${u.id}/reset-mfa`);
    expect(mfa.statusCode).toBe(200);
    const notices = await node.db.kysely
      .selectFrom("security_notices")
      .selectAll()
      .where("user_id", "=", u.id)
      .execute();
    expect(notices.map((n) => [n.kind, n.requested_by_label, n.approval_id])).toEqual(
      expect.arrayContaining([
        ["password_reset", admin.user.username, null],
        ["mfa_reset", admin.user.username, null],
      ]),
    );
  });

  it("roles without case work are granted at once", async () => {
    const u = await makeUser(node, ["prosecutor"]);
    const res = await admin.inject("PATCH", `/api/users/${u.id}`, {
      roles: ["prosecutor", "statistics_focal_point"],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toEqual(["prosecutor", "statistics_focal_point"]);
  });
});

describe("what would let one administrator become two", () => {
  it("an administrator's or an auditor's account is created, reset and given roles only with a second administrator", async () => {
    const created = await admin.inject("POST", "/api/users", {
      username: "sock.puppet",
      displayName: "Synthetic Sock Puppet",
      roles: ["admin"],
    });
    expect(created.statusCode, created.body).toBe(202);
    expect(
      await node.db.kysely.selectFrom("users").select("id").where("username", "=", "sock.puppet").execute(),
    ).toEqual([]);
    const withPassword = await admin.inject("POST", "/api/users", {
      username: "sock.puppet2",
      displayName: "Synthetic Sock Puppet",
      roles: ["auditor"],
      password: "chosen-by-the-administrator",
    });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json().error.fields[0].path).toBe("body.password");

    // Another administrator's password and second factor: held, the old password still works.
    const other = await makeUser(node, ["admin"]);
    const reset = await admin.inject("POST", `/api/users/${other.id}/reset-password`);
    expect(reset.statusCode).toBe(202);
    expect((await login(other.username, other.password)).statusCode).toBe(200);
    expect((await admin.inject("POST", `/api/users/${other.id}/reset-mfa`)).statusCode).toBe(202);

    const plain = await makeUser(node, ["statistics_focal_point"]);
    const grant = await admin.inject("PATCH", `/api/users/${plain.id}`, {
      roles: ["statistics_focal_point", "admin"],
    });
    expect(grant.statusCode).toBe(202);
    expect(
      (
        await node.db.kysely
          .selectFrom("users")
          .select("roles")
          .where("id", "=", plain.id)
          .executeTakeFirstOrThrow()
      ).roles,
    ).toEqual(["statistics_focal_point"]);
  });

  it("a first guarded role re-issues the account's credentials through the approver", async () => {
    // An account its administrator could know the password of (made with one, no case work)…
    const u = await makeUser(node, ["statistics_focal_point"]);
    const { approval } = (
      await admin.inject("PATCH", `/api/users/${u.id}`, { roles: ["statistics_focal_point", "investigator"] })
    ).json();
    const approved = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    // …gets case work with a one-time password only the approver saw, and a second factor to enrol again.
    expect(approved.json().temporaryPassword).toEqual(expect.any(String));
    expect((await login(u.username, u.password)).statusCode).toBe(401);
    const row = await node.db.kysely
      .selectFrom("users")
      .select(["roles", "mfa_secret_enc"])
      .where("id", "=", u.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ roles: ["investigator", "statistics_focal_point"], mfa_secret_enc: null });
  });

  it("a token for another account never carries users.manage, and a request is never decided with a token", async () => {
    const service = await makeUser(node, ["admin"]);
    const token = await admin.inject("POST", `/api/users/${service.id}/tokens`, {
      name: "provisioning",
      scopes: ["users.manage"],
      expiresInDays: 30,
    });
    expect(token.statusCode).toBe(400);
    expect(token.json().error.fields[0].path).toBe("body.scopes");

    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-mfa`)).json();
    const own = (
      await second.inject("POST", "/api/tokens", { name: "mine", scopes: ["users.manage"], expiresInDays: 1 })
    ).json();
    const byToken = await node.app.inject({
      method: "POST",
      url: `/api/approvals/${approval.id}/approve`,
      headers: { authorization: `Bearer ${own.secret}` },
    });
    expect(byToken.statusCode).toBe(409);
    expect(byToken.json().error.fields[0].path).toBe("headers.authorization");
    expect((await second.inject("GET", `/api/approvals/${approval.id}`)).json().decision).toBeNull();
  });

  it("a request whose requester is no longer an active administrator cannot be approved", async () => {
    const gone = await signedIn(node, ["admin"]);
    const p = await prosecutor();
    const { approval } = (await gone.inject("POST", `/api/users/${p.id}/reset-mfa`)).json();
    await node.db.kysely
      .updateTable("users")
      .set({ status: "disabled" })
      .where("id", "=", gone.user.id)
      .execute();
    const res = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields[0].path).toBe("requestedBy");
  });
});

describe("granting a role with case work", () => {
  it("on a role change waits for a second administrator; other fields take effect at once", async () => {
    const u = await makeUser(node, ["statistics_focal_point"]);
    const res = await admin.inject("PATCH", `/api/users/${u.id}`, {
      roles: ["investigator", "statistics_focal_point"],
      displayName: "Renamed Now",
    });
    expect(res.statusCode).toBe(202);
    const { approval, user } = res.json();
    expect(user).toMatchObject({ roles: ["statistics_focal_point"], displayName: "Renamed Now" });
    expect(approval.payload).toEqual({
      before: ["statistics_focal_point"],
      after: ["investigator", "statistics_focal_point"],
      granted: ["investigator"],
    });
    expect((await admin.inject("POST", `/api/approvals/${approval.id}/approve`)).statusCode).toBe(409);
    const ok = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(ok.json().user.roles).toEqual(["investigator", "statistics_focal_point"]);
    const changed = (await auditEvents(node, "user.roles_changed")).find((e) => e.target_id === u.id);
    expect(changed?.details).toMatchObject({
      approval: approval.id,
      after: ["investigator", "statistics_focal_point"],
    });
  });

  it("on creation waits too: the account exists only on approval, with a one-time password for the approver", async () => {
    const res = await admin.inject("POST", "/api/users", {
      username: "held.officer",
      displayName: "Held Officer",
      roles: ["investigator"],
    });
    expect(res.statusCode).toBe(202);
    const { approval } = res.json();
    expect(approval).toMatchObject({
      kind: "user_create",
      targetUserId: null,
      targetUsername: "held.officer",
    });
    expect((await admin.inject("GET", "/api/users?q=held.officer")).json().users).toEqual([]);
    const withPassword = await admin.inject("POST", "/api/users", {
      username: "held.two",
      displayName: "Held Two",
      roles: ["analyst"],
      password: "a-password-of-length",
    });
    expect(withPassword.json().error.fields[0].path).toBe("body.password");
    const ok = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(ok.json().user).toMatchObject({
      username: "held.officer",
      roles: ["investigator"],
      mfaEnrolled: false,
    });
    expect((await login("held.officer", ok.json().temporaryPassword)).json().stage).toBe("enrol");
  });

  it("a stale request (roles changed since) is refused on approval", async () => {
    const u = await makeUser(node, ["statistics_focal_point"]);
    const { approval } = (await admin.inject("PATCH", `/api/users/${u.id}`, { roles: ["analyst"] })).json();
    // Changed meanwhile by the operator (`ariadne user roles`), outside the request.
    await node.db.kysely
      .updateTable("users")
      .set({ roles: ["auditor"] })
      .where("id", "=", u.id)
      .execute();
    const late = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(late.json().error.fields[0].path).toBe("payload.before");
  });
});

describe("an API token for another account", () => {
  it("needs a second administrator; the secret is shown once, to the approver, and acts as the account", async () => {
    const service = await makeUser(node, ["statistics_focal_point"], { username: "svc.returns" });
    const res = await admin.inject("POST", `/api/users/${service.id}/tokens`, {
      name: "returns robot",
      scopes: ["statistics.returns", "self.read"],
      expiresInDays: 30,
    });
    expect(res.statusCode).toBe(202);
    const { approval } = res.json();
    expect(approval.payload).toEqual({
      name: "returns robot",
      scopes: ["self.read", "statistics.returns"],
      expiresInDays: 30,
    });
    expect(JSON.stringify(approval)).not.toMatch(/ariadne_/);
    expect(
      await node.db.kysely.selectFrom("api_tokens").select("id").where("user_id", "=", service.id).execute(),
    ).toEqual([]);
    expect((await admin.inject("POST", `/api/approvals/${approval.id}/approve`)).statusCode).toBe(409);
    const ok = await second.inject("POST", `/api/approvals/${approval.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    const { secret, token } = ok.json();
    expect(token.scopes).toEqual(["self.read", "statistics.returns"]);
    const who = await node.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(who.json().user.username).toBe("svc.returns");
    const created = (await auditEvents(node, "token.created")).find((e) => e.target_id === token.id);
    expect(created?.details).toMatchObject({ owner: service.id, approval: approval.id });
    // The approval keeps no secret.
    const stored = await node.db.kysely
      .selectFrom("approvals")
      .selectAll()
      .where("id", "=", approval.id)
      .executeTakeFirst();
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it("refuses scopes the account does not hold, naming the field", async () => {
    const service = await makeUser(node, ["statistics_focal_point"]);
    const res = await admin.inject("POST", `/api/users/${service.id}/tokens`, {
      name: "too much",
      scopes: ["users.manage"],
      expiresInDays: 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe("body.scopes");
  });
});

describe("break-glass (a node with a single administrator)", () => {
  it("the operator executes the pending change with a reason; loud in the audit trail and the notices", async () => {
    const p = await prosecutor();
    const { approval } = (await admin.inject("POST", `/api/users/${p.id}/reset-password`)).json();
    const operator = { ...node.ctx, actor: systemActor("cli:operator") };
    await expect(breakGlass(operator, approval.id, "short")).rejects.toThrow(/reason/);
    const out = await breakGlass(operator, approval.id, "the only other administrator is on leave");
    expect(out.approval).toMatchObject({ decision: "break_glass", decidedByLabel: "cli:operator" });
    expect(out.otherAdministrators).toBeGreaterThan(0);
    expect((await login(p.username, out.temporaryPassword ?? "")).statusCode).toBe(200);
    const entry = (await auditEvents(node, "approval.break_glass")).find((e) => e.target_id === approval.id);
    expect(entry?.actor_label).toBe("cli:operator");
    expect(entry?.details).toMatchObject({
      reason: "the only other administrator is on leave",
      kind: "password_reset",
    });
    // Every administrator and auditor sees it, marked; so does the lead, on the case.
    const auditor = await signedIn(node, ["auditor"]);
    for (const s of [second, auditor]) {
      const marked = (await s.inject("GET", "/api/security-notices?breakGlass=true")).json().notices;
      expect(marked.find((n: { approvalId: string }) => n.approvalId === approval.id)).toMatchObject({
        breakGlass: true,
        reason: "the only other administrator is on leave",
        username: p.username,
      });
    }
    expect((await auditEvents(node, "security_notices.viewed")).length).toBeGreaterThanOrEqual(2);
    const onCase = (await lead.inject("GET", `/api/cases/${caseId}`)).json().securityNotices;
    expect(onCase.find((n: { approvalId: string }) => n.approvalId === approval.id).breakGlass).toBe(true);
    // Not twice.
    await expect(
      breakGlass(operator, approval.id, "the only other administrator is on leave"),
    ).rejects.toThrow(/already decided/);
  });
});
