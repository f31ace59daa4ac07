// What `fjord serve` starts: store, control loop, executor and HTTP API in one process. With no database
// URL it runs on embedded PGlite under --data-dir, so one command on a laptop gives a working facility;
// with FJORD_DATABASE_URL the same code runs on PostgreSQL. commands/serve.ts binds the port and then
// loads this module, so the process answers /healthz while these modules load.
import { mkdirSync } from "node:fs";
import { isIP } from "node:net";
import { buildApi } from "../api/build-api.ts";
import { SimulationReports } from "../api/simulation-reports.ts";
import { fileEnergyContext, syntheticEnergyContext } from "../api/usage-signals.ts";
import {
  checkSlurmSites,
  executorNames,
  siteExecutors,
  sitesNeedingCommand,
} from "../executors/site-executors.ts";
import { checkOperatorTenants } from "../facility/check-operator-tenants.ts";
import { loadFacilityFile, loadSiteExecutors } from "../facility/load-facility-file.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import { type BootstrapKeys, ensureApiKeys } from "../service/bootstrap-keys.ts";
import { DemoLoad } from "../service/demo-load.ts";
import type { EarlyServer } from "../service/listen-first.ts";
import type { LiveControlPlane } from "../service/live-control-plane.ts";
import { prepareControlPlane } from "../service/start-control-plane.ts";
import { type Claim, claimDataDir, claimPostgres, DatabaseInUseError } from "../store/exclusive-use.ts";
import { openStore } from "../store/open-store.ts";
import { describeServer } from "../store/postgres-store.ts";
import type { Store } from "../store/store.ts";
import { CliFailure, EXIT_UNAVAILABLE } from "./exit-codes.ts";
import type { CliIo } from "./io.ts";
import {
  type AuditCheckpointOptions,
  auditCheckpointPlan,
  startAuditCheckpoints,
} from "./serve-audit-checkpoints.ts";
import { listen, parseNumber } from "./serve-listen.ts";

export interface ServeOptions extends AuditCheckpointOptions {
  facility: string;
  policy: string;
  dataDir: string;
  databaseUrl?: string;
  host: string;
  port: string;
  speed: string;
  demoLoad: string | false;
  seed: string;
  /** Hourly signals CSV for usage's energy figures and deferral; default the seeded synthetic series. */
  signals?: string;
  /** Requests per minute per key; default 600. */
  rateLimit?: string;
  /** Comma-separated addresses or CIDR ranges of reverse proxies to trust for the client address. */
  trustProxy?: string;
  /** A directory of fjord simulate's runs (one directory each) for /v1/simulation-reports. */
  simulationReports?: string;
  log: boolean;
}

/**
 * How long SIGTERM may take: HTTP connections get CLOSE_GRACE_MS to finish, the control loop abandons a
 * pass in flight, and this bounds the rest (a store that hangs), so an orchestrator never waits on it.
 */
export const DRAIN_LIMIT_MS = 10_000;
/** How long requests in flight (and streams) get to finish once stopping begins. */
const CLOSE_GRACE_MS = 3_000;

export interface RunningService {
  url: string;
  /** Resolves once the control plane has loaded the jobs and /readyz answers 200. */
  ready: Promise<void>;
  /** Resolves if loading the jobs failed; the service cannot schedule and should be stopped. */
  failed: Promise<Error>;
  /** Resolves if the service loses its claim on the database while it runs (see exclusive-use.ts). */
  claimLost: Promise<Error>;
  stop(): Promise<void>;
}

/** Starts everything and resolves once ready. Exported for tests that run the service in-process. */
export async function startService(options: ServeOptions, io: CliIo): Promise<RunningService> {
  const service = await launchService(options, io);
  const failure = await Promise.race([service.ready.then(() => null), service.failed]);
  if (failure !== null) {
    await service.stop();
    throw failure;
  }
  return service;
}

/**
 * Listens first, then claims and opens the store, restores the control plane and hands every request to
 * the API; resolves then, while the jobs load (see RunningService.ready). Until the API takes over, the
 * listener answers /healthz and says what start-up is doing (listen-first.ts). `sinceMs` (on
 * performance.now()'s clock) is what "ready in" counts from.
 */
