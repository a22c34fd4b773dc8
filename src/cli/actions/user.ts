/** `ariadne user …` (definitions: src/cli/commands/user.ts). Every change is audited by the use cases. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import * as users from "../../capabilities/accounts/users.ts";
import { AppError } from "../../domain/errors.ts";
import type { Role } from "../../domain/roles.ts";
import { passwordSchema, roleSchema, text, usernameSchema } from "../../domain/schemas.ts";
import type { Ctx } from "../../platform/context.ts";
import { print, table, withDb } from "../context.ts";

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

export async function add(
  username: string,
  o: { db?: string; name: string; role: string[]; passwordStdin?: boolean; json?: boolean },
) {
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
}

export async function list(o: { db?: string; json?: boolean }) {
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
}

/** The changes to one account that print only `<name>: <username> done`. */
const SIMPLE = {
  disable: (ctx: Ctx, id: string) => users.updateUser(ctx, id, { status: "disabled" }),
  enable: (ctx: Ctx, id: string) => users.updateUser(ctx, id, { status: "active" }),
  "reset-mfa": (ctx: Ctx, id: string) => users.resetMfa(ctx, id),
  unlock: (ctx: Ctx, id: string) => users.unlockUser(ctx, id),
} satisfies Record<string, (ctx: Ctx, id: string) => Promise<unknown>>;
export type SimpleChange = keyof typeof SIMPLE;

export async function simple(name: SimpleChange, username: string, o: { db?: string; json?: boolean }) {
  await withDb(o, async (ctx) => {
    const out = await SIMPLE[name](ctx, await idOf(ctx, username));
    print(Boolean(o.json), out, () => `${name}: ${username} done`);
  });
}

const rolesInput = z.array(roleSchema).min(1, "give at least one --role");

/** Set an account's roles (the remedy when separation of duties keeps a node from starting). */
export async function roles(username: string, o: { db?: string; role: string[]; json?: boolean }) {
  const wanted = rolesInput.parse(o.role) as Role[];
  await withDb(o, async (ctx) => {
    const out = await users.updateUser(ctx, await idOf(ctx, username), { roles: wanted });
    print(Boolean(o.json), out, () => `roles of ${out.username}: ${out.roles.join(", ")}`);
  });
}

export async function resetPassword(username: string, o: { db?: string; json?: boolean }) {
  await withDb(o, async (ctx) => {
    const out = await users.resetPassword(ctx, await idOf(ctx, username));
    print(Boolean(o.json), out, () => `one-time password for ${username}: ${out.temporaryPassword}`);
  });
}
