/**
 * Cross-border hit/no-hit (issue 5), on top of the matching engine
 * (src/engines/matching) and the federation's messages.
 *
 * Asking: a member of a case's team chooses items of the case (persons, phones,
 * accounts, wallets, documents, plates) and peers; for each peer the node turns
 * the items into pseudonyms and Bloom-filter encodings under the pair's
 * matching secret and sends a `hit-query` (nothing else leaves the node).
 * Answering: on arrival, in the transaction that stores the query, the node
 * looks the pseudonyms and encodings up in an index of its own records built
 * under the same secret, opens a follow-up per hit and replies `hit-reply`:
 * per item, no-hit or hits as follow-up references and scores. A member of the
 * matched case's team then approves (disclosing what they choose) or refuses;
 * the decision travels as `hit-disclosure`.
 */
import { type Selectable, sql } from "kysely";
import { uuidv7 } from "uuidv7";
import type { z } from "zod";
import { ABILITY_OBJECT, type CaseRole, mayOnCase } from "../../domain/case-roles.ts";
import { AppError } from "../../domain/errors.ts";
import {
  type AskableItem,
  type CreateHitQueryInput,
  type FollowupView,
  type HIT_MESSAGE_TYPES,
  type HitItemType,
  type HitQueryView,
  type HitSelectorType,
  MAX_HIT_PERSONS,
  personQueryRefusal,
} from "../../domain/hits.ts";
import { importPublicJwk } from "../../engines/federation/keys.ts";
import { BlockIndex } from "../../engines/matching/blocking.ts";
import { ClkEncoder } from "../../engines/matching/clk.ts";
import { dice } from "../../engines/matching/dice.ts";
import { PseudonymIndex, Pseudonymiser, pairwiseMatchingSecret } from "../../engines/matching/keys.ts";
import { normaliseSelector, type SelectorInput } from "../../engines/matching/normalise.ts";
import type { PersonRecord } from "../../engines/matching/person.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { HitFollowupsTable, PeersTable } from "../../platform/db/schema.ts";
import { queueMessages } from "../../platform/exchange/outbox.ts";
import { nodeKeys } from "../../platform/exchange/peers.ts";
import type { Arrival } from "../../platform/exchange/registry.ts";
import { caseWith, me } from "../cases/index.ts";

const iso = (d: Date | string) => new Date(d).toISOString();

/** An item of a case as matching sees it: a selector to normalise, or a person to encode. */
interface Item extends AskableItem {
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
async function itemsOf(ctx: Ctx, caseId: string | null): Promise<Item[]> {
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
export async function askableItems(ctx: Ctx, caseId: string): Promise<AskableItem[]> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "hits.ask");
    return (await itemsOf(tx, caseId)).map(({ key, type, label, role, refusal }) => ({
      key,
      type,
      label,
      role,
      refusal,
    }));
  });
}

