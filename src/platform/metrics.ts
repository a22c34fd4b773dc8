/** Prometheus metrics of one node (its own registry, so several nodes can share a process). */
import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { INTEGRITY_CHAINS, type IntegrityReport } from "../domain/integrity.ts";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
}

export function createMetrics(nodeId: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "ariadne_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

/**
 * The node's integrity, read from its report at each scrape: `ariadne_integrity_ok{chain}` is 1
 * when the chain verified, 0 when it is broken (absent until first checked);
 * `ariadne_integrity_verified_timestamp_seconds{scope="last"|"full"}` the last check (the recent
 * part at start, or a full pass) and the last full pass;
 * `ariadne_integrity_verifying` 1 while a pass runs.
 */
export function registerIntegrityMetrics(metrics: Metrics, report: () => IntegrityReport): void {
  new Gauge({
    name: "ariadne_integrity_ok",
    help: "1 when the chain (audit, crisis_log, attachments) verified at the last check, 0 when broken",
    labelNames: ["chain"] as const,
    registers: [metrics.registry],
    collect() {
      const r = report();
      this.reset();
      const byChain = { audit: r.audit.ok, crisis_log: r.crisisLogs.ok, attachments: r.attachments.ok };
      for (const chain of INTEGRITY_CHAINS) {
        const v = byChain[chain];
        if (v !== null) this.set({ chain }, v ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "ariadne_integrity_verified_timestamp_seconds",
    help: "When the last integrity check finished (scope last: any, the recent part at start included; full: every chain and hash)",
    labelNames: ["scope"] as const,
    registers: [metrics.registry],
    collect() {
      const r = report();
      this.reset();
      if (r.checkedAt) this.set({ scope: "last" }, Date.parse(r.checkedAt) / 1000);
      if (r.fullCheckedAt) this.set({ scope: "full" }, Date.parse(r.fullCheckedAt) / 1000);
    },
  });
  new Gauge({
    name: "ariadne_integrity_verifying",
    help: "1 while an integrity pass runs",
    registers: [metrics.registry],
    collect() {
      this.set(report().running ? 1 : 0);
    },
  });
}
