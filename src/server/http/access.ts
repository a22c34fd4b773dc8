/**
 * Route access declarations. Every /api route declares `config.access`; the
 * server refuses to start when one does not (see `app.ts`, onRoute).
 *
 * - `public`: anyone (health, login, the OpenAPI document).
 * - `partial`: a session that gave its password and still owes the second factor.
 * - a Permission: a full session or an API token whose scopes include it.
 */
import type { Permission } from "../../domain/roles.ts";
import type { Actor } from "../context.ts";
import type { ResolvedSession } from "../usecases/auth.ts";

export type Access = "public" | "partial" | Permission;

export interface RouteRecord {
  method: string;
  url: string;
  access: Access;
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /** The purpose recorded when this route reads personal data and the caller states none. */
    purpose?: string;
  }
  interface FastifyRequest {
    actor: Actor;
    session: ResolvedSession | null;
    via: "session" | "token" | "none";
  }
}
