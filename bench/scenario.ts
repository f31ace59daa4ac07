// The benchmark scenario every suite shares: the default facility and policy, a busy facility and a
// large mixed queue. Built once per `npm run bench` and handed to each suite, so suites compare like
// with like and the setup cost is paid once.
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import type { Facility, Job, Policy, RunningJob, TenantUsage } from "../src/model/types.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { type CompiledFacility, compileFacility } from "../src/scheduler/compile-facility.ts";
import { syntheticQueue, syntheticRunning } from "../src/workloads/synthetic-queue.ts";

export const FACILITY_FILE = "facilities/stargate-norway.yaml";
export const POLICY_FILE = "policies/default.yaml";
/** The date the figures in docs/PERFORMANCE.md were taken; fixed so every run sees the same queue. */
export const NOW_MS = Date.parse("2026-11-29T12:00:00Z");
const QUEUE_SEED = 20261129;
const RUNNING_SEED = 1129;
/** Offered to the earlier pass that fills the facility; ~2,300 of them fit, far more than enough. */
const RUNNING_OFFERED = 6000;
/** Share of GPUs held when the measured pass begins: busy, with scattered holes. */
const OCCUPANCY = 0.9;

export interface Scenario {
  facility: Facility;
  compiled: CompiledFacility;
  policy: Policy;
  queue: Job[];
  running: RunningJob[];
  usage: TenantUsage[];
  nowMs: number;
  upGpus: number;
  heldGpus: number;
  /** Milliseconds spent reading and expanding the facility YAML (once, cold). */
  loadFacilityMs: number;
}

export function buildScenario(queueSize: number): Scenario {
  const t0 = performance.now();
  const facility = loadFacilityFile(FACILITY_FILE);
  const loadFacilityMs = performance.now() - t0;
  const compiled = compileFacility(facility);
  const policy = loadPolicyFile(POLICY_FILE);
  const running = syntheticRunning({
    seed: RUNNING_SEED,
    count: RUNNING_OFFERED,
    facility: compiled,
    policy,
    nowMs: NOW_MS,
    occupancy: OCCUPANCY,
  });
  const queue = syntheticQueue({
    seed: QUEUE_SEED,
    count: queueSize,
    tenants: policy.tenants,
    nowMs: NOW_MS,
    gpuModels: compiled.gpuModels,
  });
  // Past usage differs by tenant so fair-share keys are not all equal (ties would be an easy case).
  const usage: TenantUsage[] = policy.tenants.map((t, k) => ({
    tenantId: t.id,
    decayedGpuHours: 5_000 * ((k * 7) % 5),
    atMs: NOW_MS - 6 * 3_600_000,
  }));
  let upGpus = 0;
  for (let i = 0; i < compiled.nodeIds.length; i++)
    if (compiled.nodeUp[i] === 1) upGpus += compiled.nodeGpus[i]!;
  let heldGpus = 0;
  for (const r of running) for (const n of r.allocation.nodes) heldGpus += n.gpus.length;
  return {
    facility,
    compiled,
    policy,
    queue,
    running,
    usage,
    nowMs: NOW_MS,
    upGpus,
    heldGpus,
    loadFacilityMs,
  };
}

/** What every suite receives from the runner. */
export interface BenchContext {
  scenario: Scenario;
  /** Timed runs per measurement (≥ 7), after `warmup` untimed ones. */
  runs: number;
  warmup: number;
}

export interface Benchmark {
  name: string;
  run: (ctx: BenchContext) => Promise<void>;
}
