/**
 * Builds the HTTP application of one node: plugins, hooks, routes. No listening
 * here (see `node.ts`), so tests drive it with `inject` and benches with a port.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Logger } from "pino";
import { approvalRoutes } from "../capabilities/accounts/approvals.routes.ts";
import { authRoutes } from "../capabilities/accounts/auth.routes.ts";
import { registerGuard } from "../capabilities/accounts/guard.ts";
import { tokenRoutes } from "../capabilities/accounts/tokens.routes.ts";
import { userRoutes } from "../capabilities/accounts/users.routes.ts";
import { integrityRoutes } from "../capabilities/audit/integrity.routes.ts";
import { IntegrityMonitor } from "../capabilities/audit/integrity-monitor.ts";
import { auditRoutes } from "../capabilities/audit/routes.ts";
import { caseExportRoutes } from "../capabilities/case-export/routes.ts";
import { caseRecordRoutes } from "../capabilities/case-records/routes.ts";
import { caseRoutes } from "../capabilities/cases/routes.ts";
import { hitRoutes } from "../capabilities/hits/index.ts";
import { messageRoutes } from "../capabilities/messages/index.ts";
import { peerRoutes } from "../capabilities/peers/routes.ts";
import { statisticsRoutes } from "../capabilities/statistics/index.ts";
import { systemRoutes } from "../capabilities/system/routes.ts";
import { AppError } from "../domain/errors.ts";
import { AuditSealer } from "../platform/audit/index.ts";
import { RefusalFlusher, RefusalRecorder } from "../platform/audit/refusals.ts";
import { type Ctx, systemActor } from "../platform/context.ts";
import type { AppDeps } from "../platform/deps.ts";
import { DeliveryWorker } from "../platform/exchange/delivery.ts";
import { envelopeRoutes } from "../platform/exchange/routes.ts";
import { type RouteRecord, registerRouteRegistry } from "../platform/http/access.ts";
import { errorHandler } from "../platform/http/errors.ts";
import { registerJsonParser } from "../platform/http/json.ts";
import { registerSchemaRefs } from "../platform/http/schema-refs.ts";
import { LiveEvents } from "../platform/live.ts";
import { createMetrics, registerIntegrityMetrics, registerMetrics } from "../platform/metrics.ts";
import { REPO_ROOT } from "../platform/paths.ts";
import { nodeMessageTypes } from "./message-types.ts";
import { sandboxRoutes } from "./sandbox.ts";

export type { AppDeps };

export const WEB_DIST = resolve(REPO_ROOT, "dist/web");

/** The longest path segment the router takes as a parameter (ids are UUIDs; file names go in the query). */
const MAX_PARAM_LENGTH = 200;

export interface BuiltApp {
  app: FastifyInstance;
  routes: RouteRecord[];
}

