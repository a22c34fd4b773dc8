/** Administration of staff accounts and roles. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  approvalSchema,
  label,
  languageSchema,
  passwordSchema,
  permissionSchema,
  roleSchema,
  text,
  tokenSchema,
  usernameSchema,
  userSchema,
  userStatusSchema,
} from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import * as tokens from "./tokens.ts";
import * as users from "./users.ts";

const withTemp = z.object({ user: userSchema, temporaryPassword: z.string().optional() });
/** 202: the change waits for a second administrator (POST /api/approvals/{id}/approve). */
const held = z.object({ approval: approvalSchema });
const FOUR_EYES =
  " An administrator's change to an account on a case team (or a grant of a role with case work) answers 202 with the request that waits for a second administrator.";

export function userRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get("/api/users", {
    config: { access: "users.read", purpose: "user administration" },
    schema: {
      tags: ["users"],
      summary: "List staff accounts",
      querystring: z.strictObject({
        status: userStatusSchema.optional(),
        role: roleSchema.optional(),
        q: text(100).optional(),
      }),
      response: { 200: z.object({ users: z.array(userSchema) }), ...errorResponses },
    },
    handler: async (req) => ({ users: await users.listUsers(ctxOf(req, deps), req.query) }),
  });

  r.get("/api/colleagues", {
    config: { access: "cases.work" },
    schema: {
      tags: ["cases"],
      summary:
        "Colleagues who can serve on a case team (active, with a case-work role), by user name or display name",
      querystring: z.strictObject({ q: text(100, 2) }),
      response: {
        200: z.object({
          colleagues: z.array(
            z.object({
              userId: z.uuid(),
              username: z.string(),
              displayName: z.string(),
              roles: z.array(roleSchema),
            }),
          ),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => ({ colleagues: await users.findColleagues(ctxOf(req, deps), req.query) }),
  });

  r.post("/api/users", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: `Create an account; without a password a one-time password is returned.${FOUR_EYES}`,
      body: z.strictObject({
        username: usernameSchema,
        displayName: label(200, 1),
        roles: z.array(roleSchema).min(1, "must name at least one role").max(11),
        password: passwordSchema.optional(),
        language: languageSchema.optional(),
      }),
      response: { 201: withTemp, 202: held, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await users.createAccount(ctxOf(req, deps), req.body);
      return "approval" in out ? reply.code(202).send(out) : reply.code(201).send(out);
    },
  });

  r.get("/api/users/:id", {
    config: { access: "users.read", purpose: "user administration" },
    schema: {
      tags: ["users"],
      summary: "One account (the read is audited with its purpose)",
      params: idParams,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: async (req) => users.getUser(ctxOf(req, deps), req.params.id, purposeOf(req)),
  });

  r.patch("/api/users/:id", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: `Change display name, roles or status.${FOUR_EYES} The other fields take effect at once.`,
      params: idParams,
      body: z
        .strictObject({
          displayName: label(200, 1).optional(),
          roles: z.array(roleSchema).min(1, "must name at least one role").max(11).optional(),
          status: userStatusSchema.optional(),
        })
        .refine((b) => Object.keys(b).length > 0, "must change at least one field"),
      response: {
        200: userSchema,
        202: z.object({ user: userSchema, approval: approvalSchema }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const out = await users.updateUser(ctxOf(req, deps), req.params.id, req.body);
      return out.approval ? reply.code(202).send({ user: out.user, approval: out.approval }) : out.user;
    },
  });

  r.post("/api/users/:id/reset-mfa", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: `Remove the second factor; the user enrols again at next sign-in.${FOUR_EYES}`,
      params: idParams,
      response: { 200: userSchema, 202: held, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await users.resetMfa(ctxOf(req, deps), req.params.id);
      return "approval" in out ? reply.code(202).send(out) : out.user;
    },
  });

  r.post("/api/users/:id/unlock", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: "Release a lockout",
      params: idParams,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: async (req) => users.unlockUser(ctxOf(req, deps), req.params.id),
  });

  r.post("/api/users/:id/reset-password", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: `Replace the password with a one-time password and end the user's sessions.${FOUR_EYES}`,
      params: idParams,
      response: {
        200: z.object({ user: userSchema, temporaryPassword: z.string() }),
        202: held,
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const out = await users.resetPassword(ctxOf(req, deps), req.params.id);
      return "approval" in out ? reply.code(202).send(out) : out;
    },
  });

  r.post("/api/users/:id/tokens", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary:
        "Request an API token for another account (e.g. a service account): it waits for a second administrator (202); the secret is shown once, to the approver",
      params: idParams,
      body: z.strictObject({
        name: text(100, 1),
        scopes: z.array(permissionSchema).min(1, "must name at least one scope").max(50),
        expiresInDays: z.number().int("must be a whole number").min(1).max(365),
      }),
      response: {
        201: z.object({ token: tokenSchema, secret: z.string() }),
        202: held,
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const out = await tokens.requestTokenFor(ctxOf(req, deps), req.params.id, req.body);
      return "approval" in out ? reply.code(202).send(out) : reply.code(201).send(out);
    },
  });
}
