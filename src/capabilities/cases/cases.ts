/**
 * Kidnapping cases (issue 3): opening a case (its class derived from its recorded
 * elements), need-to-know through the case team, the lifecycle, and the crisis
 * log. A case a user is not on the team of does not exist for them (404).
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { type Selectable, sql } from "kysely";
import type { z } from "zod";
import { type CaseStatus, type Outcome, transition } from "../../domain/case-lifecycle.ts";
import { normalisePlate } from "../../domain/case-records.ts";
import type {
  CaseRole,
  CaseView,
  CreateCaseInput,
  crisisLogContentSchema,
  PersonInput,
  PersonView,
} from "../../domain/cases.ts";
import { classify } from "../../domain/definition.ts";
import { AppError } from "../../domain/errors.ts";
import { searchForm } from "../../domain/names.ts";
import { isRole, permissionsOf } from "../../domain/roles.ts";
import { normaliseIban, normalisePhone, normaliseWallet } from "../../domain/selectors.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { containsPattern } from "../../platform/db/index.ts";
import type { CasesTable, CrisisLogTable } from "../../platform/db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { caseWith, holds, me } from "./access.ts";
import { presentCase, presentCrisisEntry as presentEntry } from "./presenters.ts";

const iso = (d: Date | string) => new Date(d).toISOString();

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
    return presentCase(row, "lead");
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
function filterConditions(f: CaseFilters) {
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

const activeFilters = (f: CaseFilters) =>
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
    return rows.map(({ case_role, ...c }) => presentCase(c as Selectable<CasesTable>, case_role as CaseRole));
  });
}

export async function getCase(ctx: Ctx, id: string, purpose: string): Promise<CaseView> {
  return inTransaction(ctx, async (tx) => {
    const { c, role } = await caseWith(tx, id, "case.read");
    await audit(tx, { event: "case.viewed", targetType: "case", targetId: id, purpose });
    return presentCase(c, role);
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
    return presentCase(row, role);
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

// ---- People of a case ------------------------------------------------------------------------

function displayNameOf(p: PersonInput): string {
  const n = p.names[0];
  return [n?.given, n?.family]
    .filter((x) => x?.trim())
    .join(" ")
    .trim();
}

const personColumns = [
  "id",
  "role",
  "display_name",
  "names",
  "age_min",
  "age_max",
  "sex",
  "nationalities",
  "documents",
  "phones",
  "ibans",
  "addresses",
  "created_at",
] as const;

async function selectPersons(ctx: Ctx, caseId: string, id?: string): Promise<PersonView[]> {
  let q = ctx.db
    .selectFrom("case_persons")
    .select(personColumns)
    // A date column read as text: no time zone can shift a date of birth.
    .select(sql<string | null>`date_of_birth::text`.as("dob"))
    .where("case_id", "=", caseId)
    .orderBy("created_at");
  if (id) q = q.where("id", "=", id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as PersonView["role"],
    displayName: r.display_name,
    names: r.names as PersonView["names"],
    dateOfBirth: r.dob,
    ageRange: r.age_min !== null && r.age_max !== null ? { min: r.age_min, max: r.age_max } : null,
    sex: r.sex,
    nationalities: r.nationalities,
    documents: r.documents,
    phones: r.phones,
    ibans: r.ibans,
    addresses: r.addresses,
    createdAt: iso(r.created_at),
  }));
}

/** Any member of the team records a person; phones and IBANs are normalised or refused with the field. */
export async function addPerson(ctx: Ctx, caseId: string, input: PersonInput): Promise<PersonView> {
  const phones = input.phones.map((p, i) => {
    const n = normalisePhone(p.number, p.region);
    if (!n.ok) throw AppError.field(`body.phones.${i}.number`, n.message);
    return n.value;
  });
  const ibans = input.ibans.map((raw, i) => {
    const n = normaliseIban(raw);
    if (!n.ok) throw AppError.field(`body.ibans.${i}`, n.message);
    return n.value;
  });
  if (input.dateOfBirth && new Date(`${input.dateOfBirth}T00:00:00Z`) > new Date()) {
    throw AppError.field("body.dateOfBirth", "must not be in the future");
  }
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.records");
    const id = newId();
    await tx.db
      .insertInto("case_persons")
      .values({
        id,
        case_id: caseId,
        role: input.role,
        display_name: displayNameOf(input),
        names: JSON.stringify(input.names),
        search_text: input.names
          .map((n) => searchForm([n.given, n.family].filter(Boolean).join(" ")))
          .join(" | "),
        date_of_birth: input.dateOfBirth ?? null,
        age_min: input.ageRange?.min ?? null,
        age_max: input.ageRange?.max ?? null,
        sex: input.sex,
        nationalities: [...new Set(input.nationalities)],
        documents: JSON.stringify(input.documents),
        phones: [...new Set(phones)],
        ibans: [...new Set(ibans)],
        addresses: JSON.stringify(input.addresses),
        created_at: new Date(),
        created_by: tx.actor.userId,
      })
      .execute();
    await audit(tx, {
      event: "person.added",
      targetType: "case",
      targetId: caseId,
      details: { personId: id, role: input.role },
    });
    const [person] = await selectPersons(tx, caseId, id);
    if (!person) throw new Error("person vanished");
    return person;
  });
}

export async function listPersons(ctx: Ctx, caseId: string, purpose: string): Promise<PersonView[]> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.read");
    const persons = await selectPersons(tx, caseId);
    await audit(tx, {
      event: "persons.viewed",
      targetType: "case",
      targetId: caseId,
      purpose,
      details: { count: persons.length },
    });
    return persons;
  });
}

