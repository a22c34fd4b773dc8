import { type Selectable, sql } from "kysely";
import { normalisePlate } from "../../domain/case-records.ts";
import type { CaseRole, CaseView } from "../../domain/cases.ts";
import { searchForm } from "../../domain/names.ts";
import { normaliseIban, normalisePhone, normaliseWallet } from "../../domain/selectors.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { containsPattern } from "../../platform/db/index.ts";
import type { CasesTable } from "../../platform/db/schema.ts";
import { me } from "./access.ts";
import { activeFilters, type CaseFilters, filterConditions } from "./cases.ts";
import { presentCase } from "./presenters.ts";
export type MatchedOn = "reference" | "person" | "phone" | "iban" | "wallet" | "plate";

export interface SearchHit {
  case: CaseView;
  matchedOn: MatchedOn;
  person: string | null;
  score: number;
}

/** What the query text can be read as: a selector (exact, after normalisation) or free text. */
function readQuery(q: string): { kind: "phone" | "iban" | "wallet"; value: string } | null {
  const phone = normalisePhone(q);
  if (phone.ok) return { kind: "phone", value: phone.value };
  const iban = normaliseIban(q);
  if (iban.ok) return { kind: "iban", value: iban.value };
  for (const asset of ["BTC", "ETH"]) {
    const w = normaliseWallet(asset, q);
    if (w.ok) return { kind: "wallet", value: w.value };
  }
  return null;
}

/**
 * Search the caller's cases by reference, a person's name (any script, typos
 * tolerated: trigram similarity on the transliterated form), a vehicle plate,
 * or a selector — phone, IBAN, crypto wallet — exactly after normalisation,
 * on persons and on the case's own selectors; narrowed by the case filters.
 * Only cases whose team the caller is on.
 */
export async function searchCases(
  ctx: Ctx,
  input: CaseFilters & { q: string; limit: number },
): Promise<SearchHit[]> {
  const { q: raw, limit, ...filters } = input;
  const q = raw.trim();
  const selector = readQuery(q);
  const form = searchForm(q);
  const plate = normalisePlate(q);
  return inTransaction(ctx, async (tx) => {
    // A correlated EXISTS, so that the planner starts from the selective index (phone, name,
    // reference) and probes the team's primary key, however many cases the caller is on.
    const userId = me(tx);
    const conditions = filterConditions(filters);
    const visible = (caseColumn: string) =>
      conditions.length === 0
        ? sql<boolean>`EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = ${sql.ref(caseColumn)} AND t.user_id = ${userId})`
        : sql<boolean>`EXISTS (SELECT 1 FROM case_team t JOIN cases c ON c.id = t.case_id
            WHERE t.case_id = ${sql.ref(caseColumn)} AND t.user_id = ${userId} AND ${sql.join(conditions, sql` AND `)})`;
    const label = (m: MatchedOn) => sql<MatchedOn>`${m}::text`.as("matched_on");
    const exact = sql<number>`1.0::float8`.as("score");
    type Hit = { case_id: string; matched_on: MatchedOn; person: string | null; score: number };
    let hits: Hit[];
    if (selector) {
      const onCase = tx.db
        .selectFrom("case_selectors")
        .select(["case_id", sql<string | null>`NULL::text`.as("person"), label(selector.kind), exact])
        .where("value", "=", selector.value)
        .where("kind", "=", selector.kind === "wallet" ? "crypto_wallet" : selector.kind)
        .where(visible("case_selectors.case_id"))
        .limit(limit)
        .execute();
      const column = selector.kind === "phone" ? "phones" : "ibans";
      const onPersons =
        selector.kind === "wallet"
          ? Promise.resolve([])
          : tx.db
              .selectFrom("case_persons")
              .select(["case_id", "display_name as person", label(selector.kind), exact])
              .where(sql<boolean>`${sql.ref(column)} @> ARRAY[${selector.value}]::text[]`)
              .where(visible("case_persons.case_id"))
              .limit(limit)
              .execute();
      hits = [...(await onPersons), ...(await onCase)];
    } else {
      const byReference = await tx.db
        .selectFrom("cases")
        .select(["id as case_id", sql<string | null>`NULL::text`.as("person"), label("reference"), exact])
        .where("reference", "ilike", containsPattern(q))
        .where(visible("cases.id"))
        .limit(limit)
        .execute();
      const byPlate =
        plate.length >= 3
          ? await tx.db
              .selectFrom("case_vehicles")
              .select(["case_id", sql<string | null>`NULL::text`.as("person"), label("plate"), exact])
              .where("plate_normalised", "=", plate)
              .where(visible("case_vehicles.case_id"))
              .limit(limit)
              .execute()
          : [];
      const byName = form
        ? await tx.db
            .selectFrom("case_persons")
            .select(["case_id", "display_name as person", label("person")])
            .select(sql<number>`word_similarity(${form}, search_text)::float8`.as("score"))
            .where(sql<boolean>`${form} <% search_text`)
            .where(visible("case_persons.case_id"))
            .orderBy("score", "desc")
            .limit(limit)
            .execute()
        : [];
      hits = [...byReference, ...byPlate, ...byName];
    }
    const ids = [...new Set(hits.map((h) => h.case_id))];
    const rows = ids.length
      ? await tx.db
          .selectFrom("cases as c")
          .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "c.id").on("t.user_id", "=", userId))
          .selectAll("c")
          .select("t.case_role")
          .where("c.id", "in", ids)
          .execute()
      : [];
    const byId = new Map(
      rows.map(({ case_role, ...c }) => [
        c.id,
        presentCase(c as Selectable<CasesTable>, case_role as CaseRole, ctx.actor.roles),
      ]),
    );
    await audit(tx, {
      event: "cases.searched",
      purpose: "case work",
      details: { hits: hits.length, filters: activeFilters(filters) },
    });
    return hits
      .flatMap((h) => {
        const c = byId.get(h.case_id);
        return c ? [{ case: c, matchedOn: h.matched_on, person: h.person, score: Number(h.score) }] : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  });
}
