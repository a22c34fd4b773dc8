/**
 * Exporting a case for investigative tools: the whole case as JSON, or as
 * FollowTheMoney entities (https://followthemoney.tech): an Event for the
 * incident, a Person per person, a BankAccount per IBAN and a CryptoWallet per
 * wallet (with their Ownership or holder), an Organization per organised group,
 * a Vehicle per vehicle, and a CourtCase with its CourtCaseParty per charge.
 * Attachments travel in the JSON export as metadata (name, size, SHA-256). Both carry the
 * verification of what they contain (JSON: `verification`; FollowTheMoney: a note on the Event):
 * whether the crisis log's chain holds and its first broken entry, and each attachment's hash.
 * Need-to-know applies; every export is audited.
 */
import { createHash } from "node:crypto";
import type { CaseView, PersonView } from "../../domain/cases.ts";
import type { CaseVerification } from "../../domain/integrity.ts";
import { alpha2Of } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { type CaseRecords, checkAttachments, readRecords } from "../case-records/index.ts";
import { getCase, listPersons, listTeam, readCrisisLog } from "../cases/index.ts";

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

/** FollowTheMoney speaks ISO 3166-1 alpha-2, in lower case. */
const country = (iso3: string) => (alpha2Of(iso3) ?? iso3).toLowerCase();

export function toFtm(c: CaseView, persons: PersonView[], records: CaseRecords, nodeId: string): FtmEntity[] {
  const eventId = ftmId(nodeId, c.id);
  const out: FtmEntity[] = [];
  const personIds: string[] = [];
  const personFtmId = (personId: string | null) => (personId ? ftmId(nodeId, c.id, personId) : undefined);
  const ownedBy = (ownerId: string | undefined, assetId: string) => {
    if (ownerId) {
      out.push({
        id: ftmId(nodeId, "owns", ownerId, assetId),
        schema: "Ownership",
        properties: compact({ owner: [ownerId], asset: [assetId] }),
      });
    }
  };
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
      ownedBy(id, accountId);
    }
  }
  const involved = [...personIds];
  for (const sel of records.selectors) {
    const owner = personFtmId(sel.personId);
    if (sel.kind === "iban") {
      const accountId = ftmId(nodeId, "iban", sel.value);
      out.push({
        id: accountId,
        schema: "BankAccount",
        properties: compact({ iban: [sel.value], accountNumber: [sel.value], notes: [sel.note] }),
      });
      ownedBy(owner, accountId);
      involved.push(accountId);
    } else if (sel.kind === "crypto_wallet") {
      const walletId = ftmId(nodeId, "wallet", sel.value);
      out.push({
        id: walletId,
        schema: "CryptoWallet",
        properties: compact({
          publicKey: [sel.value],
          currencySymbol: [sel.asset === "other" ? undefined : sel.asset?.replace("_", " ")],
          holder: [owner],
          notes: [sel.note],
        }),
      });
      involved.push(walletId);
    } else {
      // FollowTheMoney has no phone entity: a phone goes on its person, or on the event.
      const person = out.find((e) => e.id === owner);
      if (person) person.properties.phone = [...(person.properties.phone ?? []), sel.value];
    }
  }
  for (const g of records.groups) {
    const id = ftmId(nodeId, c.id, "group", g.id);
    out.push({
      id,
      schema: "Organization",
      properties: compact({
        name: [g.name],
        alias: g.aliases,
        country: g.countries.map(country),
        description: [g.description],
        notes: [`organised group in case ${c.reference}`],
      }),
    });
    involved.push(id);
  }
  for (const v of records.vehicles) {
    const id = ftmId(nodeId, c.id, "vehicle", v.id);
    out.push({
      id,
      schema: "Vehicle",
      properties: compact({
        name: [[v.colour, v.make, v.model].filter(Boolean).join(" ") || v.plate],
        registrationNumber: [v.plate],
        country: [v.plateCountry ? country(v.plateCountry) : undefined],
        model: [v.model],
        description: [v.description],
        notes: [`${v.use} in case ${c.reference}`],
      }),
    });
    involved.push(id);
  }
  for (const ch of records.charges) {
    const id = ftmId(nodeId, c.id, "charge", ch.id);
    out.push({
      id,
      schema: "CourtCase",
      properties: compact({
        name: [`${ch.offence} (${ch.legalProvision})`],
        caseNumber: [ch.courtCaseNumber],
        court: [ch.court],
        status: [[ch.stage, ch.verdict].filter(Boolean).join(": ")],
        closeDate: [ch.verdictDate],
        notes: [`charge in case ${c.reference}`],
      }),
    });
    const party = personFtmId(ch.personId);
    if (party) {
      out.push({
        id: ftmId(nodeId, "party", id, party),
        schema: "CourtCaseParty",
        properties: compact({ party: [party], case: [id], role: ["defendant"] }),
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
      involved,
      sourceUrl: [],
    }),
  });
  return out;
}

