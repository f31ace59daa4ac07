// What a job replayed from a cluster trace gets for what the trace does not say: the trace knows how long a
// task really ran, not what its owner would have estimated, and it states no placement or timing wishes.
import type { Job } from "../model/types.ts";

/** Jobs are stopped at twice their (minute-rounded) runtime: a replay never hits the limit by itself. */
const LIMIT_FACTOR = 2;
const MINUTE_S = 60;

export type TraceJobFields = Pick<
  Job,
  | "estimatedRuntimeS"
  | "limitS"
  | "residency"
  | "maxLatency"
  | "checkpointIntervalS"
  | "notBeforeAtMs"
  | "deadlineAtMs"
  | "topology"
>;

/** The estimate is the runtime rounded up to a minute, the limit twice that; no residency, latency, window. */
export function traceJobFields(runtimeS: number): TraceJobFields {
  const estimatedRuntimeS = Math.ceil(runtimeS / MINUTE_S) * MINUTE_S;
  return {
    estimatedRuntimeS,
    limitS: estimatedRuntimeS * LIMIT_FACTOR,
    residency: null,
    maxLatency: null,
    checkpointIntervalS: null,
    notBeforeAtMs: null,
    deadlineAtMs: null,
    topology: "auto",
  };
}
