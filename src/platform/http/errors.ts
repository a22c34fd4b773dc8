/** One error type to the wire: `{"error":{"code","message","fields"}}`; unknown errors are masked. */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type ErrorBody, type FieldError } from "../../domain/errors.ts";

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

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
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