/** The pair's matching secret: X25519 of this node's key and the peer's, HKDF with the matching context. */
async function matchingSecret(ctx: Ctx, peer: Selectable<PeersTable>): Promise<Buffer> {
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

const toB64 = (filter: Uint32Array) =>
  Buffer.from(filter.buffer, filter.byteOffset, filter.byteLength).toString("base64url");
const fromB64 = (text: string) => {
  const b = Buffer.from(text, "base64url");
  const out = new Uint32Array(b.length / 4);
  Buffer.from(out.buffer).set(b);
  return out;
};

/** Ask peers about items of a case: a `hit-query` per peer, carrying pseudonyms and encodings only. */
export async function createHitQuery(
  ctx: Ctx,
  caseId: string,
  input: CreateHitQueryInput,
): Promise<HitQueryView> {
  return inTransaction(ctx, async (tx) => {
    const { c } = await caseWith(tx, caseId, "hits.ask");
    const since = new Date(Date.now() - 3_600_000);
    const asked = await tx.db
      .selectFrom("hit_queries")
      .select(({ fn }) => fn.countAll<string>().as("n"))
      .where("created_by", "=", me(tx))
      .where("created_at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(asked.n) >= tx.config.hits.userQueriesPerHour) {
      throw new AppError(
        "rate_limited",
        `You have asked ${asked.n} hit/no-hit queries in the last hour, the most this node allows; try again later.`,
      );
    }
    const all = new Map((await itemsOf(tx, caseId)).map((i) => [i.key, i]));
    // Each item once (one named twice is asked once), selectors normalised once for every peer.
    const items = input.items.flatMap((key, i) => {
      const item = all.get(key);
      if (!item) throw AppError.field(`body.items.${i}`, "is not an item of this case");
      if (item.refusal) throw AppError.field(`body.items.${i}`, item.refusal);
      let normalised: string | undefined;
      if (item.selector) {
        const n = normaliseSelector(item.selector);
        if (!n.ok) throw AppError.field(`body.items.${i}`, `cannot be asked about: ${n.message}`);
        normalised = n.value;
      }
      return input.items.indexOf(key) === i ? [{ ...item, normalised }] : [];
    });
    if (items.filter((i) => i.person).length > MAX_HIT_PERSONS)
      throw AppError.field("body.items", `a query asks about at most ${MAX_HIT_PERSONS} persons`);
    const active = await tx.db.selectFrom("peers").selectAll().where("status", "=", "active").execute();
    const peers =
      input.peers === "all"
        ? active
        : input.peers.flatMap((id, i) => {
            const p = active.find((a) => a.node_id === id);
            if (!p) throw AppError.field(`body.peers.${i}`, `${id} is not an active peer`);
            // A peer named twice is asked once.
            return input.peers.indexOf(id) === i ? [p] : [];
          });
    if (peers.length === 0) throw AppError.field("body.peers", "there is no active peer to ask");
    const id = uuidv7();
    const now = new Date();
    const messages = [];
    for (const peer of peers) {
      const secret = await matchingSecret(tx, peer);
      const pseudonyms = new Pseudonymiser(secret);
      const encoder = new ClkEncoder(secret);
      const selectors = [];
      const persons = [];
      for (const [ref, item] of items.entries()) {
        if (item.normalised !== undefined) {
          selectors.push({
            ref,
            type: item.type as HitSelectorType,
            pseudonym: pseudonyms
              .pseudonym(item.type as HitSelectorType, item.normalised)
              .toString("base64url"),
          });
        } else if (item.person) {
          const e = encoder.encode(item.person);
          persons.push({
            ref,
            schema: "clk1" as const,
            clk: toB64(e.filter),
            blocks: [...e.blocks].slice(0, 64),
          });
        }
      }
      messages.push({
        to: [peer.node_id],
        type: "hit-query" as const,
        version: 1,
        tlp: "amber" as const,
        handling: ["H0" as const],
        caseId,
        body: {
          queryRef: id,
          caseReference: c.reference,
          purpose: input.purpose,
          legalBasis: input.legalBasis,
          selectors,
          persons,
        },
      });
    }
    const queued = await queueMessages(tx, messages, (i) => `body.peers.${i}`);
    await tx.db
      .insertInto("hit_queries")
      .values({
        id,
        case_id: caseId,
        created_at: now,
        created_by: me(tx),
        purpose: input.purpose,
        legal_basis: input.legalBasis,
        items: JSON.stringify(items.map(({ key, type, label }) => ({ key, type, label }))),
      })
      .execute();
    await tx.db
      .insertInto("hit_answers")
      .values(
        peers.map((p, i) => ({
          query_id: id,
          peer: p.node_id,
          message_id: queued[i]?.[0]?.id as string,
          status: "pending",
        })),
      )
      .execute();
    await audit(tx, {
      event: "hit.queried",
      targetType: "case",
      targetId: caseId,
      purpose: input.purpose,
      details: {
        query: id,
        peers: peers.map((p) => p.node_id),
        items: items.map((i) => ({ key: i.key, type: i.type })),
        legalBasis: input.legalBasis,
      },
    });
    return (await queriesOf(tx, caseId, id))[0] as HitQueryView;
  });
}

async function queriesOf(ctx: Ctx, caseId: string, only?: string): Promise<HitQueryView[]> {
  let q = ctx.db
    .selectFrom("hit_queries")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("created_at", "desc")
    .limit(100);
  if (only) q = q.where("id", "=", only);
  const queries = await q.execute();
  if (queries.length === 0) return [];
  const ids = queries.map((x) => x.id);
  const answers = await ctx.db
    .selectFrom("hit_answers")
    .selectAll()
    .where("query_id", "in", ids)
    .orderBy("peer")
    .execute();
  const disclosures = new Map(
    (await ctx.db.selectFrom("hit_disclosures").selectAll().where("query_id", "in", ids).execute()).map(
      (d) => [d.reference, d],
    ),
  );
  return queries.map((x) => ({
    id: x.id,
    caseId: x.case_id,
    createdAt: iso(x.created_at),
    createdBy: x.created_by,
    purpose: x.purpose,
    legalBasis: x.legal_basis,
    items: x.items as HitQueryView["items"],
    answers: answers
      .filter((a) => a.query_id === x.id)
      .map((a) => ({
        peer: a.peer,
        status: a.status as HitQueryView["answers"][number]["status"],
        reason: a.reason,
        answeredAt: a.answered_at ? iso(a.answered_at) : null,
        results: a.results.flatMap((r) => {
          const item = x.items[r.ref];
          if (!item) return [];
          return [
            {
              item: item.key,
              answered: r.answered,
              hits: r.hits.map((h) => {
                const d = disclosures.get(h.reference);
                return {
                  reference: h.reference,
                  score: h.score,
                  disclosure:
                    d && d.peer === a.peer
                      ? {
                          decision: d.decision as "approved" | "refused",
                          information: d.information,
                          reason: d.reason,
                          receivedAt: iso(d.received_at),
                        }
                      : null,
                };
              }),
            },
          ];
        }),
      })),
  }));
}

/**
 * The case's queries and their answers, for its team. Disclosed information is personal
 * data: a read that returns it is audited. `omitInformation` (a page watching for answers)
 * leaves it out — references, scores and decisions only — and is not audited.
 */
export async function listHitQueries(
  ctx: Ctx,
  caseId: string,
  purpose: string,
  opts: { omitInformation?: boolean } = {},
): Promise<HitQueryView[]> {
  return inTransaction(ctx, async (tx) => {
    await caseWith(tx, caseId, "case.read");
    const queries = await queriesOf(tx, caseId);
    if (opts.omitInformation) {
      for (const h of queries.flatMap((q) => q.answers.flatMap((a) => a.results.flatMap((r) => r.hits)))) {
        if (h.disclosure) h.disclosure = { ...h.disclosure, information: null };
      }
      return queries;
    }
    await audit(tx, {
      event: "hits.viewed",
      targetType: "case",
      targetId: caseId,
      purpose,
      details: { queries: queries.length },
    });
    return queries;
  });
}

// ---------------------------------------------------------------- answering

interface LocalIndex {
  version: string;
  records: Item[];
  selectors: PseudonymIndex<number>;
  filters: Uint32Array[];
  personRecords: number[];
  blocks: BlockIndex;
}

/** Per node and per peer (the secret differs), rebuilt when the node's records change. */
const indexes = new WeakMap<Ctx["config"], Map<string, LocalIndex>>();

async function recordsVersion(ctx: Ctx): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT
      (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM case_persons) || '|' ||
      (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM case_selectors) || '|' ||
      (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM case_vehicles) AS v`.execute(
    ctx.db,
  );
  return rows[0]?.v ?? "";
}

/**
 * The node's own records under the pair's secret: selector pseudonyms in a hash index,
 * person encodings with a block index. Built in memory from the database on first use
 * and again when records were added (a node of millions of records would keep these
 * per peer in the database instead — see ARCHITECTURE.md).
 */
async function localIndex(ctx: Ctx, peer: Selectable<PeersTable>): Promise<LocalIndex> {
  const version = await recordsVersion(ctx);
  let forNode = indexes.get(ctx.config);
  if (!forNode) {
    forNode = new Map();
    indexes.set(ctx.config, forNode);
  }
  const cacheKey = `${peer.node_id}|${peer.encryption_kid}`;
  const known = forNode.get(cacheKey);
  if (known && known.version === version) return known;
  const secret = await matchingSecret(ctx, peer);
  const pseudonyms = new Pseudonymiser(secret);
  const encoder = new ClkEncoder(secret);
  const records = await itemsOf(ctx, null);
  const selectors = new PseudonymIndex<number>();
  const filters: Uint32Array[] = [];
  const personRecords: number[] = [];
  const blockKeys: Uint32Array[] = [];
  records.forEach((r, i) => {
    if (r.selector) {
      const n = normaliseSelector(r.selector);
      if (n.ok) selectors.add(pseudonyms.pseudonym(r.type as HitSelectorType, n.value), i);
    } else if (r.person) {
      const e = encoder.encode(r.person);
      filters.push(e.filter);
      blockKeys.push(e.blocks);
      personRecords.push(i);
    }
  });
  const index: LocalIndex = {
    version,
    records,
    selectors,
    filters,
    personRecords,
    blocks: new BlockIndex(filters.length, (i) => blockKeys[i] as Uint32Array),
  };
  forNode.set(cacheKey, index);
  return index;
}

type QueryArrival = Arrival<z.output<(typeof HIT_MESSAGE_TYPES)["hit-query"][1]>>;
type ReplyArrival = Arrival<z.output<(typeof HIT_MESSAGE_TYPES)["hit-reply"][1]>>;
type DisclosureArrival = Arrival<z.output<(typeof HIT_MESSAGE_TYPES)["hit-disclosure"][1]>>;

/** A hit-query arrived (in the transaction that stores it): answer it, within the abuse limits. */
export async function answerQuery(tx: Ctx, m: QueryArrival): Promise<void> {
  const q = m.body;
  const reply = (body: Record<string, unknown>) =>
    queueMessages(
      tx,
      [
        {
          to: [m.sender],
          type: "hit-reply",
          version: 1,
          tlp: "amber",
          handling: ["H0"],
          thread: m.thread,
          body: { inReplyTo: m.id, queryRef: q.queryRef, ...body },
        },
      ],
      () => "body",
    );
  // Abuse limits: so many queries an hour from one peer, counted from the inbox (this one included).
  const since = new Date(Date.now() - 3_600_000);
  const count = await tx.db
    .selectFrom("inbox")
    .select(({ fn }) => fn.countAll<string>().as("n"))
    .where("sender", "=", m.sender)
    .where("mtype", "=", "hit-query")
    .where("received_at", ">", since)
    .executeTakeFirstOrThrow();
  const limit = tx.config.hits.peerQueriesPerHour;
  if (Number(count.n) > limit) {
    await reply({
      outcome: "refused",
      reason: `rate limit: ${limit} queries an hour from one node`,
      results: [],
    });
    await audit(tx, {
      event: "hit.answered",
      targetType: "message",
      targetId: m.id,
      details: { peer: m.sender, query: q.queryRef, refused: "rate_limited" },
    });
    return;
  }
  const peer = await tx.db
    .selectFrom("peers")
    .selectAll()
    .where("node_id", "=", m.sender)
    .executeTakeFirstOrThrow();
  const index = await localIndex(tx, peer);
  // The answering node's policy: which item types it answers, for this peer or for all.
  const answers = new Set(tx.config.hits.answerPeers[m.sender] ?? tx.config.hits.answer);
  const followups: Selectable<HitFollowupsTable>[] = [];
  const now = new Date();
  const open = (ref: number, record: Item, itemType: HitItemType, score: number) => {
    const f: Selectable<HitFollowupsTable> = {
      id: uuidv7(),
      peer: m.sender,
      query_message_id: m.id,
      query_ref: q.queryRef,
      item_ref: ref,
      item_type: itemType,
      score,
      case_id: record.caseId,
      record_type: record.recordType,
      record_id: record.recordId,
      matched: record.label,
      purpose: q.purpose,
      legal_basis: q.legalBasis,
      asker_case_reference: q.caseReference ?? null,
      status: "pending",
      decided_by: null,
      decided_at: null,
      information: null,
      reason: null,
      created_at: now,
    };
    followups.push(f);
    return { reference: f.id, score: Math.round(score * 1000) / 1000 };
  };
  const results: { ref: number; answered: boolean; hits: { reference: string; score: number }[] }[] = [];
  for (const s of q.selectors) {
    if (!answers.has(s.type)) {
      results.push({ ref: s.ref, answered: false, hits: [] });
      continue;
    }
    const found = index.selectors.lookup(Buffer.from(s.pseudonym, "base64url"));
    const hits = found.slice(0, 20).map((i) => open(s.ref, index.records[i] as Item, s.type, 1));
    results.push({ ref: s.ref, answered: true, hits });
  }
  for (const p of q.persons) {
    if (!answers.has("person")) {
      results.push({ ref: p.ref, answered: false, hits: [] });
      continue;
    }
    const query = fromB64(p.clk);
    const scored: { i: number; score: number }[] = [];
    for (const c of index.blocks.candidates(Uint32Array.from(p.blocks))) {
      const score = dice(query, index.filters[c] as Uint32Array);
      if (score >= tx.config.hits.personThreshold)
        scored.push({ i: index.personRecords[c] as number, score });
    }
    scored.sort((a, b) => b.score - a.score);
    results.push({
      ref: p.ref,
      answered: true,
      hits: scored.slice(0, 20).map((s) => open(p.ref, index.records[s.i] as Item, "person", s.score)),
    });
  }
  results.sort((a, b) => a.ref - b.ref);
  if (followups.length) await tx.db.insertInto("hit_followups").values(followups).execute();
  await reply({ outcome: "answered", results });
  await audit(tx, {
    event: "hit.answered",
    targetType: "message",
    targetId: m.id,
    purpose: q.purpose,
    details: {
      peer: m.sender,
      query: q.queryRef,
      legalBasis: q.legalBasis,
      items: results.length,
      hits: followups.map((f) => ({ followup: f.id, caseId: f.case_id, type: f.item_type, score: f.score })),
    },
  });
}

/** A peer answered one of our queries. */
export async function recordReply(tx: Ctx, m: ReplyArrival): Promise<void> {
  const r = m.body;
  // Only the peer asked, about the message sent to it, can answer.
  await tx.db
    .updateTable("hit_answers")
    .set({
      status: r.outcome,
      reason: r.reason ?? null,
      results: JSON.stringify(r.results),
      answered_at: new Date(),
    })
    .where("query_id", "=", r.queryRef)
    .where("peer", "=", m.sender)
    .where("message_id", "=", r.inReplyTo)
    .where("status", "=", "pending")
    .execute();
}

/** A peer disclosed (or refused) what a hit of ours refers to. */
export async function recordDisclosure(tx: Ctx, m: DisclosureArrival): Promise<void> {
  const d = m.body;
  // A disclosure counts only for a reference the same peer gave in its answer.
  const answer = await tx.db
    .selectFrom("hit_answers")
    .select("results")
    .where("query_id", "=", d.queryRef)
    .where("peer", "=", m.sender)
    .executeTakeFirst();
  if (!answer?.results.some((r) => r.hits.some((h) => h.reference === d.reference))) return;
  await tx.db
    .insertInto("hit_disclosures")
    .values({
      reference: d.reference,
      query_id: d.queryRef,
      peer: m.sender,
      decision: d.decision,
      information: d.information ?? null,
      reason: d.reason ?? null,
      message_id: m.id,
      received_at: new Date(),
    })
    .onConflict((oc) => oc.column("reference").doNothing())
    .execute();
}

// ---------------------------------------------------------------- follow-ups

function presentFollowup(
  f: Selectable<HitFollowupsTable> & { reference: string; case_role: string },
): FollowupView {
  return {
    id: f.id,
    peer: f.peer,
    createdAt: iso(f.created_at),
    purpose: f.purpose,
    legalBasis: f.legal_basis,
    askerCaseReference: f.asker_case_reference,
    itemType: f.item_type as HitItemType,
    score: f.score,
    caseId: f.case_id,
    caseReference: f.reference,
    matched: f.matched,
    status: f.status as FollowupView["status"],
    decidedAt: f.decided_at ? iso(f.decided_at) : null,
    information: f.information,
    reason: f.reason,
    mayDecide: f.status === "pending" && mayOnCase(f.case_role as CaseRole, "hits.decide"),
  };
}

function followupsQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom("hit_followups as f")
    .innerJoin("cases as c", "c.id", "f.case_id")
    .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "f.case_id").on("t.user_id", "=", me(ctx)))
    .selectAll("f")
    .select(["c.reference", "t.case_role"]);
}

/** The follow-ups on the caller's cases (other cases' do not exist for them); reading them is audited. */
export async function listFollowups(
  ctx: Ctx,
  input: { status?: string | undefined },
  purpose: string,
): Promise<FollowupView[]> {
  return inTransaction(ctx, async (tx) => {
    let q = followupsQuery(tx).orderBy("f.created_at", "desc").limit(200);
    if (input.status) q = q.where("f.status", "=", input.status);
    const rows = await q.execute();
    await audit(tx, {
      event: "hits.viewed",
      purpose,
      details: { box: "followups", status: input.status ?? null, count: rows.length },
    });
    return rows.map(presentFollowup);
  });
}

/** The matched case's lead or crisis team approves (disclosing what they write) or refuses; the asking node is told. */
export async function decideFollowup(
  ctx: Ctx,
  id: string,
  input: { decision: "approved" | "refused"; information?: string | undefined; reason?: string | undefined },
): Promise<FollowupView> {
  return inTransaction(ctx, async (tx) => {
    const f = await followupsQuery(tx).where("f.id", "=", id).forUpdate("f").executeTakeFirst();
    if (!f) throw AppError.notFound("follow-up");
    // Only those who may decide on the matched case see a decision to take: for others it does not exist.
    if (!mayOnCase(f.case_role as CaseRole, "hits.decide"))
      throw AppError.notFound(ABILITY_OBJECT["hits.decide"]);
    if (f.status !== "pending") throw AppError.field("params.id", `was ${f.status} already`, "invalid_state");
    const decided = {
      status: input.decision,
      decided_by: me(tx),
      decided_at: new Date(),
      information: input.decision === "approved" ? (input.information?.trim() ?? null) : null,
      reason: input.decision === "refused" ? (input.reason?.trim() ?? null) : null,
    };
    await tx.db.updateTable("hit_followups").set(decided).where("id", "=", id).execute();
    const query = await tx.db
      .selectFrom("inbox")
      .select("thread")
      .where("id", "=", f.query_message_id)
      .executeTakeFirstOrThrow();
    await queueMessages(
      tx,
      [
        {
          to: [f.peer],
          type: "hit-disclosure",
          version: 1,
          tlp: "amber",
          handling: ["H0"],
          thread: query.thread,
          caseId: f.case_id,
          body: {
            queryRef: f.query_ref,
            reference: f.id,
            decision: input.decision,
            ...(decided.information ? { information: decided.information } : {}),
            ...(decided.reason ? { reason: decided.reason } : {}),
          },
        },
      ],
      () => "body",
    );
    await audit(tx, {
      event: "hit.followup_decided",
      targetType: "case",
      targetId: f.case_id,
      details: { followup: id, peer: f.peer, decision: input.decision, query: f.query_ref },
    });
    return presentFollowup({ ...f, ...decided });
  });
}
