/**
 * Every hash-chained or hashed record the node keeps, checked in one pass (beside the audit
 * chain, platform/audit): each case's crisis log against its chain and the case's head, and
 * each attachment's content against its SHA-256. Reads as the database owner would, with no
 * need-to-know filter: this is the auditor's and the operator's check, and it returns no content.
 */
import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { checkAttachments } from "../case-records/index.ts";
import { crisisLogBreak } from "../cases/index.ts";

export interface RecordsVerification {
  ok: boolean;
  crisisLogs: {
    cases: number;
    entries: number;
    broken: { caseId: string; case: string; seq: number; reason: string }[];
  };
  attachments: { count: number; broken: { case: string; attachment: string; reason: string }[] };
}

const PAGE = 500;

/**
 * A log that looked broken, read again with its head and entries from one moment: the case row
 * FOR SHARE waits for an append in progress and holds off the next (appends lock it FOR UPDATE),
 * so an entry written between the page's two reads is not taken for tampering.
 */
async function recheckLog(ctx: Ctx, caseId: string) {
  return inTransaction(ctx, async (tx) => {
    const c = await tx.db
      .selectFrom("cases")
      .select(["log_seq", "log_hash"])
      .where("id", "=", caseId)
      .forShare()
      .executeTakeFirstOrThrow();
    const rows = await tx.db
      .selectFrom("crisis_log")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("seq")
      .execute();
    return crisisLogBreak(c, rows);
  });
}

/** `signal` stops the walk between pages (a node shutting down during a background pass). */
export async function verifyRecords(ctx: Ctx, signal?: AbortSignal): Promise<RecordsVerification> {
  const logs: RecordsVerification["crisisLogs"] = { cases: 0, entries: 0, broken: [] };
  let after = "";
  for (;;) {
    signal?.throwIfAborted();
    const cases = await ctx.db
      .selectFrom("cases")
      .select(["id", "reference", "log_seq", "log_hash"])
      .where("id", ">", after === "" ? "00000000-0000-0000-0000-000000000000" : after)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    if (cases.length === 0) break;
    const rows = await ctx.db
      .selectFrom("crisis_log")
      .selectAll()
      .where(sql<boolean>`case_id = ANY(${cases.map((c) => c.id)}::uuid[])`)
      .orderBy("case_id")
      .orderBy("seq")
      .execute();
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
    for (const c of cases) {
      const entries = byCase.get(c.id) ?? [];
      logs.cases++;
      logs.entries += entries.length;
      const broken = crisisLogBreak(c, entries) && (await recheckLog(ctx, c.id));
      if (broken) logs.broken.push({ caseId: c.id, case: c.reference, ...broken });
    }
    after = cases.at(-1)?.id ?? after;
    if (cases.length < PAGE) break;
  }

  const attachments: RecordsVerification["attachments"] = await checkAttachments(ctx, { signal });
  return { ok: logs.broken.length === 0 && attachments.broken.length === 0, crisisLogs: logs, attachments };
}
