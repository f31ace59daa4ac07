// The discrete-event simulator end to end, one run per scenario (each takes seconds to a minute):
// - alibaba_default: the Alibaba GPU trace's default task list replayed on its own GPU nodes;
// - synthetic_year: a year of the seeded synthetic tier mix (~1,000,000 jobs at scale 1) on the default
//   facility, until the end of the year.
// Each scenario runs in a child process of its own, so its peak RSS is its own high-water mark and not that
// of the suites before it (maxRSS never goes down), and no scenario runs on another's heap.
//
// Environment: FJORD_BENCH_SIM_SCALE (synthetic arrival multiplier, default 1 ≈ 1,000,000 jobs a year),
// FJORD_BENCH_SIM_ONLY (comma-separated scenario names).
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkOperatorTenants } from "../src/facility/check-operator-tenants.ts";
import { loadFacilityFile } from "../src/facility/load-facility-file.ts";
import { sharedGpuModels } from "../src/facility/shared-gpu-models.ts";
import type { Facility, Policy } from "../src/model/types.ts";
import { loadPolicyFile } from "../src/policy/load-policy-file.ts";
import { compileFacility } from "../src/scheduler/compile-facility.ts";
import { computeMetrics } from "../src/simulator/metrics.ts";
import { simulate } from "../src/simulator/simulate.ts";
import type { SimJob } from "../src/simulator/types.ts";
import { loadAlibabaNodes, loadAlibabaPods } from "../src/workloads/load-alibaba.ts";
import { FRONTIER_MODEL } from "../src/workloads/synthetic-jobs.ts";
import { syntheticWorkload } from "../src/workloads/synthetic-workload.ts";
import { report } from "./harness.ts";
import type { BenchContext } from "./scenario.ts";
import { FACILITY_FILE, POLICY_FILE } from "./scenario.ts";

export const ALIBABA_DIR = "workloads/alibaba-gpu-2023";
const YEAR_FROM_MS = Date.parse("2026-01-01T00:00:00Z");
const YEAR_TO_MS = Date.parse("2027-01-01T00:00:00Z");
const SEED = 1;

interface Prepared {
  facility: Facility;
  policy: Policy;
  workload: SimJob[];
  fromMs?: number;
  toMs?: number;
}

interface SimScenario {
  name: string;
  prepare: () => Prepared;
}

/** Default synthetic arrival multiplier: the target size, ~1,000,000 jobs a year (docs/PERFORMANCE.md). */
const DEFAULT_SIM_SCALE = 1;

/** Synthetic arrival multiplier: a positive number, default DEFAULT_SIM_SCALE. */
export function simScale(): number {
  const raw = process.env.FJORD_BENCH_SIM_SCALE;
  if (raw === undefined || raw === "") return DEFAULT_SIM_SCALE;
  const scale = Number(raw);
  if (!(Number.isFinite(scale) && scale > 0))
    throw new Error(`FJORD_BENCH_SIM_SCALE must be a positive number, got "${raw}"`);
  return scale;
}

export const simScenarios: SimScenario[] = [
  {
    name: "alibaba_default",
    prepare: () => {
      const policy = loadPolicyFile(POLICY_FILE);
      // The trace does not say where the cluster is: one facility-operated site in Norway, so every
      // tenant may use it and residency rules [NO] and [EEA] are met.
      const facility = loadAlibabaNodes(`${ALIBABA_DIR}/openb_node_list_gpu_node.csv`, {
        siteId: "alibaba",
        country: "NO",
        jurisdictions: ["NO", "EEA"],
      });
      checkOperatorTenants(facility, policy, "alibaba");
      const pods = loadAlibabaPods(`${ALIBABA_DIR}/openb_pod_list_default.csv`, {
        startAtMs: YEAR_FROM_MS,
        seed: SEED,
        tenants: policy.tenants,
      });
      return { facility, policy, workload: pods.jobs };
    },
  },
  {
    name: "synthetic_year",
    prepare: () => {
      const policy = loadPolicyFile(POLICY_FILE);
      const facility = loadFacilityFile(FACILITY_FILE);
      checkOperatorTenants(facility, policy, FACILITY_FILE);
      const gpuModels = sharedGpuModels(facility);
      const workload = syntheticWorkload({
        seed: SEED,
        fromMs: YEAR_FROM_MS,
        toMs: YEAR_TO_MS,
        tenants: policy.tenants,
        tiers: policy.tiers,
        scale: simScale(),
        gpuModels,
        ...(gpuModels.includes(FRONTIER_MODEL) ? {} : { classMix: { frontier: 0 } }),
      });
      return { facility, policy, workload, fromMs: YEAR_FROM_MS, toMs: YEAR_TO_MS };
    },
  },
];

