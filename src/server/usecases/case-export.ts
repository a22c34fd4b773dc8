/**
 * Exporting a case for investigative tools: the whole case as JSON, or as
 * FollowTheMoney entities (https://followthemoney.tech): an Event for the
 * incident, a Person per person, a BankAccount per IBAN with its Ownership.
 * Need-to-know applies; every export is audited.
 */
import { createHash } from "node:crypto";
import type { CaseView, PersonView } from "../../domain/cases.ts";
import { audit } from "../audit/index.ts";
import { type Ctx, inTransaction } from "../context.ts";
import { getCase, listPersons, listTeam, readCrisisLog } from "./cases.ts";

export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

const ftmId = (...parts: string[]) => createHash("sha1").update(parts.join(":")).digest("hex");
const compact = (p: Record<string, (string | null | undefined)[]>) =>
  Object.fromEntries(
    Object.entries(p)
      .map(([k, v]) => [k, v.filter((x): x is string => typeof x === "string" && x.length > 0)] as const)
      .filter(([, v]) => v.length > 0),
  );

const ISO3_TO_2: Record<string, string> = {
  COL: "co",
  MEX: "mx",
  ESP: "es",
  LBN: "lb",
  USA: "us",
  VEN: "ve",
  ECU: "ec",
  PER: "pe",
};
const country = (iso3: string) => ISO3_TO_2[iso3] ?? iso3.toLowerCase();

export function toFtm(c: CaseView, persons: PersonView[], nodeId: string): FtmEntity[] {
  const eventId = ftmId(nodeId, c.id);
  const out: FtmEntity[] = [];
  const personIds: string[] = [];
  for (const p of persons) {
    const id = ftmId(nodeId, c.id, p.id);
    personIds.push(id);
    const names = p.names.map((n) => [n.given, n.family].filter(Boolean).join(" "));
    out.push({
      id,
      schema: "Person",
      properties: compact({
        name: [names[0]],
        alias: names.slice(1),
        firstName: p.names.map((n) => n.given),
        lastName: p.names.map((n) => n.family),
        birthDate: [p.dateOfBirth],
        gender: [p.sex === "female" || p.sex === "male" ? p.sex : undefined],
        nationality: p.nationalities.map(country),
        phone: p.phones,
        passportNumber: p.documents.filter((d) => d.type === "passport").map((d) => d.number),
        idNumber: p.documents.filter((d) => d.type !== "passport").map((d) => d.number),
        notes: [`${p.role} in case ${c.reference}`],
      }),
    });
    for (const iban of p.ibans) {
      const accountId = ftmId(nodeId, "iban", iban);
      out.push({
        id: accountId,
        schema: "BankAccount",
        properties: compact({ iban: [iban], accountNumber: [iban] }),
      });
      out.push({
        id: ftmId(nodeId, "owns", id, accountId),
        schema: "Ownership",
        properties: compact({ owner: [id], asset: [accountId] }),
      });
    }
  }
  out.unshift({
    id: eventId,
    schema: "Event",
    properties: compact({
      name: [`${c.reference}: ${c.title}`],
      date: [c.occurredAt ?? c.reportedAt],
      country: [country(c.place.country)],
      location: [c.place.region],
      summary: [
        `ICCS ${c.classification.iccs ?? "none"}, type ${c.classification.type}; status ${c.status}${c.outcome ? `, outcome ${c.outcome}` : ""}`,
      ],
      involved: personIds,
      sourceUrl: [],
    }),
  });
  return out;
}

export async function exportCase(ctx: Ctx, id: string, format: "json" | "ftm", purpose: string) {
  return inTransaction(ctx, async (tx) => {
    const c = await getCase(tx, id, purpose);
    const persons = await listPersons(tx, id, purpose);
    const team = await listTeam(tx, id);
    // The crisis log travels only with a crisis-team member's export.
    const crisisLog = c.myRole === "member" ? null : (await readCrisisLog(tx, id, purpose)).entries;
    await audit(tx, {
      event: "case.exported",
      targetType: "case",
      targetId: id,
      purpose,
      details: { format },
    });
    if (format === "ftm") return toFtm(c, persons, tx.config.nodeId);
    return {
      exportedAt: new Date().toISOString(),
      node: tx.config.nodeId,
      case: c,
      team,
      persons,
      crisisLog,
    };
  });
}
