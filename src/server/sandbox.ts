/**
 * The sandbox: synthetic demo users, one per role, with a pre-enrolled second
 * factor whose current code the login page shows under a sandbox banner.
 * Never active on a production node (the route is not even registered there).
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ROLES, type Role } from "../domain/roles.ts";
import type { AppDeps } from "./app.ts";
import { newTotpSecret, totpNow } from "./auth/crypto.ts";
import type { Ctx } from "./context.ts";
import { seedDemoCases } from "./demo/cases.ts";
import { actorForUser } from "./usecases/auth.ts";
import { createUser } from "./usecases/users.ts";

export const DEMO_PASSWORD = "ariadne-sandbox";

const DEMO_NAMES: Record<Role, string> = {
  admin: "Ana Administradora",
  investigator: "Iván Investigador",
  crisis_manager: "Carmen Crisis",
  analyst: "Amal Analista",
  prosecutor: "Pedro Fiscal",
  central_authority: "Chen Autoridad",
  fiu_officer: "Fatima Finanzas",
  victim_support: "Valeria Apoyo",
  statistics_focal_point: "Sergei Estadística",
  liaison_officer: "Lucía Enlace",
  auditor: "Aurelio Auditor",
};

export const demoUsername = (role: Role) => role.replace(/_/g, "-");

export interface DemoLogin {
  username: string;
  role: Role;
  displayName: string;
  password: string;
  totpCode: string;
  totpSecret: string;
}

/** Create the demo users that do not exist yet. Idempotent. */
export async function seedDemoUsers(ctx: Ctx): Promise<number> {
  const existing = new Set(
    (await ctx.db.selectFrom("users").select("username").execute()).map((u) => u.username),
  );
  let created = 0;
  for (const role of ROLES) {
    const username = demoUsername(role);
    if (existing.has(username)) continue;
    await createUser(ctx, {
      username,
      displayName: DEMO_NAMES[role],
      roles: [role],
      password: DEMO_PASSWORD,
      totpSecret: newTotpSecret(),
    });
    created++;
  }
  return created;
}

/** Demo cases for the sandbox, once: led by the demo investigator, with the crisis manager and colleagues on the team. */
export async function seedSandboxCases(ctx: Ctx, count = 30): Promise<number> {
  const existing = await ctx.db.selectFrom("cases").select("id").limit(1).execute();
  if (existing.length > 0) return 0;
  const users = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("username", "in", ROLES.map(demoUsername))
    .execute();
  const byName = new Map(users.map((u) => [u.username, u]));
  const lead = byName.get(demoUsername("investigator"));
  if (!lead) return 0;
  const team = [
    { role: "crisis_manager", caseRole: "crisis_team" },
    { role: "prosecutor", caseRole: "member" },
    { role: "victim_support", caseRole: "member" },
    { role: "analyst", caseRole: "member" },
  ] as const;
  return seedDemoCases(
    { ...ctx, actor: actorForUser(lead) },
    {
      count,
      seed: 1,
      team: team.flatMap((t) => {
        const u = byName.get(demoUsername(t.role));
        return u ? [{ userId: u.id, caseRole: t.caseRole }] : [];
      }),
    },
  );
}

export async function demoLogins(ctx: Pick<Ctx, "db" | "box">): Promise<DemoLogin[]> {
  const names = ROLES.map(demoUsername);
  const rows = await ctx.db
    .selectFrom("users")
    .select(["username", "display_name", "roles", "mfa_secret_enc"])
    .where("username", "in", names)
    .orderBy("username")
    .execute();
  return rows.flatMap((r) => {
    if (!r.mfa_secret_enc) return [];
    const secret = ctx.box.open(r.mfa_secret_enc);
    return [
      {
        username: r.username,
        role: r.roles[0] as Role,
        displayName: r.display_name,
        password: DEMO_PASSWORD,
        totpCode: totpNow(secret),
        totpSecret: secret,
      },
    ];
  });
}

export function sandboxRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().get("/api/sandbox/logins", {
    config: { access: "public" },
    schema: {
      tags: ["sandbox"],
      summary: "Sandbox only: the demo logins with their current second-factor codes",
      response: {
        200: z.object({
          logins: z.array(
            z.object({
              username: z.string(),
              role: z.string(),
              displayName: z.string(),
              password: z.string(),
              totpCode: z.string(),
            }),
          ),
        }),
      },
    },
    handler: async () => ({
      logins: (await demoLogins({ db: deps.db.kysely, box: deps.box })).map(({ totpSecret: _s, ...l }) => l),
    }),
  });
}
