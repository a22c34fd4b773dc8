/** `ariadne migrate` (definition: src/cli/commands/serve.ts). */
import { runMigrations } from "../../platform/db/index.ts";
import { LATEST_MIGRATION } from "../../platform/db/migrations/index.ts";
import { print, withDb } from "../context.ts";

export async function migrate(o: { db?: string; json?: boolean }) {
  await withDb(
    o,
    async (_ctx, db) => {
      const applied = await runMigrations(db.kysely);
      print(Boolean(o.json), { applied, latest: LATEST_MIGRATION }, () =>
        applied.length ? `applied: ${applied.join(", ")}` : `up to date (${LATEST_MIGRATION})`,
      );
    },
    { migrate: false, asOwner: true },
  );
}
