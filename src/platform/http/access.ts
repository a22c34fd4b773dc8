/**
 * Route access declarations. Every /api route declares `config.access`; the
 * server refuses to start when one does not (see `app.ts`, onRoute).
 *
 * - `public`: anyone (health, login, the OpenAPI document).
 * - `partial`: a session that gave its password and still owes the second factor.
 * - a Permission: a full session or an API token whose scopes include it.
 */
import type { FastifyInstance } from "fastify";
import type { Selectable } from "kysely";
import type { Permission } from "../../domain/roles.ts";
import type { Actor } from "../context.ts";
import type { UsersTable } from "../db/schema.ts";

export type SessionStage = "mfa" | "enrol" | "full";

/** A signed-in browser session as the guard resolved it. */
export interface ResolvedSession {
  idHash: Buffer;
  stage: SessionStage;
  csrfToken: string;
  user: Selectable<UsersTable>;
}

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

const API_ROOTS = ["/health", "/ready", "/metrics"];

/**
 * Collect every API route with its access declaration, and refuse to start
 * when a route declares none: a new route without a policy cannot ship.
 */
export function registerRouteRegistry(app: FastifyInstance): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook("onRoute", (route) => {
    const url = route.url;
    const isApi = url.startsWith("/api/") || API_ROOTS.includes(url);
    if (!isApi || url.startsWith("/api/docs")) return;
    const access = route.config?.access;
    if (!access)
      throw new Error(`route ${String(route.method)} ${url} declares no access policy (config.access)`);
    for (const method of [route.method].flat()) if (method !== "HEAD") routes.push({ method, url, access });
  });
  return routes;
}
