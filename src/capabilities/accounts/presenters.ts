/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import type { Permission, Role } from "../../domain/roles.ts";
import type { Language, TokenView, UserView } from "../../domain/schemas.ts";
import type { ApiTokensTable, UsersTable } from "../../platform/db/schema.ts";
import { iso, isoOrNull } from "../../platform/time.ts";

export function presentUser(u: Selectable<UsersTable>, now = Date.now()): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles as Role[],
    status: u.status,
    mfaEnrolled: u.mfa_secret_enc !== null,
    locked: u.locked_until !== null && new Date(u.locked_until).getTime() > now,
    language: u.language as Language,
    createdAt: iso(u.created_at),
    lastLoginAt: isoOrNull(u.last_login_at),
  };
}

export function presentToken(t: Selectable<ApiTokensTable>): TokenView {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes as Permission[],
    createdAt: iso(t.created_at),
    expiresAt: iso(t.expires_at),
    revokedAt: isoOrNull(t.revoked_at),
    lastUsedAt: isoOrNull(t.last_used_at),
  };
}