/** Runs one scenario in this process and reports its figures. */
export function runSimScenario(scenario: SimScenario): void {
  const p = `simulate.${scenario.name}`;
  const t0 = performance.now();
  const prepared = scenario.prepare();
  const compiled = compileFacility(prepared.facility);
  const setupS = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = simulate({
    facility: compiled,
    policy: prepared.policy,
    workload: prepared.workload,
    seed: SEED,
    ...(prepared.fromMs === undefined ? {} : { fromMs: prepared.fromMs }),
    ...(prepared.toMs === undefined ? {} : { toMs: prepared.toMs }),
  });
  const wallS = (performance.now() - t1) / 1000;
  // CPU time of this process (garbage-collector threads included): on a shared machine, a check on wall
  // time that other work stretched.
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const rssMiB = process.resourceUsage().maxRSS / 1024;

  const metrics = computeMetrics(result, { tiers: prepared.policy.tiers.map((t) => t.id) });
  const spanS = (result.toMs - result.fromMs) / 1000;
  const completed = result.jobs.filter((j) => j.completedAtMs !== null).length;

  report(`${p}.setup.single_run`, setupS, "s");
  report(`${p}.workload`, prepared.workload.length, "jobs");
  report(`${p}.simulated`, result.jobs.length, "jobs");
  report(`${p}.completed`, completed, "jobs");
  report(`${p}.events`, result.events, "events");
  report(`${p}.passes`, result.passes, "passes");
  report(`${p}.span`, spanS / 86_400, "days");
  report(`${p}.wall.single_run`, wallS, "s");
  report(`${p}.cpu.single_run`, cpuS, "s");
  report(`${p}.jobs_per_s.single_run`, result.jobs.length / wallS, "jobs/s");
  report(`${p}.speedup.single_run`, spanS / wallS, "x");
  report(`${p}.peak_rss.single_run`, rssMiB, "MiB");
  report(`${p}.utilisation`, 100 * (metrics.overall.utilisation ?? Number.NaN), "percent");
}

/** The suite `npm run bench` runs: every scenario in a fresh child process, one after another. */
export async function simulateBench(_ctx: BenchContext): Promise<void> {
  const only = process.env.FJORD_BENCH_SIM_ONLY?.split(",").filter((name) => name !== "");
  const unknown = only?.filter((name) => !simScenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`FJORD_BENCH_SIM_ONLY names unknown scenarios: ${unknown.join(", ")}`);
  report("simulate.synthetic_year.scale", simScale(), "ratio");
  for (const s of simScenarios) {
    if (only?.length && !only.includes(s.name)) continue;
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), s.name], {
      stdio: "inherit",
    });
    if (child.status !== 0)
      throw new Error(`simulator scenario ${s.name} failed (exit ${child.status ?? child.signal})`);
  }
}

// As a child process: `node --import tsx bench/simulate.bench.ts <scenario>`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const name = process.argv[2];
  const scenario = simScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`usage: simulate.bench.ts <${simScenarios.map((s) => s.name).join("|")}>`);
  runSimScenario(scenario);
}
