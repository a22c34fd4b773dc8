/** `ariadne audit verify` and `ariadne audit export` (definitions: src/cli/commands/audit.ts). */
import { createWriteStream } from "node:fs";
import { verifyRecords } from "../../capabilities/audit/integrity.ts";
import { presentAuditEntry } from "../../capabilities/audit/presenters.ts";
import { audit, verifyChain } from "../../platform/audit/index.ts";
import { inTransaction } from "../../platform/context.ts";
import { print, withDb } from "../context.ts";

function parseAnchor(v: string): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(v);
  if (!m) throw new Error("--expect must look like <seq>:<64 hex digits>, as printed by an earlier verify");
  return { seq: Number(m[1]), hash: m[2] ?? "" };
}

export async function verify(o: { db?: string; expect?: string; json?: boolean }) {
  const expect = o.expect ? parseAnchor(o.expect) : undefined;
  await withDb(
    o,
    async (ctx) => {
      const chain = await verifyChain(ctx.db, expect ? { expect } : {});
      const records = await verifyRecords(ctx);
      // ok: the audit chain, every crisis log and every attachment hold; chain.ok: the audit chain alone.
      const result = { ...chain, chain: { ok: chain.ok }, ...records, ok: chain.ok && records.ok };
      print(Boolean(o.json), result, () =>
        [
          chain.ok
            ? `audit chain intact: ${chain.entries} entries\nanchor: ${chain.head.seq}:${chain.head.hash}`
            : `AUDIT CHAIN BROKEN at entry ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}\n(${chain.entries} entries verified before it)`,
          records.crisisLogs.broken.length === 0
            ? `crisis logs intact: ${records.crisisLogs.entries} entries in ${records.crisisLogs.cases} cases`
            : records.crisisLogs.broken
                .map((b) => `CRISIS LOG BROKEN in case ${b.case} at entry ${b.seq}: ${b.reason}`)
                .join("\n"),
          records.attachments.broken.length === 0
            ? `attachments intact: ${records.attachments.count}`
            : records.attachments.broken
                .map((b) => `ATTACHMENT BROKEN in case ${b.case}: ${b.attachment}: ${b.reason}`)
                .join("\n"),
        ].join("\n"),
      );
      if (!result.ok) process.exitCode = 1;
    },
    { migrate: false, asOwner: true },
  );
}

export async function exportTrail(o: { db?: string; out?: string; from?: string; to?: string }) {
  for (const [k, v] of [
    ["--from", o.from],
    ["--to", o.to],
  ] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new Error(`${k} must be an ISO 8601 date-time`);
  }
  await withDb(o, async (ctx) => {
    const out = o.out ? createWriteStream(o.out) : process.stdout;
    let after = 0;
    let count = 0;
    let first: number | null = null;
    let last = 0;
    for (;;) {
      let q = ctx.db.selectFrom("audit_log").selectAll().where("seq", ">", after).orderBy("seq").limit(5000);
      if (o.from) q = q.where("at", ">=", new Date(o.from));
      if (o.to) q = q.where("at", "<", new Date(o.to));
      const rows = await q.execute();
      for (const r of rows) {
        out.write(
          `${JSON.stringify({ ...presentAuditEntry(r), prevHash: r.prev_hash ? Buffer.from(r.prev_hash).toString("hex") : null })}\n`,
        );
        count++;
        first ??= r.seq;
        last = r.seq ?? last;
      }
      if (rows.length < 5000) break;
      after = rows.at(-1)?.seq ?? after;
    }
    // The last line: the chain verified up to the end of the exported range (an entry of the range
    // holds only if every entry before it does), and whether the range itself is whole.
    const chain = await verifyChain(ctx.db);
    const brokenAt = chain.firstBroken?.seq;
    const range = first === null ? null : { from: first, to: last };
    out.write(
      `${JSON.stringify({
        verification: {
          verifiedAt: new Date().toISOString(),
          range,
          ok: brokenAt === undefined || range === null || brokenAt > range.to,
          chain: {
            ok: chain.ok,
            entries: chain.entries,
            head: chain.head,
            firstBroken: chain.firstBroken ?? null,
          },
        },
      })}\n`,
    );
    if (o.out) await new Promise<void>((res) => (out as NodeJS.WritableStream).end(res));
    await inTransaction(ctx, (tx) =>
      audit(tx, { event: "audit.exported", details: { count, from: o.from ?? null, to: o.to ?? null } }),
    );
    process.stderr.write(
      `exported ${count} entries${chain.ok ? "" : `; AUDIT CHAIN BROKEN at entry ${brokenAt}: ${chain.firstBroken?.reason}`}\n`,
    );
    if (!chain.ok) process.exitCode = 1;
  });
}
