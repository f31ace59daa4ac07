// Fjord's HTTP API: /v1 for tenants and operators (bearer API keys, roles, per-key rate limits), and the
// operations endpoints (/healthz, /readyz, /metrics, /openapi.json, /docs) for the people who run it.
// Returns the app without listening, so tests drive it with inject() and the service picks the address.
import Fastify from "fastify";
import { serializerCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { ControlPlane } from "../service/control-plane.ts";
import { AccountingThread } from "../workers/accounting-thread.ts";
import type { ApiApp, ApiContext } from "./api-context.ts";
import { authenticateHook } from "./auth/authenticate-hook.ts";
import { Authenticator } from "./auth/authenticator.ts";
import { EventTickets } from "./auth/event-tickets.ts";
import { clientErrorHandler } from "./client-error.ts";
import { frameworkErrorHandler, MAX_PARAM_LENGTH, registerErrorHandling } from "./error-handling.ts";
import { useJsonBodyParser } from "./json-body.ts";
import { registerMetrics } from "./metrics.ts";
import { registerOpenApi } from "./openapi.ts";
import { registerRateLimit } from "./rate-limit.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { auditRoutes } from "./routes/audit.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { eventTicketRoutes } from "./routes/event-tickets.ts";
import { facilityRoutes } from "./routes/facility.ts";
import { facilityEnergyRoutes } from "./routes/facility-energy.ts";
import { facilityRackRoutes } from "./routes/facility-racks.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { meRoutes } from "./routes/me.ts";
import { operationsRoutes } from "./routes/operations.ts";
import { queueRoutes } from "./routes/queue.ts";
import { reportRoutes } from "./routes/reports.ts";
import { simulationReportRoutes } from "./routes/simulation-reports.ts";
import { tenantRoutes } from "./routes/tenants.ts";
import { tierRoutes } from "./routes/tiers.ts";
import { usageRoutes } from "./routes/usage.ts";
import type { SimulationReports } from "./simulation-reports.ts";
import { SiteReachability } from "./site-reachability.ts";
import { eventRoutes } from "./sse.ts";
import { type EnergyContext, syntheticEnergyContext } from "./usage-signals.ts";
import { validatorCompiler } from "./validation.ts";

export interface ApiOptions {
  controlPlane: ControlPlane;
  /** Fastify's pino logger: true for JSON logs at info level, or pino options. Default off. */
  logger?: boolean | object;
  /** Requests per minute per API key when the key sets none. Default 600. */
  defaultRateLimitPerMin?: number;
  /** Largest request body accepted. Default 64 KiB. */
  bodyLimitBytes?: number;
  /** Seconds between heartbeat comments on /v1/events. Default 15. */
  heartbeatIntervalS?: number;
  /** Hourly signals for /v1/usage. Default: the seeded synthetic series (seed 1) of the facility's sites. */
  energy?: EnergyContext;
  /**
   * Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges), so limits that go
   * by client address see the client, not the proxy. Default: none.
   */
  trustedProxies?: string[];
  /**
   * What runs each site's jobs, by site id, as /v1/facility/racks names it (e.g. `slurm`); a site left out
   * is `simulated`, fjord serve's executor.
   */
  siteExecutors?: Record<string, string>;
  /** Each Slurm site's slurm.conf, by site id, so the floor map says whether its controller answers. */
  slurmConfs?: ReadonlyMap<string, string>;
  /** The runs fjord simulate wrote, for /v1/simulation-reports; none when left out. */
  simulationReports?: SimulationReports;
}

const DEFAULT_RATE_LIMIT_PER_MIN = 600;
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_HEARTBEAT_INTERVAL_S = 15;
/** The seed `fjord report` uses by default, so both give the same synthetic hours. */
const DEFAULT_SIGNALS_SEED = 1;

export function buildApi(options: ApiOptions): ApiApp {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised before routing, or before a request is even parsed, leave as problem documents too.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body is refused with 415 instead of reaching the schemas as a string.
  app.removeContentTypeParser("text/plain");
  useJsonBodyParser(app);

  const { controlPlane } = options;
  const ctx: ApiContext = {
    controlPlane,
    store: controlPlane.store,
    authenticator: new Authenticator(controlPlane.store),
    energy: options.energy ?? syntheticEnergyContext(controlPlane.facility, DEFAULT_SIGNALS_SEED),
    accounting: new AccountingThread(controlPlane.facility),
  };
  app.addHook("onClose", () => ctx.accounting.close());
  registerErrorHandling(app);
  // Routes are added inside a plugin so the OpenAPI generator, loaded first, sees every one of them.
  app.register(async (root: ApiApp) => {
    await registerOpenApi(root);
    const metrics = registerMetrics(root, controlPlane);
    operationsRoutes(root, ctx);
    dashboardRoutes(root);
    const tickets = new EventTickets();
    await root.register(
      async (v1: ApiApp) => {
        v1.addHook("onRequest", authenticateHook(ctx.authenticator, tickets));
        await registerRateLimit(v1, options.defaultRateLimitPerMin ?? DEFAULT_RATE_LIMIT_PER_MIN);
        jobRoutes(v1, ctx);
        queueRoutes(v1, ctx);
        facilityRoutes(v1, ctx);
        facilityEnergyRoutes(v1, ctx);
        const reachability = new SiteReachability(options.slurmConfs ?? new Map(), () =>
          controlPlane.nowMs(),
        );
        v1.addHook("onReady", async () => reachability.start());
        v1.addHook("onClose", () => reachability.stop());
        facilityRackRoutes(v1, ctx, options.siteExecutors ?? {}, reachability);
        tierRoutes(v1, ctx);
        tenantRoutes(v1, ctx);
        apiKeyRoutes(v1, ctx);
        meRoutes(v1);
        usageRoutes(v1, ctx);
        reportRoutes(v1, ctx);
        simulationReportRoutes(v1, options.simulationReports ?? null);
        auditRoutes(v1, ctx);
        const heartbeatMs = (options.heartbeatIntervalS ?? DEFAULT_HEARTBEAT_INTERVAL_S) * 1000;
        eventRoutes(v1, ctx, heartbeatMs, metrics.eventStreams);
        eventTicketRoutes(v1, tickets);
      },
      { prefix: "/v1" },
    );
  });
  return app;
}
