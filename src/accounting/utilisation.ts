// How hard a job's GPUs work while it runs: the utilisation u in P = idle + u × (max − idle). Jobs say it
// through labels, so any workload format can carry it:
//   1. `gpuUtilisation: "0.85"` on the job — the job's own figure, used as is;
//   2. otherwise its kind (`class` label: startup, research, frontier, inference…) in the facility's
//      gpuUtilisation.byKind, else gpuUtilisation.default;
//   3. Alibaba GPU-sharing tasks (`gpuMilli` < 1000) held a fraction of one GPU: rule 2's figure × that fraction.
import { ownValue } from "../model/own-value.ts";
import type { GpuUtilisationModel } from "../model/types.ts";

const UTILISATION_LABEL = "gpuUtilisation";
const KIND_LABEL = "class";
const GPU_MILLI_LABEL = "gpuMilli";

export type UtilisationReading =
  | { ok: true; utilisation: number; rule: string }
  | { ok: false; label: string; problem: string };

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

export function jobUtilisation(
  labels: Readonly<Record<string, string>>,
  model: GpuUtilisationModel,
): UtilisationReading {
  const own = ownValue(labels, UTILISATION_LABEL);
  if (own !== undefined) {
    const value = DECIMAL.test(own.trim()) ? Number(own.trim()) : Number.NaN;
    if (!(value >= 0 && value <= 1))
      return { ok: false, label: UTILISATION_LABEL, problem: `must be a share from 0 to 1, not "${own}"` };
    return { ok: true, utilisation: value, rule: `label ${UTILISATION_LABEL}` };
  }
  // The kind is free text from the job's owner: a kind named like a built-in property is just unknown.
  const kind = ownValue(labels, KIND_LABEL);
  const byKind = kind === undefined ? undefined : ownValue(model.byKind, kind);
  const base = byKind ?? model.default;
  const rule = byKind === undefined ? "default" : `kind ${kind}`;
  const milli = ownValue(labels, GPU_MILLI_LABEL);
  if (milli === undefined) return { ok: true, utilisation: base, rule };
  const fraction = /^\d+$/.test(milli) ? Number(milli) / 1000 : Number.NaN;
  if (!(fraction > 0 && fraction <= 1))
    return {
      ok: false,
      label: GPU_MILLI_LABEL,
      problem: `must be a whole number from 1 to 1000, not "${milli}"`,
    };
  return { ok: true, utilisation: base * fraction, rule: `${rule} × ${GPU_MILLI_LABEL}/1000` };
}
