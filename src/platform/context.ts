/**
 * The context every use case receives: who acts, on which request, inside
 * which transaction. Use cases are plain functions `(ctx, input)`.
 */
import type { Kysely, Transaction } from "kysely";
import type { Permission, Role } from "../domain/roles.ts";
import type { SecretBox } from "./auth/crypto.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/schema.ts";

export interface Actor {
  kind: "user" | "token" | "system" | "anonymous";
  /** The user the actor speaks for (null for the system and anonymous callers). */
  userId: string | null;
  /** Human-readable label stored in the audit trail (username, `cli:root`, `system`). */
  label: string;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
}

export interface Ctx {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
  db: Kysely<Database> | Transaction<Database>;
  config: Config;
  /** Encrypts secrets at rest (TOTP seeds) with the node's key. */
  box: SecretBox;
}

export function systemActor(label = "system"): Actor {
  return { kind: "system", userId: null, label, roles: [], permissions: new Set() };
}

export const anonymousActor: Actor = {
  kind: "anonymous",
  userId: null,
  label: "anonymous",
  roles: [],
  permissions: new Set(),
};

/** Run `fn` in one transaction; the audit entry it writes commits or rolls back with the change. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}
