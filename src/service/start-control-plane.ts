// Brings the control plane up on a store: the policy's tenants on first start (later the stored ones,
// which the API may have changed), the clock and fair-share usage where they stopped, the executor, and
// the queue and running jobs exactly as stored.
import type { Executor, ExecutorListener } from "../executors/executor.ts";
import { SimulatedExecutor } from "../executors/simulated-executor.ts";
import type { Facility, Policy, Tenant } from "../model/types.ts";
import type { Store } from "../store/store.ts";
import { FairShareLedger, type LedgerData } from "./fair-share-ledger.ts";
import {
  CLOCK_KEY,
  DEFAULT_LOOP_OPTIONS,
  type DeferralSignals,
  LEDGER_KEY,
  LiveControlPlane,
  type LoopOptions,
} from "./live-control-plane.ts";
import { type ServiceClock, serviceClock } from "./service-clock.ts";

export interface ControlPlaneOptions {
  store: Store;
  facility: Facility;
  policy: Policy;
  /** Clock speed; 1 = the wall clock (default). */
  speed?: number;
  /** Where a faster clock starts on the first start (default: the wall clock's reading); later starts resume. */
  startAtMs?: number;
  loop?: Partial<LoopOptions>;
  /** Hourly signals for deferring jobs at submission (the policy's `deferral`); default: none, no deferral. */
  signals?: DeferralSignals;
  /** Sites that run only jobs giving a command of their own (Slurm sites with no default command). */
  sitesNeedingCommand?: readonly string[];
  /** Default: the simulated executor. */
  executor?: (clock: ServiceClock, listener: ExecutorListener) => Executor;
}

/** A control plane that has restored its clock, tenants and usage; `start()` loads the jobs. */
export interface PreparedControlPlane {
  controlPlane: LiveControlPlane;
  /** Loads the queue and running jobs and starts the loop; resolves once ready, before the first pass ends. */
  start(): Promise<void>;
}

/** Started, ready, and its first pass run: what tests and tools that drive it at once want. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<LiveControlPlane> {
  const { controlPlane, start } = await prepareControlPlane(options);
  await start();
  await controlPlane.firstPass();
  return controlPlane;
}

/**
 * Everything but the jobs, which can take seconds for tens of thousands: the service answers (its probes,
 * the store's reads) while they load, and the calls that need the scheduler say it is starting.
 */
export async function prepareControlPlane(options: ControlPlaneOptions): Promise<PreparedControlPlane> {
  const { store, facility } = options;
  const clock = serviceClock({
    speed: options.speed ?? 1,
    resumeAtMs: await store.getValue<number>(CLOCK_KEY),
  });
  const tenants = await seededTenants(store, options.policy.tenants, clock.nowMs());
  const policy: Policy = { ...options.policy, tenants };
  const ledger = new FairShareLedger(
    policy.fairShare.halfLifeS,
    await store.getValue<LedgerData>(LEDGER_KEY),
  );
  const controlPlane = new LiveControlPlane(
    store,
    facility,
    policy,
    clock,
    ledger,
    { ...DEFAULT_LOOP_OPTIONS, ...options.loop },
    options.signals ?? null,
    new Set(options.sitesNeedingCommand ?? []),
  );
  const makeExecutor = options.executor ?? ((c, l) => new SimulatedExecutor(c, l));
  return { controlPlane, start: () => controlPlane.start(makeExecutor(clock, controlPlane)) };
}

/** The stored tenants; on first start, the policy file's, stored with an audit entry each. */
async function seededTenants(store: Store, fromPolicy: Tenant[], atMs: number): Promise<Tenant[]> {
  const stored = await store.listTenants();
  if (stored.length > 0) return stored.map(({ createdAtMs: _, ...tenant }) => tenant);
  for (const tenant of fromPolicy)
    await store.putTenant(tenant, atMs, {
      atMs,
      actor: "system",
      action: "policy.change",
      tenantId: tenant.id,
      objectType: "tenant",
      objectId: tenant.id,
      details: { before: null, after: tenant, source: "policy file" },
    });
  return fromPolicy;
}