/** Each attachment of the case against its SHA-256 and size. */
async function verifyAttachments(ctx: Ctx, caseId: string): Promise<CaseVerification["attachments"]> {
  const { count, broken } = await checkAttachments(ctx, { caseId });
  return {
    ok: broken.length === 0,
    count,
    broken: broken.map(({ attachment, reason }) => ({ attachment, reason })),
  };
}

/** One line for an FTM entity's notes: what the export's verification found. */
function verificationNote(v: CaseVerification): string {
  const log = v.crisisLog
    ? v.crisisLog.ok
      ? `crisis log verifies (${v.crisisLog.entries} entries)`
      : `CRISIS LOG BROKEN at entry ${v.crisisLog.firstBroken?.seq}: ${v.crisisLog.firstBroken?.reason}`
    : null;
  const att = v.attachments.ok
    ? `attachments verify (${v.attachments.count})`
    : `ATTACHMENTS BROKEN: ${v.attachments.broken.map((b) => `${b.attachment}: ${b.reason}`).join("; ")}`;
  return `verified ${v.verifiedAt}: ${[log, att].filter(Boolean).join("; ")}`;
}

export async function exportCase(ctx: Ctx, id: string, format: "json" | "ftm", purpose: string) {
  return inTransaction(ctx, async (tx) => {
    // The team's account notices are for the lead's page, not for a file that leaves the node.
    const { securityNotices: _notices, ...c } = await getCase(tx, id, purpose);
    const persons = await listPersons(tx, id, purpose);
    const team = await listTeam(tx, id);
    const records = await readRecords(tx, id, purpose);
    // The crisis log travels only with a crisis-team member's export.
    const log = c.abilities.includes("crisis_log.read") ? await readCrisisLog(tx, id, purpose) : null;
    const crisisLog = log ? log.entries : null;
    // What the export carries, checked as it is read: the crisis log's chain and head, each attachment's hash.
    const verification: CaseVerification = {
      verifiedAt: new Date().toISOString(),
      crisisLog: log ? { ok: log.verified, entries: log.entries.length, firstBroken: log.firstBroken } : null,
      attachments: await verifyAttachments(tx, id),
    };
    await audit(tx, {
      event: "case.exported",
      targetType: "case",
      targetId: id,
      purpose,
      details: {
        format,
        // null: the crisis log was not in the export (not checked), and the attachments verify.
        verified:
          verification.attachments.ok === false
            ? false
            : verification.crisisLog === null
              ? null
              : verification.crisisLog.ok,
      },
    });
    if (format === "ftm") {
      const entities = toFtm(c, persons, records, tx.config.nodeId);
      const event = entities[0];
      if (event) event.properties.notes = [...(event.properties.notes ?? []), verificationNote(verification)];
      return entities;
    }
    return {
      exportedAt: new Date().toISOString(),
      node: tx.config.nodeId,
      case: c,
      team,
      persons,
      ...records,
      crisisLog,
      verification,
    };
  });
}
