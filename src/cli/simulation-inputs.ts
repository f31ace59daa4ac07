// Loads what `fjord simulate` replays: a facility (Fjord YAML, or the Alibaba trace's node list), a policy,
// and a workload (the Alibaba task list, `alibaba-2025:<file>` for Alibaba's 2025 DLRM serving trace, a Fjord
// jobs file, or the seeded synthetic tier mix), and settles
// the simulated period. Every problem is an InputError naming the file or option and the reason.
import { extname } from "node:path";
import { checkOperatorTenants } from "../facility/check-operator-tenants.ts";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import { sharedGpuModels } from "../facility/shared-gpu-models.ts";
import { InputError, issueAt } from "../model/input-error.ts";
import { timestampMs, validate } from "../model/input-schemas.ts";
import type { Facility, Policy } from "../model/types.ts";
import { loadPolicyFile } from "../policy/load-policy-file.ts";
import type { SimJob, SkippedInput } from "../simulator/types.ts";
import { loadAlibabaNodes, loadAlibabaPods } from "../workloads/load-alibaba.ts";
import { loadAlibaba2025 } from "../workloads/load-alibaba-2025.ts";
import { loadFjordJobsFile } from "../workloads/load-fjord-jobs.ts";
import { FRONTIER_MODEL } from "../workloads/synthetic-jobs.ts";
import { syntheticWorkload } from "../workloads/synthetic-workload.ts";
import { isAlibabaTaskList } from "./alibaba-task-list.ts";

export interface SimulationPaths {
  facility: string;
  policy: string;
  /** A file, `alibaba-2025:<file>`, or `synthetic` / `synthetic:<scale>` for the seeded tier mix. */
  workload: string;
  seed: number;
  from?: string | undefined;
  to?: string | undefined;
}

export interface SimulationFiles {
  facility: Facility;
  policy: Policy;
  workload: SimJob[];
  /** Rows of the workload file the reader skipped, by reason (the simulator adds its own). */
  skipped: SkippedInput[];
  fromMs: number | undefined;
  toMs: number | undefined;
}

/** Trace second 0 of the Alibaba trace, and the start of a synthetic workload, unless --from says. */
export const DEFAULT_START = "2026-01-01T00:00:00Z";
const SYNTHETIC_DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

export function loadSimulationFiles(paths: SimulationPaths): SimulationFiles {
  const fromMs = paths.from === undefined ? undefined : validate(timestampMs, paths.from, "--from");
  const toMs = paths.to === undefined ? undefined : validate(timestampMs, paths.to, "--to");
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
    throw new InputError("--to", [issueAt([], `must be after --from (${paths.from})`)]);
  const facility = loadFacility(paths.facility);
  const policy = loadPolicyFile(paths.policy);
  checkOperatorTenants(facility, policy, paths.facility);
  const synthetic = parseSynthetic(paths.workload);
  if (synthetic !== null) {
    const startMs = fromMs ?? Date.parse(DEFAULT_START);
    const endMs = toMs ?? startMs + SYNTHETIC_DEFAULT_DAYS * DAY_MS;
    const workload = syntheticWorkload({
      seed: paths.seed,
      fromMs: startMs,
      toMs: endMs,
      tenants: policy.tenants,
      tiers: policy.tiers,
      scale: synthetic.scale,
      gpuModels: sharedGpuModels(facility),
      // Frontier training needs GB300; a facility without it simply gets none.
      ...(facility.nodeTypes.some((t) => t.gpuModel === FRONTIER_MODEL) ? {} : { classMix: { frontier: 0 } }),
    });
    return { facility, policy, workload, skipped: [], fromMs: startMs, toMs: endMs };
  }
  const trace2025 = parseAlibaba2025(paths.workload);
  if (trace2025 !== null) {
    const instances = loadAlibaba2025(trace2025, {
      startAtMs: fromMs ?? Date.parse(DEFAULT_START),
      seed: paths.seed,
      tenants: policy.tenants,
      ...(toMs === undefined ? {} : { openEndAtMs: toMs }),
    });
    return { facility, policy, workload: instances.jobs, skipped: instances.skipped, fromMs, toMs };
  }
  if (extname(paths.workload).toLowerCase() === ".csv" && isAlibabaTaskList(paths.workload)) {
    const pods = loadAlibabaPods(paths.workload, {
      startAtMs: fromMs ?? Date.parse(DEFAULT_START),
      seed: paths.seed,
      tenants: policy.tenants,
    });
    return { facility, policy, workload: pods.jobs, skipped: pods.skipped, fromMs, toMs };
  }
  const { jobs } = loadFjordJobsFile(paths.workload, { nowMs: fromMs ?? Date.parse(DEFAULT_START) });
  return { facility, policy, workload: jobs, skipped: [], fromMs, toMs };
}

/** `.csv` → the Alibaba trace's node list as one site; anything else → a Fjord facility YAML. */
function loadFacility(path: string): Facility {
  if (extname(path).toLowerCase() !== ".csv") return loadFacilityFile(path);
  // The trace does not say where the cluster is; it is placed in Norway so residency rules can be tried.
  return loadAlibabaNodes(path, { siteId: "trace-cluster", country: "NO", jurisdictions: ["NO", "EEA"] });
}

function parseSynthetic(workload: string): { scale: number } | null {
  const match = /^synthetic(?::(.*))?$/.exec(workload);
  if (match === null) return null;
  const scale = match[1] === undefined ? 1 : Number(match[1]);
  if (!(Number.isFinite(scale) && scale > 0))
    throw new InputError("--workload", [
      issueAt([], `synthetic scale must be a positive number, like synthetic:0.1 (got "${match[1]}")`),
    ]);
  return { scale };
}

/** `alibaba-2025:<file>` → the file. Named, not sniffed: a header missing a column is then reported as such. */
function parseAlibaba2025(workload: string): string | null {
  const match = /^alibaba-2025:(.*)$/s.exec(workload);
  if (match === null) return null;
  if (match[1] === "")
    throw new InputError("--workload", [
      issueAt([], "alibaba-2025 needs the trace file, like alibaba-2025:disaggregated_DLRM_trace.csv"),
    ]);
  return match[1]!;
}
