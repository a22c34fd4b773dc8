import { type Selectable, sql } from "kysely";
import { type CaseStatus, type Outcome, transition } from "../../domain/case-lifecycle.ts";
import { mayOnCase } from "../../domain/case-roles.ts";
import type { CaseRole, CaseView, CreateCaseInput } from "../../domain/cases.ts";
import { classify } from "../../domain/definition.ts";
import { AppError } from "../../domain/errors.ts";
import { isRole, permissionsOf } from "../../domain/roles.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { CasesTable } from "../../platform/db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { iso } from "../../platform/time.ts";
import { teamSecurityNotices } from "../accounts/index.ts";
import { caseWith, me } from "./access.ts";
import { presentCase } from "./presenters.ts";

async function nextReference(ctx: Ctx, year: number): Promise<string> {
  const { rows } = await sql<{ last: number }>`
    INSERT INTO case_counters (year, last) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1
    RETURNING last`.execute(ctx.db);
  const n = rows[0]?.last ?? 0;
  return `${ctx.config.nodeId}-${year}-${String(n).padStart(6, "0")}`;
}

export async function createCase(ctx: Ctx, input: CreateCaseInput): Promise<CaseView> {
  const userId = me(ctx);
  const cls = classify(input.elements);
  const now = new Date();
  const reportedAt = input.reportedAt ? new Date(input.reportedAt) : now;
  if (input.occurredAt && new Date(input.occurredAt) > reportedAt) {
    throw AppError.field("body.occurredAt", "must not be after reportedAt");
  }
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("cases")
      .values({
        id: newId(),
        reference: await nextReference(tx, reportedAt.getUTCFullYear()),
        title: input.title,
        status: "reported",
        outcome: null,
        occurred_at: input.occurredAt ? new Date(input.occurredAt) : null,
        reported_at: reportedAt,
        country: input.place.country,
        region: input.place.region ?? null,
        latitude: input.place.latitude ?? null,
        longitude: input.place.longitude ?? null,
        elements: JSON.stringify(input.elements),
        iccs: cls.iccs,
        kidnapping: cls.kidnapping,
        op_type: cls.type,
        classification_reasons: JSON.stringify(cls.reasons),
        tlp: input.tlp,
        handling: [...new Set(input.handling)].sort(),
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db
      .insertInto("case_team")
      .values({ case_id: row.id, user_id: userId, case_role: "lead", added_at: now, added_by: userId })
      .execute();
    await audit(tx, {
      event: "case.created",
      targetType: "case",
      targetId: row.id,
      details: { reference: row.reference, iccs: cls.iccs, type: cls.type },
    });
    return presentCase(row, "lead", tx.actor.roles);
  });
}

/** Filters on a case's own fields, shared by the case list and search. */
export interface CaseFilters {
  status?: CaseStatus | undefined;
  type?: string | undefined;
  iccs?: string | undefined;
  country?: string | undefined;
  region?: string | undefined;
  /** Reported on or after this day (YYYY-MM-DD, UTC). */
  from?: string | undefined;
  /** Reported on or before this day (YYYY-MM-DD, UTC). */
  to?: string | undefined;
}

