/**
 * `ariadne user …` (definitions: src/cli/commands/user.ts). Every change is audited by the use
 * cases. The command line is the operator's, on the server: it acts at once, outside the
 * four-eyes rule that holds administrators (a reset still leaves its notice for the user and
 * the leads of their cases); `break-glass` makes a change an administrator asked for without
 * a second administrator, loudly.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { breakGlass as breakTheGlass } from "../../capabilities/accounts/approvals.ts";
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
  disable: (ctx: Ctx, id: string) => users.changeUser(ctx, id, { status: "disabled" }),
  enable: (ctx: Ctx, id: string) => users.changeUser(ctx, id, { status: "active" }),
  "reset-mfa": (ctx: Ctx, id: string) => users.applyMfaReset(ctx, id),
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
    const out = await users.changeUser(ctx, await idOf(ctx, username), { roles: wanted });
    print(Boolean(o.json), out, () => `roles of ${out.username}: ${out.roles.join(", ")}`);
  });
}

export async function resetPassword(username: string, o: { db?: string; json?: boolean }) {
  await withDb(o, async (ctx) => {
    const out = await users.applyPasswordReset(ctx, await idOf(ctx, username));
    print(Boolean(o.json), out, () => `one-time password for ${username}: ${out.temporaryPassword}`);
  });
}

const breakGlassInput = z.object({ id: z.uuid("must be an approval's id (a UUID)"), reason: text(500, 10) });

/**
 * Break-glass: make the change a pending request holds without a second administrator (a node
 * with a single one). Audited as approval.break_glass with the reason; the notice it leaves is
 * marked for the account's holder, the leads of their cases, every administrator and auditor.
 */
export async function breakGlass(approvalId: string, o: { db?: string; reason: string; json?: boolean }) {
  const input = breakGlassInput.parse({ id: approvalId, reason: o.reason });
  await withDb(o, async (ctx) => {
    const out = await breakTheGlass(ctx, input.id, input.reason);
    const warning = [
      "WARNING: break-glass. This change was made without a second administrator.",
      `It is recorded as approval.break_glass by ${ctx.actor.label} with your reason, and shown to`,
      "the account's holder, the leads of their cases, every administrator and every auditor.",
    ];
    if (out.otherAdministrators > 0) {
      warning.push(
        `This node has ${out.otherAdministrators} other active administrator(s) who could have approved it.`,
      );
    }
    process.stderr.write(`${warning.join("\n")}\n`);
    print(Boolean(o.json), out, () =>
      [
        `${out.approval.kind} of ${out.approval.targetUsername} done (approval ${out.approval.id})`,
        out.temporaryPassword ? `one-time password (shown once): ${out.temporaryPassword}` : "",
        out.secret ? `API token (shown once): ${out.secret}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  });
}
