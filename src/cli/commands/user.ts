import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import * as users from "../../capabilities/accounts/users.ts";
import { AppError } from "../../domain/errors.ts";
import { ROLES, type Role } from "../../domain/roles.ts";
import { passwordSchema, roleSchema, text, usernameSchema } from "../../domain/schemas.ts";
import type { Ctx } from "../../platform/context.ts";
import { dbOption, print, table, withDb } from "../context.ts";

async function idOf(ctx: Ctx, username: string): Promise<string> {
  const row = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", username.toLowerCase())
    .executeTakeFirst();
  if (!row) throw new AppError("not_found", `no user named ${username}`);
  return row.id;
}

const addInput = z.object({
  username: usernameSchema,
  displayName: text(200, 1),
  roles: z.array(roleSchema).min(1, "give at least one --role"),
  password: passwordSchema.optional(),
});

export function userCommands(program: Command) {
  const user = program.command("user").description("Manage staff accounts (every change is audited)");

  user
    .command("add <username>")
    .description(`Create an account. Roles: ${ROLES.join(", ")}`)
    .addOption(dbOption())
    .requiredOption("--name <display name>", "the person's name as shown")
    .option(
      "--role <role>",
      "a role (repeat for several)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      "--password-stdin",
      "read the password from standard input instead of issuing a one-time password",
    )
    .option("--json", "machine-readable output")
    .action(
      async (
        username: string,
        o: { db?: string; name: string; role: string[]; passwordStdin?: boolean; json?: boolean },
      ) => {
        const input = addInput.parse({
          username,
          displayName: o.name,
          roles: o.role,
          password: o.passwordStdin ? readFileSync(0, "utf8").replace(/\r?\n$/, "") : undefined,
        });
        await withDb(o, async (ctx) => {
          const out = await users.createUser(ctx, { ...input, roles: input.roles as Role[] });
          print(Boolean(o.json), out, () =>
            [
              `created ${out.user.username} (${out.user.roles.join(", ")})`,
              out.temporaryPassword ? `one-time password: ${out.temporaryPassword}` : "",
              "the second factor is enrolled at first sign-in",
            ]
              .filter(Boolean)
              .join("\n"),
          );
        });
      },
    );

  user
    .command("list")
    .description("List accounts")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (o: { db?: string; json?: boolean }) => {
      await withDb(o, async (ctx) => {
        const list = await users.listUsers(ctx, {});
        print(Boolean(o.json), list, () =>
          table(
            list.map((u) => ({
              ...u,
              roles: u.roles.join(","),
              mfa: u.mfaEnrolled ? "yes" : "no",
              locked: u.locked ? "yes" : "",
            })),
            ["username", "displayName", "roles", "status", "mfa", "locked", "lastLoginAt"],
          ),
        );
      });
    });

  const simple = (name: string, description: string, run: (ctx: Ctx, id: string) => Promise<unknown>) =>
    user
      .command(`${name} <username>`)
      .description(description)
      .addOption(dbOption())
      .option("--json", "machine-readable output")
      .action(async (username: string, o: { db?: string; json?: boolean }) => {
        await withDb(o, async (ctx) => {
          const out = await run(ctx, await idOf(ctx, username));
          print(Boolean(o.json), out, () => `${name}: ${username} done`);
        });
      });

  simple("disable", "Disable an account and end its sessions", (ctx, id) =>
    users.updateUser(ctx, id, { status: "disabled" }),
  );
  simple("enable", "Enable a disabled account", (ctx, id) => users.updateUser(ctx, id, { status: "active" }));
  simple("reset-mfa", "Remove the second factor; the user enrols again at next sign-in", (ctx, id) =>
    users.resetMfa(ctx, id),
  );
  simple("unlock", "Release a lockout after failed sign-ins", (ctx, id) => users.unlockUser(ctx, id));
  user
    .command("reset-password <username>")
    .description("Issue a one-time password and end the user's sessions")
    .addOption(dbOption())
    .option("--json", "machine-readable output")
    .action(async (username: string, o: { db?: string; json?: boolean }) => {
      await withDb(o, async (ctx) => {
        const out = await users.resetPassword(ctx, await idOf(ctx, username));
        print(Boolean(o.json), out, () => `one-time password for ${username}: ${out.temporaryPassword}`);
      });
    });
}
