/** The items of a case as matching sees them (persons to encode, selectors to normalise), and the pair's matching secret. */
import type { Selectable } from "kysely";
import {
  type AskableItem,
  type HitItemType,
  type HitSelectorType,
  personQueryRefusal,
} from "../../domain/hits.ts";
import { importPublicJwk } from "../../engines/federation/keys.ts";
import { pairwiseMatchingSecret } from "../../engines/matching/keys.ts";
import type { SelectorInput } from "../../engines/matching/normalise.ts";
import type { PersonRecord } from "../../engines/matching/person.ts";
import type { Ctx } from "../../platform/context.ts";
import type { PeersTable } from "../../platform/db/schema.ts";
import { nodeKeys } from "../../platform/exchange/peers.ts";
import { iso } from "../../platform/time.ts";

export interface Item extends AskableItem {
  caseId: string;
  recordType: "person" | "selector" | "vehicle";
  recordId: string;
  selector?: SelectorInput;
  person?: PersonRecord;
}

const SELECTOR_OF_KIND: Record<string, HitSelectorType> = {
  phone: "phone",
  iban: "iban",
  crypto_wallet: "wallet",
};

/** The items of one case (or, for the answering index, of every case), with their keys. */
export async function itemsOf(ctx: Ctx, caseId: string | null): Promise<Item[]> {
  let persons = ctx.db
    .selectFrom("case_persons")
    .select([
      "id",
      "case_id",
      "role",
      "display_name",
      "names",
      "date_of_birth",
      "sex",
      "phones",
      "ibans",
      "documents",
    ]);
  let selectors = ctx.db.selectFrom("case_selectors").select(["id", "case_id", "kind", "value", "asset"]);
  let vehicles = ctx.db
    .selectFrom("case_vehicles")
    .select(["id", "case_id", "plate", "plate_country"])
    .where("plate", "is not", null);
  if (caseId) {
    persons = persons.where("case_id", "=", caseId);
    selectors = selectors.where("case_id", "=", caseId);
    vehicles = vehicles.where("case_id", "=", caseId);
  }
  const items: Item[] = [];
  for (const p of await persons.orderBy("created_at").execute()) {
    const given = p.names.flatMap((n) => (n.given ? [n.given] : []));
    const family = p.names.flatMap((n) => (n.family ? [n.family] : []));
    const dob = p.date_of_birth ? iso(p.date_of_birth).slice(0, 10) : null;
    const base = { caseId: p.case_id, recordType: "person" as const, recordId: p.id, role: p.role };
    items.push({
      ...base,
      key: `person:${p.id}`,
      type: "person",
      label: dob ? `${p.display_name} (${dob})` : p.display_name,
      refusal: personQueryRefusal({ given, family, dateOfBirth: dob }),
      person: {
        given: given.join(" "),
        surname: family.join(" "),
        dob: dob ?? undefined,
        sex: p.sex === "female" ? "f" : p.sex === "male" ? "m" : undefined,
      },
    });
    const own = (kind: string, i: number, type: HitItemType, shown: string, selector: SelectorInput) =>
      items.push({
        ...base,
        key: `person:${p.id}:${kind}:${i}`,
        type,
        label: `${p.display_name}: ${shown}`,
        refusal: null,
        selector,
      });
    for (const [i, value] of p.phones.entries()) own("phone", i, "phone", value, { type: "phone", value });
    for (const [i, value] of p.ibans.entries()) own("iban", i, "iban", value, { type: "iban", value });
    for (const [i, d] of p.documents.entries()) {
      own("document", i, "document", `${d.type} ${d.country} ${d.number}`, {
        type: "document",
        documentType: d.type,
        country: d.country,
        value: d.number,
      });
    }
  }
  for (const s of await selectors.orderBy("created_at").execute()) {
    const type = SELECTOR_OF_KIND[s.kind];
    if (!type) continue;
    items.push({
      caseId: s.case_id,
      recordType: "selector",
      role: null,
      recordId: s.id,
      key: `selector:${s.id}`,
      type,
      label: s.asset ? `${s.asset} ${s.value}` : s.value,
      refusal: null,
      selector:
        type === "wallet"
          ? { type, value: s.value, ...(s.asset && s.asset !== "other" ? { asset: s.asset } : {}) }
          : ({ type, value: s.value } as SelectorInput),
    });
  }
  for (const v of await vehicles.orderBy("created_at").execute()) {
    if (!v.plate || !v.plate_country) continue;
    items.push({
      caseId: v.case_id,
      recordType: "vehicle",
      role: null,
      recordId: v.id,
      key: `vehicle:${v.id}`,
      type: "plate",
      label: `${v.plate_country} ${v.plate}`,
      refusal: null,
      selector: { type: "plate", country: v.plate_country, value: v.plate },
    });
  }
  return items;
}

/** What the case's team may ask about (no labels leave the node). */
export async function matchingSecret(ctx: Ctx, peer: Selectable<PeersTable>): Promise<Buffer> {
  const mine = await nodeKeys(ctx);
  return pairwiseMatchingSecret(
    mine.encryption.privateKey,
    importPublicJwk(peer.encryption_jwk as never, "X25519"),
    {
      ownNodeId: ctx.config.nodeId,
      peerNodeId: peer.node_id,
      // A new encryption key on either side gives a new secret: pseudonyms rotate with the keys.
      label: [mine.encryption.kid, peer.encryption_kid].sort().join("|"),
    },
  );
}

export const toB64 = (filter: Uint32Array) =>
  Buffer.from(filter.buffer, filter.byteOffset, filter.byteLength).toString("base64url");
export const fromB64 = (text: string) => {
  const b = Buffer.from(text, "base64url");
  const out = new Uint32Array(b.length / 4);
  Buffer.from(out.buffer).set(b);
  return out;
};

/** Ask peers about items of a case: a `hit-query` per peer, carrying pseudonyms and encodings only. */
