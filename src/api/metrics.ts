// /metrics in the Prometheus text format: the control loop's state (read from its stats at scrape time) and
// the latency of every API request by route and status. Each API gets its own registry, so two in one
// process (tests, or a second listener) never share or clash over series.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { z } from "zod";
import type { ControlPlane } from "../service/control-plane.ts";
import type { ApiApp } from "./api-context.ts";
import { withProblems } from "./schemas/responses.ts";

/** Request latency buckets in seconds: sub-millisecond cache hits up to slow scrypt misses and big pages. */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Metrics other parts of the API keep up to date. */
export interface ApiMetrics {
  /** Open /v1/events streams. */
  eventStreams: Gauge;
}

export function registerMetrics(app: ApiApp, controlPlane: ControlPlane): ApiMetrics {
  const registry = new Registry();
  new Gauge({
    name: "fjord_queue_jobs",
    help: "Jobs waiting, per tier.",
    labelNames: ["tier"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [tier, jobs] of Object.entries(controlPlane.stats().queuedByTier)) this.set({ tier }, jobs);
    },
  });
  new Gauge({
    name: "fjord_allocated_gpus",
    help: "GPUs held by running jobs, per tier.",
    labelNames: ["tier"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [tier, gpus] of Object.entries(controlPlane.stats().allocatedGpusByTier))
        this.set({ tier }, gpus);
    },
  });
  let passesSeen = 0;
  new Counter({
    name: "fjord_scheduling_passes_total",
    help: "Scheduling passes run since the control plane started.",
    registers: [registry],
    collect() {
      const { passes } = controlPlane.stats();
      this.inc(passes - passesSeen);
      passesSeen = passes;
    },
  });
  new Gauge({
    name: "fjord_scheduling_pass_duration_seconds",
    help: "How long the latest scheduling pass took.",
    registers: [registry],
    collect() {
      const { lastPassDurationMs } = controlPlane.stats();
      if (lastPassDurationMs !== null) this.set(lastPassDurationMs / 1000);
    },
  });
  new Gauge({
    name: "fjord_executor_lag_seconds",
    help: "How far behind its schedule the executor is in reporting job ends.",
    registers: [registry],
    collect() {
      this.set(controlPlane.stats().executorLagMs / 1000);
    },
  });
  const latency = new Histogram({
    name: "fjord_http_request_duration_seconds",
    help: "API request latency by method, route pattern and status.",
    labelNames: ["method", "route", "status"],
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });

  const eventStreams = new Gauge({
    name: "fjord_event_streams",
    help: "Clients connected to /v1/events.",
    registers: [registry],
  });

  // Route patterns, not URLs: one series per endpoint however many ids are asked for.
  app.addHook("onResponse", async (request, reply) => {
    latency.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["operations"],
        summary: "Prometheus metrics",
        security: [],
        response: withProblems({
          200: {
            description: "Prometheus text format 0.0.4.",
            content: { "text/plain": { schema: z.string() } },
          },
        }),
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
  return { eventStreams };
}
