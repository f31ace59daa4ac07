// Power and memory of the GPU models in the Alibaba trace. The trace names models but gives no figures, so
// these are approximate vendor board powers (TDP) and memory sizes. G1–G3 are undisclosed models: they get
// a placeholder that is stated as such, not a guess dressed up as a fact.

export interface GpuFigures {
  maxPowerW: number;
  memoryGiB: number;
}

// A Map: the model is the trace's text, and a plain object would answer `constructor` with a function.
const KNOWN: ReadonlyMap<string, GpuFigures> = new Map([
  ["P100", { maxPowerW: 250, memoryGiB: 16 }],
  ["T4", { maxPowerW: 70, memoryGiB: 16 }],
  ["V100M16", { maxPowerW: 300, memoryGiB: 16 }],
  ["V100M32", { maxPowerW: 300, memoryGiB: 32 }],
  ["V100", { maxPowerW: 300, memoryGiB: 16 }],
  ["A10", { maxPowerW: 150, memoryGiB: 24 }],
]);

/** Undisclosed or unlisted models (G1, G2, G3, …). */
export const UNKNOWN_GPU: GpuFigures = { maxPowerW: 300, memoryGiB: 32 };

/** An idle GPU draws about a fifth of its board power. */
export const IDLE_POWER_SHARE = 0.2;

/** CPUs, memory, NICs and fans of one server, excluding GPUs: a base plus a share per CPU core. */
export function nodeOverheadPowerW(cpuCores: number): number {
  return Math.round(100 + 4 * cpuCores);
}

export function gpuFigures(model: string): GpuFigures {
  return KNOWN.get(model) ?? UNKNOWN_GPU;
}
