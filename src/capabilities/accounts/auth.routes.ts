/** Sign-in, second factor, enrolment, sign-out and the caller's own session. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import { languageSchema, sessionViewSchema, text, totpCodeSchema, userSchema } from "../../domain/schemas.ts";
import { dummyPasswordHash } from "../../platform/auth/crypto.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses } from "../../platform/http/common.ts";
import { ctxOf } from "../../platform/http/request.ts";
import * as auth from "./auth.ts";
import { presentUser } from "./presenters.ts";
import {
  countedAddress,
  DEVICE_COOKIE,
  DEVICE_COOKIE_PATH,
  DEVICE_LIFETIME_MS,
  deviceTokens,
  normaliseUsername,
  throttledError,
} from "./throttle.ts";
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
  const setDeviceCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(DEVICE_COOKIE, value, {
      httpOnly: true,
      sameSite: "strict",
      secure: deps.config.secureCookies,
      path: DEVICE_COOKIE_PATH,
      maxAge: Math.floor(DEVICE_LIFETIME_MS / 1000),
    });
  const meta = (req: FastifyRequest) => ({
    userAgent: req.headers["user-agent"] ?? null,
    deviceTokens: deviceTokens(req.cookies[DEVICE_COOKIE]),
  });
  // The first unknown username does not pay for making the dummy hash.
  void dummyPasswordHash();
  /** The 429 of the in-memory limits: the same answer as the throttle's (auth.ts). */
  const limited = (_req: FastifyRequest, context: { ttl: number }) =>
    throttledError(new Date(Date.now() + context.ttl));
  /**
   * Sign-in requests per minute per address *and* username (after the body is read),
   * so that one address cannot shut out the others' accounts behind it (NAT).
   */
  const loginLimit = {
    max: deps.config.login.rateLimitPerMinute,
    timeWindow: "1 minute",
    hook: "preHandler" as const,
    keyGenerator: (req: FastifyRequest) => {
      const body = req.body as { username?: unknown } | undefined;
      const username = typeof body?.username === "string" ? normaliseUsername(body.username) : "";
      return `${countedAddress(req.ip)}|${username}`;
    },
    errorResponseBuilder: limited,
  };
  /** Code attempts per minute per session (or address without one). */
  const codeLimit = {
    max: deps.config.login.rateLimitPerMinute,
    timeWindow: "1 minute",
    keyGenerator: (req: FastifyRequest) => req.cookies[auth.SESSION_COOKIE] ?? countedAddress(req.ip),
    errorResponseBuilder: limited,
  };
  /** A generous ceiling per address whatever the usernames, against spraying from one address. */
  const addressLimit = app.createRateLimit({
    max: deps.config.login.addressRateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => countedAddress(req.ip),
  });
  const addressCeiling = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await addressLimit(req);
    if (!r.isAllowed && r.isExceeded) {
      reply.header("retry-after", String(Math.max(1, r.ttlInSeconds)));
      throw throttledError(new Date(Date.now() + r.ttl));
    }
  };
  const session = (req: { session: auth.ResolvedSession | null }) => {
    if (!req.session) throw new AppError("unauthenticated", "Sign in first.");
    return req.session;
  };

  r.post("/api/auth/login", {
    config: { access: "public", rateLimit: loginLimit },
    onRequest: addressCeiling,
    schema: {
      tags: ["auth"],
      summary: "Sign in with username and password; the second factor follows",
      body: z.strictObject({ username: text(64, 1), password: text(256, 1) }),
      response: { 200: stageSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      const result = await auth.login(ctxOf(req, deps), { ...req.body, ...meta(req) });
      setCookie(reply, result.token);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  });

  /** A code that completes the sign-in: the session becomes a full one under a new id. */
  const codeRoute = (url: string, summary: string, complete: typeof auth.verifySecondFactor) =>
    r.post(url, {
      config: { access: "partial", rateLimit: codeLimit },
      schema: {
        tags: ["auth"],
        summary,
        body: z.strictObject({ code: totpCodeSchema }),
        response: { 200: doneSchema, ...errorResponses },
      },
      handler: async (req, reply) => {
        const s = await complete(ctxOf(req, deps), session(req), req.body.code, meta(req));
        setCookie(reply, s.token);
        setDeviceCookie(reply, s.deviceCookie);
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
    config: { access: "partial", rateLimit: codeLimit },
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