export async function launchService(
  options: ServeOptions,
  io: CliIo,
  sinceMs = performance.now(),
  bound: EarlyServer | null = null,
): Promise<RunningService> {
  const port = parseNumber("--port", options.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const speed = parseNumber("--speed", options.speed, (n) => Number.isFinite(n) && n > 0);
  const seed = parseNumber("--seed", options.seed, Number.isInteger);
  const rateLimit = parseNumber(
    "--rate-limit",
    options.rateLimit ?? "600",
    (n) => Number.isInteger(n) && n > 0,
  );
  const demoScale =
    options.demoLoad === undefined || options.demoLoad === false
      ? null
      : parseNumber("--demo-load", options.demoLoad, (n) => Number.isFinite(n) && n > 0);
  const proxies = trustedProxies(options.trustProxy);
  const simulationReports = simulationReportsOf(options.simulationReports);
  const checkpointPlan = auditCheckpointPlan(options, io);
  const facility = loadFacilityFile(options.facility);
  const policy = loadPolicyFile(options.policy);
  checkOperatorTenants(facility, policy, options.facility);
  const executors = loadSiteExecutors(options.facility);
  // A real cluster runs on the wall clock: an accelerated control plane would misread every duration.
  if (speed !== 1 && [...executors.values()].some((e) => e !== "simulated"))
    throw new InputError("--speed", [issueAt([], `must be 1 when a site runs on Slurm, not ${speed}`)]);
  await checkSlurmSites(facility, executors, options.facility, (line) => io.err(line));
  const energy =
    options.signals === undefined
      ? syntheticEnergyContext(facility, seed)
      : fileEnergyContext(options.signals, facility);
  const databaseUrl = options.databaseUrl ?? process.env.FJORD_DATABASE_URL ?? null;

  // Bound before anything is created: a port another process has leaves no data directory or keys behind.
  const http = bound ?? (await listen(options.host, port));
  const backend = databaseUrl ? "PostgreSQL" : `embedded PGlite in ${options.dataDir}/db`;
  io.err(
    `fjord: ${facility.name}: ${backend}, clock ×${speed}${demoScale === null ? "" : `, demo load ×${demoScale}`}\n`,
  );
  // What has started so far, each with how it stops: a failure further on and a normal stop both close it
  // in reverse, so the API stops taking requests first, the control loop persists, the store closes and
  // the claim goes last.
  const started: (() => Promise<void>)[] = [() => http.close(CLOSE_GRACE_MS)];
  let controlPlane: LiveControlPlane;
  let claim: Claim;
  let startLoading: () => Promise<void>;
  try {
    http.setStage(
      databaseUrl ? "connecting to PostgreSQL" : `opening the embedded database in ${options.dataDir}/db`,
    );
    // The address is announced once the database is this process's: a second service refused its claim
    // never names an address that will not serve.
    const opened = await openClaimed(databaseUrl, options.dataDir, () =>
      io.err(
        `fjord: dashboard ${http.url}/  API ${http.url}/v1  docs ${http.url}/docs  metrics ${http.url}/metrics\n`,
      ),
    );
    const { store } = opened;
    claim = opened.claim;
    started.push(
      () => opened.claim.release(),
      () => store.close(),
    );
    // Stopped after the control loop has written its last entries, so the last checkpoint covers them.
    const checkpoints = startAuditCheckpoints(checkpointPlan, store, databaseUrl, options.dataDir, io);
    if (checkpoints) started.push(() => checkpoints.stop());
    http.setStage("restoring the clock, the tenants and their fair-share usage");
    const prepared = await prepareControlPlane({
      store,
      facility,
      policy,
      speed,
      signals: energy,
      sitesNeedingCommand: sitesNeedingCommand(executors),
      executor: (clock, listener) => siteExecutors(facility, executors, clock, listener),
    });
    controlPlane = prepared.controlPlane;
    startLoading = prepared.start;
    const running = controlPlane;
    started.push(() => running.stop());
    http.setStage("creating the first start's API keys");
    const keys = await ensureApiKeys(
      store,
      controlPlane.policy().tenants,
      controlPlane.nowMs(),
      options.dataDir,
    );
    printKeys(io, keys);
    http.setStage("building the API");
    const app = buildApi({
      controlPlane,
      logger: options.log,
      defaultRateLimitPerMin: rateLimit,
      energy,
      trustedProxies: proxies,
      siteExecutors: executorNames(executors),
      slurmConfs: new Map(
        [...executors].flatMap(([siteId, config]) =>
          config === "simulated" ? [] : [[siteId, config.slurmConf] as const],
        ),
      ),
      ...(simulationReports === null ? {} : { simulationReports }),
    });
    started.push(() => app.close());
    await app.ready();
    http.handOver(app);
  } catch (err) {
    await closeInReverse(started).catch(() => {});
    throw err;
  }

  const demo =
    demoScale === null
      ? null
      : new DemoLoad(controlPlane, DEMO_PRINCIPAL, {
          seed,
          scale: demoScale,
          onError: (err) => io.err(`fjord: demo load: ${err.message}\n`),
        });
  let failed!: (error: Error) => void;
  const failure = new Promise<Error>((resolve) => {
    failed = resolve;
  });
  const ready = startLoading().then(
    () => {
      if (!controlPlane.ready()) return;
      const jobs = controlPlane.stats().queuedByTier;
      const queued = Object.values(jobs).reduce((a, b) => a + b, 0);
      io.err(
        `fjord: ready in ${((performance.now() - sinceMs) / 1000).toFixed(1)} s (${queued.toLocaleString("en-GB")} jobs queued)\n`,
      );
      demo?.start();
    },
    (err: unknown) => {
      const { detail } = controlPlane.lifecycle();
      failed(new Error(`could not load the jobs (${detail}): ${(err as Error).message}`, { cause: err }));
      return new Promise<void>(() => {});
    },
  );

  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    ready,
    failed: failure,
    claimLost: claim.lost,
    stop: () => {
      stopping ??= (async () => {
        demo?.stop();
        const httpClosed = http.close(CLOSE_GRACE_MS);
        await closeInReverse(started);
        await httpClosed;
      })();
      return stopping;
    },
  };
}

