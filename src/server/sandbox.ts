/**
 * The sandbox: synthetic demo users, one per role, with a pre-enrolled second
 * factor whose current code the login page shows under a sandbox banner, and
 * synthetic demo cases. Never active on a production node (the route is not even
 * registered there). `sandbox-federation.ts` runs four such nodes for `npm start`.
 */
import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorForUser } from "../capabilities/accounts/auth.ts";
import { createUser } from "../capabilities/accounts/users.ts";
import { ROLES, type Role } from "../domain/roles.ts";
import { importFile } from "../engines/statistics/import/index.ts";
import { newTotpSecret, totpNow } from "../platform/auth/crypto.ts";
import { type Ctx, inTransaction } from "../platform/context.ts";
import type { AppDeps } from "../platform/deps.ts";
import { fromRoot } from "../platform/paths.ts";
import { seedDemoCases } from "./demo/cases.ts";

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

/**
 * Demo accounts beyond one per role: a second administrator, so that what needs four eyes
 * (a reset of a case-team member's password or second factor, a grant of case work, a token
 * for another account) can be approved on every sandbox node.
 */
const EXTRA_DEMO_USERS: readonly { username: string; role: Role; displayName: string }[] = [
  { username: "admin-2", role: "admin", displayName: "Adrián Administrador" },
];

/** Every demo account: one per role, then the extras. */
export const DEMO_USERS: readonly { username: string; role: Role; displayName: string }[] = [
  ...ROLES.map((role) => ({ username: demoUsername(role), role, displayName: DEMO_NAMES[role] })),
  ...EXTRA_DEMO_USERS,
];

export interface DemoLogin {
  username: string;
  role: Role;
  displayName: string;
  password: string;
  totpCode: string;
  totpSecret: string;
}

/**
 * Create the demo users that do not exist yet, with the given second-factor secrets
 * where there is one for the username (the sandbox's nodes share them) and a new one
 * otherwise. Idempotent. The passwords are hashed concurrently.
 */
export async function seedDemoUsers(
  ctx: Ctx,
  totpSecrets: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  const existing = new Set(
    (await ctx.db.selectFrom("users").select("username").execute()).map((u) => u.username),
  );
  const missing = DEMO_USERS.filter((d) => !existing.has(d.username));
  await Promise.all(
    missing.map((d) =>
      createUser(ctx, {
        username: d.username,
        displayName: d.displayName,
        roles: [d.role],
        password: DEMO_PASSWORD,
        totpSecret: totpSecrets.get(d.username) ?? newTotpSecret(),
      }),
    ),
  );
  return missing.length;
}

/**
 * Demo cases for the sandbox, once: led by the demo investigator, with the crisis
 * manager and colleagues on the team. One transaction: far faster than a commit per
 * step on the embedded database, and a start interrupted half-way leaves no half set.
 */
export async function seedSandboxCases(
  ctx: Ctx,
  opts: { count: number; seed: number; shareSuspectOf?: { seed: number; nodeId: string } | undefined },
): Promise<number> {
  if (opts.count <= 0) return 0;
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db.selectFrom("cases").select("id").limit(1).execute();
    if (existing.length > 0) return 0;
    const users = await tx.db
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
      { ...tx, actor: actorForUser(lead) },
      {
        count: opts.count,
        seed: opts.seed,
        shareSuspectOf: opts.shareSuspectOf,
        team: team.flatMap((t) => {
          const u = byName.get(demoUsername(t.role));
          return u ? [{ userId: u.id, caseRole: t.caseRole }] : [];
        }),
      },
    );
  });
}

export interface SandboxSeed {
  /** Demo cases to create on a node that has none yet (0: users only, as on the Secretariat). */
  cases: number;
  /** The demo cases' seed: the same seed gives the same cases. */
  seed: number;
  /** Second-factor secrets by username for the users still to be created. */
  totpSecrets?: ReadonlyMap<string, string>;
  /** Another node whose first demo suspect this node's first case also holds (the hit/no-hit demo). */
  shareSuspectOf?: { seed: number; nodeId: string } | undefined;
}

/** The historical series the Secretariat's global report starts from (public data, in reference-data/). */
const HISTORICAL = [
  { format: "unodc-cts", file: "unodc_cts_kidnapping.csv" },
  { format: "eurostat-tsv", file: "eurostat_crim_off_cat_kidnapping.tsv" },
] as const;

/** On the sandbox's Secretariat, once: import the historical series (idempotent in any case). */
async function seedHistoricalStatistics(ctx: Ctx): Promise<number> {
  if (ctx.config.nodeId !== "UNODC") return 0;
  const done = await ctx.db.selectFrom("stat_imports").select("id").limit(1).execute();
  if (done.length > 0) return 0;
  let n = 0;
  for (const h of HISTORICAL) {
    const path = fromRoot("reference-data", h.file);
    if (existsSync(path))
      n += (await importFile(ctx.db, h.format, path, { importedBy: "sandbox" })).observations;
  }
  return n;
}

/** The sandbox's demo data on one node: demo users, then demo cases (the historical series on the Secretariat). Idempotent. */
export async function seedSandbox(ctx: Ctx, opts: SandboxSeed): Promise<{ users: number; cases: number }> {
  const users = await seedDemoUsers(ctx, opts.totpSecrets);
  const cases = await seedSandboxCases(ctx, {
    count: opts.cases,
    seed: opts.seed,
    shareSuspectOf: opts.shareSuspectOf,
  });
  await seedHistoricalStatistics(ctx);
  return { users, cases };
}

export async function demoLogins(ctx: Pick<Ctx, "db" | "box">): Promise<DemoLogin[]> {
  const names = DEMO_USERS.map((d) => d.username);
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
