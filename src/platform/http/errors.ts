/**
 * One error type to the wire: `{"error":{"code","message","fields"}}`; unknown errors are
 * masked. And the one place where a refused request is recorded (platform/audit/refusals.ts):
 * every AppError of a refusal kind (REFUSAL_CODES) on an existing route is counted with its
 * actor, address, route pattern, object (the route's first parameter) and reason before the
 * answer goes out. Bad input (400, 413, 415), conflicts and the node's own failures are not
 * refusals: the caller was allowed, the request was wrong. Wrong passwords and codes are not
 * counted here either: sign-in audits each of them itself (auth.login_failed, auth.mfa_failed).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type ErrorBody, type ErrorCode, type FieldError } from "../../domain/errors.ts";
import type { Refusal, RefusalRecorder } from "../audit/refusals.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** Counts refused requests (server/app.ts decorates the node with it). */
    refusals?: RefusalRecorder;
  }
}

/** The codes that say "refused": who may not, or may not now. */
export const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "unauthenticated",
  "mfa_required",
  "csrf_failed",
  "client_certificate_required",
  "not_found",
  "account_locked",
  "rate_limited",
]);

/** What the thrower knows of a refusal that the error handler cannot see: a finer reason, the object, the actor. */
export type RefusalNote = Partial<
  Pick<Refusal, "reason" | "objectType" | "objectId" | "details" | "actorId" | "actorLabel">
>;

const notes = new WeakMap<object, RefusalNote>();

/** Mark an error as a refusal with what only its thrower knows, e.g. `throw refusal(AppError.notFound(), { reason: "permission" })`. */
export function refusal<E extends Error>(err: E, note: RefusalNote): E {
  notes.set(err, note);
  return err;
}

/** `/api/cases/:id` → the object a refusal names: `case` and the value of `:id` (other parameters in details). */
function objectOf(
  request: FastifyRequest,
  route: string,
): Pick<Refusal, "objectType" | "objectId" | "details"> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const names = [...route.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? "");
  const first = names[0];
  if (!first) return {};
  const segment = /\/([^/:]+)\/:/.exec(route)?.[1] ?? "";
  const objectType = segment === "inbox" || segment === "outbox" ? "message" : segment.replace(/s$/, "");
  const rest = Object.fromEntries(names.slice(1).map((n) => [n, String(params[n] ?? "").slice(0, 200)]));
  return {
    objectType,
    objectId: String(params[first] ?? "").slice(0, 200),
    ...(names.length > 1 ? { details: { params: rest } } : {}),
  };
}

/** The refusal a failed request stands for, or null when it is not one (or not on a route of this node). */
export function refusalOf(err: unknown, app: AppError, request: FastifyRequest): Refusal | null {
  const note = (err && typeof err === "object" ? notes.get(err) : undefined) ?? notes.get(app);
  if (!note && !REFUSAL_CODES.has(app.code)) return null;
  const route = request.routeOptions.url;
  // An unknown URL is not a refusal of anything this node has (scanners would fill the table).
  if (!route || request.is404) return null;
  const object = objectOf(request, route);
  return {
    actorId: request.actor?.userId ?? null,
    actorLabel: request.actor?.label ?? "anonymous",
    ip: request.ip,
    method: request.method,
    route,
    reason: app.code,
    requestId: request.id,
    ...object,
    ...note,
    ...(object.details || note?.details ? { details: { ...object.details, ...note?.details } } : {}),
  };
}

/** Count a refused request; a failure to count is logged, never turned into another answer. */
async function recordRefusal(err: unknown, app: AppError, request: FastifyRequest): Promise<void> {
  const recorder = request.server.refusals;
  if (!recorder) return;
  const r = refusalOf(err, app, request);
  if (!r) return;
  try {
    await recorder.record(r);
  } catch (e) {
    request.log.error({ err: e }, "a refusal could not be recorded");
  }
}

const CONTEXT_PREFIX: Record<string, string> = {
  body: "body",
  querystring: "query",
  params: "params",
  headers: "headers",
};

function validationFields(err: FastifyError): FieldError[] {
  const prefix = CONTEXT_PREFIX[err.validationContext ?? "body"] ?? "body";
  const out: FieldError[] = [];
  for (const v of err.validation ?? []) {
    const path = v.instancePath.split("/").filter(Boolean).join(".");
    const keys = (v.params as { keys?: unknown }).keys;
    if (v.keyword === "unrecognized_keys" && Array.isArray(keys)) {
      for (const k of keys)
        out.push({
          path: [prefix, path, String(k)].filter(Boolean).join("."),
          message: "is not a known field",
        });
      continue;
    }
    out.push({ path: [prefix, path].filter(Boolean).join("."), message: v.message ?? "is invalid" });
  }
  return out;
}

/** `bodyLimit`: the route's largest body, named when a body is refused for its size. */
export function toAppError(err: unknown, bodyLimit?: number): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const fields = validationFields(e);
    return new AppError("validation_failed", fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  switch (e?.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return bodyLimit
        ? new AppError(
            "payload_too_large",
            `The request body is larger than the ${bodyLimit} bytes this node accepts here.`,
            [{ path: "body", message: `must be at most ${bodyLimit} bytes` }],
          )
        : new AppError("payload_too_large", "The request body is larger than this node accepts.", [
            { path: "body", message: "is too large" },
          ]);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("unsupported_media_type", "Send the request body as application/json.", [
        { path: "headers.content-type", message: "must be application/json" },
      ]);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("malformed_json", "The JSON body is empty.", [
        { path: "body", message: "is empty" },
      ]);
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("malformed_json", "The body is not valid JSON.", [
        { path: "body", message: "is not valid JSON" },
      ]);
  }
  if (e?.statusCode === 429) {
    return new AppError("rate_limited", "Too many requests; slow down and try again shortly.");
  }
  if (e?.statusCode === 400 && typeof e.message === "string" && e.code?.startsWith("FST_ERR")) {
    return new AppError("validation_failed", e.message, [{ path: "request", message: e.message }]);
  }
  return null;
}

export async function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const app = toAppError(err, request.routeOptions.bodyLimit);
  if (!app) {
    if (isResponseSerializationError(err)) request.log.error({ err }, "response did not match its schema");
    else request.log.error({ err }, "unhandled error");
    const body: ErrorBody = {
      error: {
        code: "internal",
        message: "Something went wrong on this node. Quote the request id to the administrator.",
        fields: [],
        requestId: request.id,
      },
    };
    return reply.code(500).send(body);
  }
  if (app.status >= 500) request.log.error({ err }, app.message);
  await recordRefusal(err, app, request);
  if (
    (app.code === "account_locked" || app.code === "rate_limited") &&
    typeof app.details?.retryAfterSeconds === "number"
  ) {
    reply.header("retry-after", String(app.details.retryAfterSeconds));
  }
  const body: ErrorBody = {
    error: {
      code: app.code,
      message: app.message,
      fields: app.fields,
      requestId: request.id,
      ...(app.details ?? {}),
    },
  };
  return reply.code(app.status).send(body);
}