function printKeys(io: CliIo, keys: BootstrapKeys): void {
  if (keys.created.length > 0) {
    io.err(`fjord: API keys (shown once; saved in ${keys.file}):\n`);
    const width = Math.max(...keys.created.map((k) => k.label.length));
    for (const k of keys.created) io.err(`  ${k.label.padEnd(width)}  ${k.key}\n`);
  } else io.err(`fjord: API keys were created on first start; see ${keys.file}\n`);
}

/** True once the service has stopped; false if it is still at it after `limitMs`. */
export async function drainedWithin(service: RunningService, limitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), limitMs);
  });
  try {
    return await Promise.race([service.stop().then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The --trust-proxy list, each entry an IP address or CIDR range; an InputError naming the bad one. */
function trustedProxies(text: string | undefined): string[] {
  if (text === undefined) return [];
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || extra !== undefined)
      throw new InputError("--trust-proxy", [issueAt([], `"${entry}" is not an IP address or CIDR range`)]);
  }
  return entries;
}

/** The --simulation-reports directory, or an InputError saying why it cannot be read. */
function simulationReportsOf(dir: string | undefined): SimulationReports | null {
  if (dir === undefined) return null;
  try {
    return new SimulationReports(dir);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (err as Error).message;
    throw new InputError("--simulation-reports", [issueAt([], `${dir} ${why}`)]);
  }
}

/** Runs every close, last started first, even when one fails; then throws the first failure. */
async function closeInReverse(started: readonly (() => Promise<void>)[]): Promise<void> {
  let failure: unknown = null;
  for (const close of [...started].reverse())
    try {
      await close();
    } catch (err) {
      failure ??= err;
    }
  if (failure !== null) throw failure;
}

/**
 * The store, claimed for this process before it is opened: two processes on one embedded directory can
 * damage it, and a second service must not migrate a database another runs on. A URL that is not one, or
 * a server that does not answer, is an InputError naming the setting; a claim held elsewhere exits with
 * EXIT_UNAVAILABLE.
 */
async function openClaimed(
  databaseUrl: string | null,
  dataDir: string,
  onClaimed: () => void,
): Promise<{ store: Store; claim: Claim }> {
  try {
    if (databaseUrl) {
      // Claimed before the store migrates: a second service, perhaps a newer one, must not change the
      // schema under the one that runs.
      const claim = await claimPostgres(databaseUrl, describeServer(databaseUrl));
      onClaimed();
      try {
        return { store: await openStore({ databaseUrl }), claim };
      } catch (err) {
        await claim.release();
        throw err;
      }
    }
    mkdirSync(dataDir, { recursive: true });
    const claim = claimDataDir(dataDir);
    onClaimed();
    try {
      return { store: await openStore({ dataDir: `${dataDir}/db` }), claim };
    } catch (err) {
      await claim.release();
      throw err;
    }
  } catch (err) {
    if (err instanceof DatabaseInUseError) throw new CliFailure(`fjord: ${err.message}`, EXIT_UNAVAILABLE);
    throw err;
  }
}

/** The demo load submits as the operator would, under an actor name of its own in the audit log. */
const DEMO_PRINCIPAL = { keyId: "demo-load", role: "operator", tenantId: null } as const;