export async function buildApp(
  input: Omit<AppDeps, "metrics" | "live" | "delivery" | "messageTypes" | "integrity"> & {
    logger?: Logger | boolean;
    webDist?: string;
    /** Started by openNode before the app is built; otherwise the app makes one and starts it when ready. */
    integrity?: IntegrityMonitor;
  },
): Promise<BuiltApp> {
  const workerCtx: Ctx = {
    actor: systemActor("delivery"),
    requestId: null,
    ip: null,
    db: input.db.kysely,
    config: input.config,
    box: input.box,
  };
  const delivery = new DeliveryWorker(workerCtx, (err) =>
    app.log.error({ err }, "federation delivery failed"),
  );
  const integrity =
    input.integrity ??
    new IntegrityMonitor(
      { ...workerCtx, actor: systemActor("integrity") },
      { info: (o, m) => app.log.info(o, m), error: (o, m) => app.log.error(o, m) },
      input.config.integrity,
    );
  const deps: AppDeps = {
    ...input,
    integrity,
    metrics: createMetrics(input.config.nodeId),
    live: new LiveEvents(),
    delivery,
    messageTypes: nodeMessageTypes(),
  };
  const tls = input.config.tls;
  const app = Fastify({
    // HTTPS served by the node itself; with a client CA, browsers still connect without a
    // certificate (TLS does not refuse them) and the envelope route demands a verified one.
    ...(tls
      ? {
          https: {
            cert: tls.cert,
            key: tls.key,
            ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
          },
        }
      : {}),
    loggerInstance: typeof input.logger === "object" ? input.logger : undefined,
    logger: typeof input.logger === "boolean" ? input.logger : undefined,
    bodyLimit: input.config.bodyLimit,
    // Only the configured proxies may say who the client is (X-Forwarded-For); no list: nobody.
    trustProxy: input.config.trustProxy.length > 0 ? [...input.config.trustProxy] : false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's own refusals (a path segment over maxParamLength, a malformed escape) in the
    // one error envelope rather than Fastify's default body.
    frameworkErrors: (err, request, reply) =>
      errorHandler(
        err.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? AppError.field("params", `is longer than ${MAX_PARAM_LENGTH} characters`)
          : err,
        request,
        reply,
      ),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Refused requests are counted by the error handler, and moved into the trail each minute.
  const refusals = new RefusalRecorder(input.db.kysely);
  app.decorate("refusals", refusals);
  registerJsonParser(app);
  registerSchemaRefs();

  const routes = registerRouteRegistry(app);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: input.config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: input.config.secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Ariadne national node API",
        version: "1",
        description:
          "The HTTP API of an Ariadne node. Browser sessions use the `ariadne_session` cookie plus the `x-csrf-token` header on writes; machine clients use `Authorization: Bearer ariadne_…` API tokens.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "ariadne_session" },
          token: { type: "http", scheme: "bearer" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", staticCSP: true });

  registerGuard(app, deps);
  registerMetrics(app, deps.metrics);
  registerIntegrityMetrics(deps.metrics, () => integrity.report());
  systemRoutes(app, deps);
  authRoutes(app, deps);
  userRoutes(app, deps);
  tokenRoutes(app, deps);
  approvalRoutes(app, deps);
  auditRoutes(app, deps);
  integrityRoutes(app, deps);
  caseRoutes(app, deps);
  caseExportRoutes(app, deps);
  caseRecordRoutes(app, deps);
  peerRoutes(app, deps);
  messageRoutes(app, deps);
  envelopeRoutes(app, deps);
  hitRoutes(app, deps);
  statisticsRoutes(app, deps);
  if (input.config.mode === "sandbox") sandboxRoutes(app, deps);

  const webDist = input.webDist ?? WEB_DIST;
  const hasWeb = existsSync(join(webDist, "index.html"));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: true, index: "index.html" });
  app.setNotFoundHandler((request, reply) => {
    if (
      hasWeb &&
      request.method === "GET" &&
      !request.url.startsWith("/api/") &&
      !request.url.includes(".")
    ) {
      return reply.sendFile("index.html");
    }
    // The router answers an over-long segment itself only when no other route could match; with
    // a wildcard beside (the web app's files) it falls through to here: the same answer either way.
    const path = request.url.split("?", 1)[0] ?? "";
    if (path.split("/").some((segment) => segment.length > MAX_PARAM_LENGTH)) {
      return errorHandler(
        AppError.field("params", `is longer than ${MAX_PARAM_LENGTH} characters`),
        request,
        reply,
      );
    }
    return errorHandler(AppError.notFound("route"), request, reply);
  });

  const sealer = new AuditSealer(input.db.kysely, (err) => app.log.error({ err }, "audit sealer failed"));
  app.addHook("onReady", async () => sealer.start());
  app.addHook("onReady", async () => delivery.start());
  app.addHook("onReady", async () => void (await integrity.start()));
  app.addHook("preClose", async () => integrity.stop());
  app.addHook("preClose", async () => delivery.stop());
  // Open live streams end when the node shuts down, so that it can.
  app.addHook("preClose", async () => deps.live.closeAll());
  const flusher = new RefusalFlusher(input.db.kysely, refusals, (err) =>
    app.log.error({ err }, "moving refusals into the audit trail failed"),
  );
  app.addHook("onReady", async () => flusher.start());
  // The refusals still counted go into the trail before the sealer's last run.
  app.addHook("onClose", async () => {
    await flusher.stop();
    await sealer.stop();
  });

  await app.ready();
  return { app, routes };
}
