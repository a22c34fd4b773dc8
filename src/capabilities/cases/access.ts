/**
 * Need-to-know on a case, in one place: a case exists for a user only through its team, and
 * what they may do on it is the case-role table's (src/domain/case-roles.ts). Every use case
 * of a case, its records, its messages and its hits asks here; a refusal is always a 404.
 */
import { type Selectable, sql } from "kysely";
import { ABILITY_OBJECT, type CaseAbility, mayOnCase, rolesWith } from "../../domain/case-roles.ts";
import type { CaseRole } from "../../domain/cases.ts";
import { AppError } from "../../domain/errors.ts";
import type { Ctx } from "../../platform/context.ts";
import type { CasesTable } from "../../platform/db/schema.ts";

/** The signed-in user's id (the system actor has none and works on no case). */
export function me(ctx: Ctx): string {
  if (!ctx.actor.userId) throw new AppError("unauthenticated", "Sign in first.");
  return ctx.actor.userId;
}

/** The case, if the caller is on its team — otherwise it does not exist for them. Locks it with `forUpdate`. */
export async function caseForMember(ctx: Ctx, caseId: string, opts: { forUpdate?: boolean } = {}) {
  let q = ctx.db
    .selectFrom("cases as c")
    .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "c.id").on("t.user_id", "=", me(ctx)))
    .selectAll("c")
    .select("t.case_role")
    .where("c.id", "=", caseId);
  if (opts.forUpdate) q = q.forUpdate("c");
  const row = await q.executeTakeFirst();
  if (!row) throw AppError.notFound("case");
  const { case_role, ...c } = row;
  return { c: c as Selectable<CasesTable>, role: case_role as CaseRole };
}

/**
 * The case, if the caller's role on its team holds the ability; otherwise what they
 * asked for does not exist for them (404, naming the thing: "No such crisis log.").
 */
export async function caseWith(
  ctx: Ctx,
  caseId: string,
  ability: CaseAbility,
  opts: { forUpdate?: boolean } = {},
) {
  const found = await caseForMember(ctx, caseId, opts);
  if (!mayOnCase(found.role, ability, ctx.actor.roles)) throw AppError.notFound(ABILITY_OBJECT[ability]);
  return found;
}

/** Does the caller hold the ability on the case? (For checks that must not throw, e.g. before a live delivery.) */
export async function holds(ctx: Ctx, caseId: string, ability: CaseAbility): Promise<boolean> {
  if (!ctx.actor.userId) return false;
  const row = await ctx.db
    .selectFrom("case_team")
    .select("case_role")
    .where("case_id", "=", caseId)
    .where("user_id", "=", ctx.actor.userId)
    .executeTakeFirst();
  return row !== undefined && mayOnCase(row.case_role as CaseRole, ability, ctx.actor.roles);
}

/** Of these cases, the ones on which the caller holds the ability: one query for the whole list. */
export async function casesWith(
  ctx: Ctx,
  caseIds: readonly string[],
  ability: CaseAbility,
): Promise<Set<string>> {
  const ids = [...new Set(caseIds)];
  if (ids.length === 0 || !ctx.actor.userId) return new Set();
  const rows = await ctx.db
    .selectFrom("case_team")
    .select("case_id")
    .where("user_id", "=", ctx.actor.userId)
    .where(sql<boolean>`case_id = ANY(${ids}::uuid[])`)
    .where("case_role", "in", rolesWith(ability, ctx.actor.roles))
    .execute();
  return new Set(rows.map((r) => r.case_id));
}
