/** `ariadne backup` and `ariadne restore` (definitions: src/cli/commands/backup.ts). */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { audit, verifyChain } from "../../platform/audit/index.ts";
import { inTransaction } from "../../platform/context.ts";
import { print, targetOf, withDb } from "../context.ts";

const PG_DUMP_HINT =
  'For a PostgreSQL server use its own tools: pg_dump --format=custom --file=ariadne.dump "$DATABASE_URL" and pg_restore (see README).';

export async function backup(o: { db?: string; out: string; json?: boolean }) {
  if (targetOf(o).kind !== "pglite") throw new Error(PG_DUMP_HINT);
  if (existsSync(o.out)) throw new Error(`--out ${o.out} exists already; choose a new file`);
  await withDb(
    o,
    async (ctx, db) => {
      const chain = await verifyChain(ctx.db);
      await inTransaction(ctx, (tx) =>
        audit(tx, { event: "system.backup", details: { file: o.out, chainOk: chain.ok } }),
      );
      const blob = await db.pglite?.dumpDataDir("gzip");
      if (!blob) throw new Error("this database cannot be snapshotted");
      writeFileSync(o.out, Buffer.from(await blob.arrayBuffer()));
      const after = await verifyChain(ctx.db);
      const out = {
        file: o.out,
        bytes: statSync(o.out).size,
        auditEntries: after.entries,
        anchor: `${after.head.seq}:${after.head.hash}`,
      };
      print(
        Boolean(o.json),
        out,
        () => `snapshot written to ${out.file} (${out.bytes} bytes)\naudit anchor: ${out.anchor}`,
      );
    },
    { migrate: false, asOwner: true },
  );
}

export async function restore(o: { from: string; db?: string; json?: boolean }) {
  const target = targetOf(o);
  if (target.kind !== "pglite") throw new Error(PG_DUMP_HINT);
  if (!o.db) throw new Error("--db <dir> is required: the new directory to restore into");
  if (existsSync(target.dir) && readdirSync(target.dir).length > 0) {
    throw new Error(`--db ${target.dir} is not empty; restore into a new directory`);
  }
  if (!existsSync(o.from)) throw new Error(`--from ${o.from} does not exist`);
  const loadDataDir = new Blob([readFileSync(o.from)]);
  await withDb(
    o,
    async (ctx) => {
      const chain = await verifyChain(ctx.db);
      if (!chain.ok) {
        process.exitCode = 1;
        throw new Error(
          `restored, but the audit chain is broken at ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`,
        );
      }
      await inTransaction(ctx, (tx) =>
        audit(tx, { event: "system.restored", details: { from: o.from, entries: chain.entries } }),
      );
      print(
        Boolean(o.json),
        { dir: target.dir, auditEntries: chain.entries + 1 },
        () => `restored into ${target.dir}; audit chain intact (${chain.entries} entries)`,
      );
    },
    { migrate: true, asOwner: true, loadDataDir },
  );
}