// ---- The crisis log ---------------------------------------------------------------------------

type Content = z.output<typeof crisisLogContentSchema>;

/** hash(n) = SHA-256(hash(n-1) ‖ int4(seq) ‖ UTF-8(JCS(entry))), chained per case. */
export function crisisEntryHash(
  prev: Uint8Array,
  e: {
    seq: number;
    caseId: string;
    occurredAt: string;
    recordedAt: string;
    authorId: string;
    content: unknown;
    corrects: number | null;
  },
): Buffer {
  const seq = Buffer.alloc(4);
  seq.writeInt32BE(e.seq);
  const { seq: _s, ...rest } = e;
  const text = canonicalize(rest) ?? "";
  return createHash("sha256").update(prev).update(seq).update(text, "utf8").digest();
}

export async function appendCrisisLog(
  ctx: Ctx,
  id: string,
  input: { occurredAt?: string | undefined; entry: Content; corrects?: number | undefined },
) {
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, id, "crisis_log.write", { forUpdate: true });
    if (input.corrects !== undefined) {
      const target = await tx.db
        .selectFrom("crisis_log")
        .select("id")
        .where("id", "=", input.corrects)
        .where("case_id", "=", id)
        .executeTakeFirst();
      if (!target) throw AppError.field("body.corrects", "is not an entry of this case's crisis log");
    }
    const recordedAt = new Date();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : recordedAt;
    if (occurredAt.getTime() > recordedAt.getTime() + 60_000)
      throw AppError.field("body.occurredAt", "must not be in the future");
    const seq = c.log_seq + 1;
    const fields = {
      caseId: id,
      occurredAt: occurredAt.toISOString(),
      recordedAt: recordedAt.toISOString(),
      authorId: me(tx),
      content: input.entry,
      corrects: input.corrects ?? null,
    };
    const prev = Buffer.from(c.log_hash);
    const hash = crisisEntryHash(prev, { seq, ...fields });
    const row = await tx.db
      .insertInto("crisis_log")
      .values({
        case_id: id,
        seq,
        kind: input.entry.kind,
        occurred_at: occurredAt,
        recorded_at: recordedAt,
        author_id: fields.authorId,
        author_label: tx.actor.label,
        content: JSON.stringify(input.entry),
        corrects_id: fields.corrects,
        prev_hash: prev,
        hash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db
      .updateTable("cases")
      .set({ log_seq: seq, log_hash: hash, updated_at: recordedAt })
      .where("id", "=", id)
      .execute();
    await audit(tx, {
      event: "crisis_log.appended",
      targetType: "case",
      targetId: id,
      details: { seq, kind: input.entry.kind },
    });
    return presentEntry(row);
  });
}

/** May the caller follow this case's crisis log live? Throws 404 otherwise; the opening is audited. */
export async function openCrisisStream(ctx: Ctx, id: string, purpose: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await caseWith(tx, id, "crisis_log.read");
    await audit(tx, {
      event: "crisis_log.viewed",
      targetType: "case",
      targetId: id,
      purpose,
      details: { live: true },
    });
  });
}

/** Entries recorded after the one a reconnecting live stream saw last (SSE `Last-Event-ID`). */
export async function crisisEntriesAfter(ctx: Ctx, id: string, afterId: number) {
  await caseWith(ctx, id, "crisis_log.read");
  const rows = await ctx.db
    .selectFrom("crisis_log")
    .selectAll()
    .where("case_id", "=", id)
    .where("id", ">", afterId)
    .orderBy("seq")
    .limit(1000)
    .execute();
  return rows.map(presentEntry);
}

/** May the user still follow the case's crisis log? Checked before each live delivery. */
export async function onCrisisTeam(ctx: Ctx, id: string): Promise<boolean> {
  return holds(ctx, id, "crisis_log.read");
}

export async function readCrisisLog(ctx: Ctx, id: string, purpose: string) {
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, id, "crisis_log.read");
    const rows = await tx.db
      .selectFrom("crisis_log")
      .selectAll()
      .where("case_id", "=", id)
      .orderBy("seq")
      .execute();
    await audit(tx, {
      event: "crisis_log.viewed",
      targetType: "case",
      targetId: id,
      purpose,
      details: { entries: rows.length },
    });
    return { entries: rows.map(presentEntry), verified: verifyCrisisRows(c, rows) };
  });
}

/** Recompute a case's crisis-log chain: true when no entry was edited, inserted or deleted. */
export function verifyCrisisRows(c: Selectable<CasesTable>, rows: Selectable<CrisisLogTable>[]): boolean {
  let prev: Buffer = Buffer.alloc(32);
  for (const [i, r] of rows.entries()) {
    if (r.seq !== i + 1 || !Buffer.from(r.prev_hash).equals(prev)) return false;
    const h = crisisEntryHash(prev, {
      seq: r.seq,
      caseId: r.case_id,
      occurredAt: iso(r.occurred_at),
      recordedAt: iso(r.recorded_at),
      authorId: r.author_id,
      content: r.content,
      corrects: r.corrects_id,
    });
    if (!h.equals(Buffer.from(r.hash))) return false;
    prev = h;
  }
  return rows.length === c.log_seq && prev.equals(Buffer.from(c.log_hash));
}

// ---- Search ------------------------------------------------------------------------------------

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
        presentCase(c as Selectable<CasesTable>, case_role as CaseRole),
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
