/** `ariadne demo-data` (definition: src/cli/commands/demo.ts). */
import { actorForUser } from "../../capabilities/accounts/auth.ts";
import { AppError } from "../../domain/errors.ts";
import { seedDemoCases } from "../../server/demo/cases.ts";
import { print, withDb } from "../context.ts";

export async function demoData(o: {
  db?: string;
  cases: number;
  seed: number;
  lead: string;
  json?: boolean;
}) {
  await withDb(o, async (ctx) => {
    const lead = await ctx.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", o.lead.toLowerCase())
      .executeTakeFirst();
    if (!lead) throw new AppError("not_found", `no user named ${o.lead}`);
    const actor = actorForUser(lead);
    if (!actor.permissions.has("cases.create"))
      throw new AppError("validation_failed", `${o.lead} holds no role that opens cases`);
    const started = performance.now();
    const tty = process.stderr.isTTY;
    const n = await seedDemoCases(
      { ...ctx, actor },
      {
        count: o.cases,
        seed: o.seed,
        onProgress: (done) => {
          if (tty && (done % 10 === 0 || done === o.cases))
            process.stderr.write(`\r${done}/${o.cases} cases`);
        },
      },
    );
    if (tty) process.stderr.write("\n");
    const seconds = (performance.now() - started) / 1000;
    print(
      Boolean(o.json),
      { cases: n, seed: o.seed, seconds },
      () => `created ${n} demo cases (seed ${o.seed}) in ${seconds.toFixed(1)} s`,
    );
  });
}
