/**
 * Answering (hit/no-hit, issue 5): on arrival, in the transaction that stores the query,
 * the node looks the pseudonyms and encodings up in an index of its own records built under
 * the same secret, opens a follow-up per hit and replies `hit-reply`: per item, no-hit or
 * hits as follow-up references and scores — never data.
 */
import { type Selectable, sql } from "kysely";
import { uuidv7 } from "uuidv7";
import type { z } from "zod";
import type { HIT_MESSAGE_TYPES, HitItemType, HitSelectorType } from "../../domain/hits.ts";
import { BlockIndex } from "../../engines/matching/blocking.ts";
import { ClkEncoder } from "../../engines/matching/clk.ts";
import { dice } from "../../engines/matching/dice.ts";
import { PseudonymIndex, Pseudonymiser } from "../../engines/matching/keys.ts";
import { normaliseSelector } from "../../engines/matching/normalise.ts";
import { audit } from "../../platform/audit/index.ts";
import type { Ctx } from "../../platform/context.ts";
import type { HitFollowupsTable, PeersTable } from "../../platform/db/schema.ts";
import { queueMessages } from "../../platform/exchange/outbox.ts";
import type { Arrival } from "../../platform/exchange/registry.ts";

import { fromB64, type Item, itemsOf, matchingSecret } from "./items.ts";

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