/** The filters as SQL conditions on the case alias `c`. */
export function filterConditions(f: CaseFilters) {
  const out = [];
  if (f.status) out.push(sql<boolean>`c.status = ${f.status}`);
  if (f.type) out.push(sql<boolean>`c.op_type = ${f.type}`);
  if (f.iccs) out.push(sql<boolean>`c.iccs = ${f.iccs}`);
  if (f.country) out.push(sql<boolean>`c.country = ${f.country}`);
  if (f.region) out.push(sql<boolean>`lower(c.region) = lower(${f.region})`);
  if (f.from) out.push(sql<boolean>`c.reported_at >= ${`${f.from}T00:00:00Z`}::timestamptz`);
  if (f.to) out.push(sql<boolean>`c.reported_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  return out;
}

export const activeFilters = (f: CaseFilters) =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== ""));

export async function listCases(ctx: Ctx, input: CaseFilters & { limit: number }) {
  const { limit, ...filters } = input;
  return inTransaction(ctx, async (tx) => {
    let q = tx.db
      .selectFrom("cases as c")
      .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "c.id").on("t.user_id", "=", me(tx)))
      .selectAll("c")
      .select("t.case_role")
      .orderBy("c.reported_at", "desc")
      .limit(limit);
    for (const cond of filterConditions(filters)) q = q.where(cond);
    const rows = await q.execute();
    await audit(tx, {
      event: "cases.listed",
      purpose: "case work",
      details: { count: rows.length, filters: activeFilters(filters) },
    });
    return rows.map(({ case_role, ...c }) =>
      presentCase(c as Selectable<CasesTable>, case_role as CaseRole, tx.actor.roles),
    );
  });
}

export async function getCase(ctx: Ctx, id: string, purpose: string): Promise<CaseView> {
  return inTransaction(ctx, async (tx) => {
    const { c, role } = await caseWith(tx, id, "case.read");
    // The lead sees what others changed on the team members' accounts (four eyes, break-glass).
    const notices = mayOnCase(role, "case.team", tx.actor.roles)
      ? await teamSecurityNotices(tx, id)
      : undefined;
    await audit(tx, {
      event: "case.viewed",
      targetType: "case",
      targetId: id,
      purpose,
      ...(notices?.length ? { details: { securityNotices: notices.map((n) => n.id) } } : {}),
    });
    return presentCase(c, role, tx.actor.roles, notices);
  });
}

export async function transitionCase(
  ctx: Ctx,
  id: string,
  input: { to: CaseStatus; outcome?: Outcome | undefined; reason?: string | undefined },
): Promise<CaseView> {
  return inTransaction(ctx, async (tx) => {
    const { c, role } = await caseWith(tx, id, "case.transition", { forUpdate: true });
    const from = { status: c.status as CaseStatus, outcome: c.outcome as Outcome | null };
    const r = transition(from, input);
    if (!r.ok) throw AppError.field(`body.${r.error.path}`, r.error.message, "invalid_state");
    const row = await tx.db
      .updateTable("cases")
      .set({ status: r.state.status, outcome: r.state.outcome, updated_at: new Date() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "case.transitioned",
      targetType: "case",
      targetId: id,
      details: {
        from: from.status,
        to: r.state.status,
        outcome: r.state.outcome,
        reason: input.reason ?? null,
      },
    });
    return presentCase(row, role, tx.actor.roles);
  });
}

export async function listTeam(ctx: Ctx, id: string) {
  await caseWith(ctx, id, "case.read");
  const rows = await ctx.db
    .selectFrom("case_team as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.user_id", "u.username", "u.display_name", "t.case_role", "t.added_at"])
    .where("t.case_id", "=", id)
    .orderBy("t.added_at")
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    caseRole: r.case_role as CaseRole,
    addedAt: iso(r.added_at),
  }));
}

/** The lead puts a colleague on the team (or changes their per-case role). */
export async function setTeamMember(ctx: Ctx, id: string, userId: string, caseRole: CaseRole) {
  await inTransaction(ctx, async (tx) => {
    await caseWith(tx, id, "case.team", { forUpdate: true });
    if (userId === me(tx))
      throw AppError.field("params.userId", "the lead cannot change their own place on the team");
    const user = await tx.db
      .selectFrom("users")
      .select(["roles", "status"])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (user?.status !== "active") throw AppError.field("params.userId", "is not an active account");
    if (!permissionsOf(user.roles.filter(isRole)).has("cases.work")) {
      throw AppError.field("params.userId", "holds no role that works on cases");
    }
    await tx.db
      .insertInto("case_team")
      .values({ case_id: id, user_id: userId, case_role: caseRole, added_at: new Date(), added_by: me(tx) })
      .onConflict((oc) => oc.columns(["case_id", "user_id"]).doUpdateSet({ case_role: caseRole }))
      .execute();
    await audit(tx, {
      event: "case.team_changed",
      targetType: "case",
      targetId: id,
      details: { userId, caseRole },
    });
  });
  return listTeam(ctx, id);
}

export async function removeTeamMember(ctx: Ctx, id: string, userId: string) {
  await inTransaction(ctx, async (tx) => {
    await caseWith(tx, id, "case.team", { forUpdate: true });
    if (userId === me(tx)) throw AppError.field("params.userId", "the lead cannot remove themselves");
    const gone = await tx.db
      .deleteFrom("case_team")
      .where("case_id", "=", id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (gone.numDeletedRows === 0n) throw AppError.notFound("team member");
    await audit(tx, {
      event: "case.team_changed",
      targetType: "case",
      targetId: id,
      details: { userId, caseRole: null },
    });
  });
  return listTeam(ctx, id);
}
