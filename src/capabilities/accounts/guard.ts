/**
 * Authentication and authorization in one place.
 * onRequest: resolve the caller (session cookie or bearer token) into an Actor.
 * preValidation: enforce the route's declared access, CSRF for cookie sessions,
 * and answer 404 — not 403 — when the caller lacks the permission.
 * Every refusal here is recorded by the error handler (platform/http/errors.ts); what it
 * cannot see for itself — why a token was refused, the permission missing — is noted on
 * the error with `refusal()`.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { anonymousActor } from "../../platform/context.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { refusal } from "../../platform/http/errors.ts";
import { CSRF_HEADER } from "../../platform/http/request.ts";
import { actorForUser, checkApiToken, resolveSession, SESSION_COOKIE } from "./auth.ts";
import "../../platform/http/access.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function registerGuard(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest("actor", null as unknown as FastifyRequest["actor"]);
  app.decorateRequest("session", null);
  app.decorateRequest("via", "none");

  app.addHook("onRequest", async (request) => {
    request.actor = anonymousActor;
    request.session = null;
    request.via = "none";
    // The path without its query: `/metrics?name[]=…` is the metrics route as much as `/metrics`.
    const path = request.url.split("?", 1)[0] ?? "";
    if (!path.startsWith("/api/") && path !== "/metrics") return;
    const authz = request.headers.authorization;
    if (authz?.startsWith("Bearer ")) {
      const checked = await checkApiToken(deps.db.kysely, authz.slice(7).trim());
      if (!("actor" in checked))
        throw refusal(new AppError("unauthenticated", "The API token is unknown, expired or revoked."), {
          reason: checked.refused,
          ...(checked.tokenId
            ? {
                objectType: "api_token",
                objectId: checked.tokenId,
                details: { owner: checked.owner?.username },
              }
            : {}),
        });
      request.actor = checked.actor;
      request.via = "token";
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie && cookie.length < 200) {
      const session = await resolveSession(deps.db.kysely, deps.config, cookie);
      if (session) {
        request.session = session;
        request.via = "session";
        // A half-authenticated session acts as its user (for the audit trail) but holds no permission.
        const actor = actorForUser(session.user);
        request.actor = session.stage === "full" ? actor : { ...actor, roles: [], permissions: new Set() };
      }
    }
  });

  app.addHook("preValidation", async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === "public") return;
    if (request.via === "none") throw new AppError("unauthenticated", "Sign in first.");
    if (request.via === "session" && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== "string" || sent !== request.session?.csrfToken) {
        throw AppError.field(
          `headers.${CSRF_HEADER}`,
          "is missing or does not match this session",
          "csrf_failed",
        );
      }
    }
    if (access === "partial") {
      if (!request.session)
        throw new AppError("unauthenticated", "This step belongs to an interactive sign-in.");
      return;
    }
    if (request.via === "session" && request.session?.stage !== "full") {
      throw new AppError("mfa_required", "Complete the second factor first.");
    }
    if (!request.actor.permissions.has(access)) {
      // Counted as access.refused with the permission missing (the trail's authz.denied, aggregated).
      throw refusal(AppError.notFound("resource"), { reason: "permission", details: { permission: access } });
    }
  });
}
