/** Administration of staff accounts and roles. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  label,
  languageSchema,
  passwordSchema,
  roleSchema,
  text,
  usernameSchema,
  userSchema,
  userStatusSchema,
} from "../../domain/schemas.ts";
import type { AppDeps } from "../../platform/deps.ts";
import { errorResponses, idParams } from "../../platform/http/common.ts";
import { ctxOf, purposeOf } from "../../platform/http/request.ts";
import * as users from "./users.ts";

const withTemp = z.object({ user: userSchema, temporaryPassword: z.string().optional() });

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
      summary: "Create an account; without a password a one-time password is returned",
      body: z.strictObject({
        username: usernameSchema,
        displayName: label(200, 1),
        roles: z.array(roleSchema).min(1, "must name at least one role").max(11),
        password: passwordSchema.optional(),
        language: languageSchema.optional(),
      }),
      response: { 201: withTemp, ...errorResponses },
    },
    handler: async (req, reply) => {
      const out = await users.createUser(ctxOf(req, deps), req.body);
      return reply.code(201).send(out);
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
      summary: "Change display name, roles or status",
      params: idParams,
      body: z
        .strictObject({
          displayName: label(200, 1).optional(),
          roles: z.array(roleSchema).min(1, "must name at least one role").max(11).optional(),
          status: userStatusSchema.optional(),
        })
        .refine((b) => Object.keys(b).length > 0, "must change at least one field"),
      response: { 200: userSchema, ...errorResponses },
    },
    handler: async (req) => users.updateUser(ctxOf(req, deps), req.params.id, req.body),
  });

  r.post("/api/users/:id/reset-mfa", {
    config: { access: "users.manage" },
    schema: {
      tags: ["users"],
      summary: "Remove the second factor; the user enrols again at next sign-in",
      params: idParams,
      response: { 200: userSchema, ...errorResponses },
    },
    handler: async (req) => users.resetMfa(ctxOf(req, deps), req.params.id),
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
      summary: "Replace the password with a one-time password and end the user's sessions",
      params: idParams,
      response: { 200: z.object({ user: userSchema, temporaryPassword: z.string() }), ...errorResponses },
    },
    handler: async (req) => users.resetPassword(ctxOf(req, deps), req.params.id),
  });
}
