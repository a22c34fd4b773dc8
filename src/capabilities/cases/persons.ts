import { sql } from "kysely";
import type { PersonInput, PersonView } from "../../domain/cases.ts";
import { AppError } from "../../domain/errors.ts";
import { searchForm } from "../../domain/names.ts";
import { normaliseIban, normalisePhone } from "../../domain/selectors.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { newId } from "../../platform/ids.ts";
import { iso } from "../../platform/time.ts";
import { caseWith } from "./access.ts";

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
