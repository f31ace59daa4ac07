// A Slurm cluster's nodes as `scontrol show node --oneliner` describes them: name, GPUs (from Gres, with
// their type when gres.conf names one), CPUs, memory, partitions and state. What `fjord facility
// import-slurm` turns into a site, and nothing more.
import { gresGpus } from "./slurm-site-check.ts";

export interface SlurmNodeInfo {
  name: string;
  gpus: number;
  /** The GPU type of the Gres (`gpu:h100:8` → h100); null when the cluster names none. */
  gpuType: string | null;
  cpus: number;
  memoryMiB: number;
  partitions: string[];
  state: string;
}

/** One node per line of `scontrol show node --oneliner`; lines without a NodeName are skipped. */
export function parseNodeInventory(text: string): SlurmNodeInfo[] {
  return text
    .split("\n")
    .map((line) => new Map([...line.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1]!, m[2]!])))
    .filter((fields) => fields.has("NodeName"))
    .map((fields) => {
      const gres = fields.get("Gres") ?? "";
      return {
        name: fields.get("NodeName")!,
        gpus: gresGpus(gres),
        gpuType: gpuTypeOf(gres),
        cpus: Number(fields.get("CPUTot")) || 0,
        memoryMiB: Number(fields.get("RealMemory")) || 0,
        partitions: (fields.get("Partitions") ?? "").split(",").filter((p) => p !== ""),
        state: fields.get("State") ?? "UNKNOWN",
      };
    });
}

/** `gpu:h100:8(S:0-1)` → h100; `gpu:8` → null. */
function gpuTypeOf(gres: string): string | null {
  for (const item of gres.split(",")) {
    const parts = item.replace(/\(.*\)$/, "").split(":");
    if (parts[0] === "gpu" && parts.length === 3 && parts[1] !== "") return parts[1]!;
  }
  return null;
}
