import { uuidv7 } from "uuidv7";
import type { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import {
  type AskableItem,
  type CreateHitQueryInput,
  type HIT_MESSAGE_TYPES,
  type HitQueryView,
  type HitSelectorType,
  MAX_HIT_PERSONS,
} from "../../domain/hits.ts";
import { ClkEncoder } from "../../engines/matching/clk.ts";
import { Pseudonymiser } from "../../engines/matching/keys.ts";
import { normaliseSelector } from "../../engines/matching/normalise.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { queueMessages } from "../../platform/exchange/outbox.ts";
import type { Arrival } from "../../platform/exchange/registry.ts";
import { iso } from "../../platform/time.ts";
import { caseWith, me } from "../cases/index.ts";

import { itemsOf, matchingSecret, toB64 } from "./items.ts";
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

type ReplyArrival = Arrival<z.output<(typeof HIT_MESSAGE_TYPES)["hit-reply"][1]>>;
type DisclosureArrival = Arrival<z.output<(typeof HIT_MESSAGE_TYPES)["hit-disclosure"][1]>>;

/** A hit-query arrived (in the transaction that stores it): answer it, within the abuse limits. */
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
