// What Fjord reads of a Slurm job: `squeue --json --states=all` (Slurm 22.05's openapi/v0.0.38 output),
// reduced to the fields the executor acts on. squeue answers from slurmctld's memory, which keeps a
// finished job for MinJobAge seconds: enough to see every end while Fjord polls, with no slurmdbd (sacct
// needs one). The GPU indices are there only while the job runs (gres_detail is empty once it ended).

export interface SlurmJobView {
  slurmJobId: number;
  name: string;
  comment: string;
  /** Slurm's base state: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, … */
  state: string;
  reason: string;
  /** The batch script's wait status as Slurm reports it (exit code × 256 + signal). */
  exitStatus: number;
  /** Slurm nodes the job holds or held (in allocation order); empty before it starts. */
  nodes: string[];
  /** GPU indices per node while the job runs; empty before it starts and after it ends. */
  gpusByNode: Map<string, number[]>;
  /** Epoch seconds; 0 when not started (or not ended). */
  startAtS: number;
  endAtS: number;
}

interface SqueueJob {
  job_id: number;
  name: string;
  comment: string | null;
  job_state: string;
  state_reason: string | null;
  exit_code: number | null;
  gres_detail: string[] | null;
  start_time: number | null;
  end_time: number | null;
  job_resources?: { allocated_nodes?: { nodename: string }[] } | null;
}

/** Parses squeue's JSON; throws on output that is not squeue's job list, or that reports errors. */
export function parseSqueueJson(text: string): SlurmJobView[] {
  const doc = JSON.parse(text) as { jobs?: SqueueJob[]; errors?: { description?: string }[] };
  // With slurmctld down, squeue exits 0 with an empty job list and the failure in `errors`: never read
  // that as "every job is gone".
  const errors = doc.errors ?? [];
  if (errors.length > 0)
    throw new Error(`squeue --json: ${errors.map((e) => e.description ?? JSON.stringify(e)).join("; ")}`);
  if (!Array.isArray(doc.jobs)) throw new Error("squeue --json gave no job list");
  return doc.jobs.map((j) => {
    const nodes = (j.job_resources?.allocated_nodes ?? []).map((n) => n.nodename);
    const gpusByNode = new Map<string, number[]>();
    // gres_detail has one entry per allocated node, in the order of allocated_nodes.
    (j.gres_detail ?? []).forEach((detail, i) => {
      const node = nodes[i];
      if (node !== undefined) gpusByNode.set(node, gpuIndices(detail));
    });
    return {
      slurmJobId: j.job_id,
      name: j.name,
      comment: j.comment ?? "",
      state: j.job_state,
      reason: j.state_reason ?? "None",
      exitStatus: j.exit_code ?? 0,
      nodes,
      gpusByNode,
      startAtS: j.start_time ?? 0,
      endAtS: j.end_time ?? 0,
    };
  });
}

/** The GPU indices of one node's GRES detail: `gpu:3(IDX:0-2)`, `gpu:a100:2(IDX:1,3)` → [0,1,2], [1,3]. */
export function gpuIndices(detail: string): number[] {
  const idx = /\bgpu(?::[^(,]*)?\(IDX:([^)]*)\)/.exec(detail)?.[1];
  if (idx === undefined || idx === "N/A") return [];
  return idx.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || !Number.isInteger(from)) return [];
    if (to === undefined) return [from];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * The GPU indices per node in `scontrol show job -d`'s detail lines (`Nodes=n01 CPU_IDs=0-1 Mem=0
 * GRES=gpu:2(IDX:0-1)`, one per group of nodes given the same indices): the same facts as squeue's
 * gres_detail, for a Slurm whose squeue --json leaves that out.
 */
export function scontrolGpusByNode(text: string): Map<string, number[]> {
  const byNode = new Map<string, number[]>();
  for (const match of text.matchAll(/^\s*Nodes=(\S+)\s.*?\bGRES=(\S*)/gm))
    for (const node of expandHostList(match[1]!)) byNode.set(node, gpuIndices(match[2]!));
  return byNode;
}

/** `n[01-03,07]` → n01, n02, n03, n07; `gpu-a1,gpu-b[1-2]` → gpu-a1, gpu-b1, gpu-b2. */
export function expandHostList(list: string): string[] {
  const names: string[] = [];
  for (const part of list.match(/[^,[]+(\[[^\]]*\])?[^,]*/g) ?? []) {
    const bracket = /^(.*)\[([^\]]*)\](.*)$/.exec(part);
    if (bracket === null) {
      names.push(part);
      continue;
    }
    const [, head, ranges, tail] = bracket;
    for (const range of ranges!.split(",")) {
      const [from, to = from] = range.split("-") as [string, string?];
      for (let n = Number(from); n <= Number(to); n++)
        names.push(`${head}${String(n).padStart(from.length, "0")}${tail}`);
    }
  }
  return names;
}
