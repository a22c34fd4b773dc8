/** Sign-in, second factor, enrolment, sign-out and the caller's own session. */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import { languageSchema, sessionViewSchema, text, totpCodeSchema, userSchema } from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as auth from "./auth.ts";
import { presentUser } from "./presenters.ts";
import { updateOwnPreferences } from "./users.ts";

const stageSchema = z.object({ stage: z.enum(["mfa", "enrol"]), csrfToken: z.string() });
const doneSchema = z.object({ ok: z.literal(true), csrfToken: z.string() });

export function authRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(auth.SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "strict",
      secure: deps.config.secureCookies,
      path: "/",
    });
  const rateLimit = { max: deps.config.login.rateLimitPerMinute, timeWindow: "1 minute" };
  const session = (req: { session: auth.ResolvedSession | null }) => {
    if (!req.session) throw new AppError("unauthenticated", "Sign in first.");
    return req.session;
  };

  r.post("/api/auth/login", {
    config: { access: "public", rateLimit },
    schema: {
      tags: ["auth"],
      summary: "Sign in with username and password; the second factor follows",
      body: z.strictObject({ username: text(64, 1), password: text(256, 1) }),
      response: { 200: stageSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const result = await auth.login(ctxOf(req, deps), {
        ...req.body,
        userAgent: req.headers["user-agent"] ?? null,
      });
      setCookie(reply, result.token);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  });

  /** A code that completes the sign-in: the session becomes a full one under a new id. */
  const codeRoute = (url: string, summary: string, complete: typeof auth.verifySecondFactor) =>
    r.post(url, {
      config: { access: "partial", rateLimit },
      schema: {
        tags: ["auth"],
        summary,
        body: z.strictObject({ code: totpCodeSchema }),
        response: { 200: doneSchema, ...errorResponses },
      },
      handler: async (req, reply) => {
        const s = await complete(
          ctxOf(req, deps),
          session(req),
          req.body.code,
          req.headers["user-agent"] ?? null,
        );
        setCookie(reply, s.token);
        return { ok: true as const, csrfToken: s.csrfToken };
      },
    });

  codeRoute(
    "/api/auth/totp",
    "Give the current six-digit code of the enrolled authenticator",
    auth.verifySecondFactor,
  );
  codeRoute(
    "/api/auth/enrol/confirm",
    "Confirm the authenticator with its first code; the session becomes a full session",
    auth.confirmEnrolment,
  );

  r.post("/api/auth/enrol/start", {
    config: { access: "partial", rateLimit },
    schema: {
      tags: ["auth"],
      summary: "Begin enrolling an authenticator app (first sign-in or after a reset)",
      response: {
        200: z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }),
        ...errorResponses,
      },
    },
    handler: async (req) => auth.startEnrolment(ctxOf(req, deps), session(req)),
  });

  r.post("/api/auth/logout", {
    config: { access: "partial" },
    schema: {
      tags: ["auth"],
      summary: "Sign out",
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
    handler: async (req, reply) => {
      await auth.logout(ctxOf(req, deps), session(req));
      reply.clearCookie(auth.SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  });

  r.get("/api/auth/session", {
    config: { access: "self.read" },
    schema: {
      tags: ["auth"],
      summary: "The caller's account, computed permissions and CSRF token",
      response: { 200: sessionViewSchema, ...errorResponses },
    },
    handler: async (req) => {
      const user = req.session?.user;
      if (!user || !req.actor.userId) {
        // An API token: the owner, without a CSRF token.
        const row = await deps.db.kysely
          .selectFrom("users")
          .selectAll()
          .where("id", "=", req.actor.userId ?? "")
          .executeTakeFirstOrThrow();
        return {
          user: presentUser(row),
          permissions: [...req.actor.permissions],
          csrfToken: "",
          nodeId: deps.config.nodeId,
          sandbox: deps.config.mode === "sandbox",
        };
      }
      return {
        user: presentUser(user),
        permissions: [...req.actor.permissions].sort(),
        csrfToken: req.session?.csrfToken ?? "",
        nodeId: deps.config.nodeId,
        sandbox: deps.config.mode === "sandbox",
      };
    },
  });

  r.patch("/api/me/preferences", {
    config: { access: "self.update" },
    schema: {
      tags: ["auth"],
      summary: "Change one's own preferences (interface language)",
      body: z.strictObject({ language: languageSchema }),
      response: { 200: userSchema, ...errorResponses },
    },
    handler: async (req) => updateOwnPreferences(ctxOf(req, deps), req.body),
  });
}
