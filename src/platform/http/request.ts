/** What a route handler reads off a request: the use case's context, and the purpose of a read. */
import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import type { Ctx } from "../context.ts";
import type { AppDeps } from "../deps.ts";

export const CSRF_HEADER = "x-csrf-token";
export const PURPOSE_HEADER = "x-ariadne-purpose";

export function ctxOf(request: FastifyRequest, deps: AppDeps): Ctx {
  return {
    actor: request.actor,
    requestId: request.id,
    ip: request.ip,
    db: deps.db.kysely,
    config: deps.config,
    box: deps.box,
  };
}

/** The purpose of a read of personal data: stated by the user, or the route's default. */
export function purposeOf(request: FastifyRequest): string {
  const stated = request.headers[PURPOSE_HEADER];
  if (typeof stated === "string" && stated.trim()) {
    let p: string;
    try {
      p = decodeURIComponent(stated).trim();
    } catch {
      throw AppError.field(`headers.${PURPOSE_HEADER}`, "is not valid percent-encoding (write % as %25)");
    }
    if (p.length > 500 || !p.isWellFormed() || p.includes("\u0000")) {
      throw AppError.field(`headers.${PURPOSE_HEADER}`, "must be at most 500 characters of text");
    }
    return p;
  }
  return request.routeOptions.config.purpose ?? "not stated";
}
