// Alibaba GPU trace (cluster-trace-gpu-v2023) task list → validated rows. Only checks that each cell holds
// what its column promises; what a row means for a replay is decided in alibaba-pods.ts.
import { idSchema } from "../model/input-schemas.ts";
import { readNumberCell } from "./csv-cells.ts";
import { indexColumns } from "./csv-columns.ts";
import { readCsvTable } from "./csv-table.ts";
import { IssueList } from "./issue-list.ts";

export const ALIBABA_QOS = ["LS", "BE", "Burstable", "Guaranteed"] as const;
export type AlibabaQos = (typeof ALIBABA_QOS)[number];

export const ALIBABA_POD_COLUMNS = [
  "name",
  "cpu_milli",
  "memory_mib",
  "num_gpu",
  "gpu_milli",
  "gpu_spec",
  "qos",
  "pod_phase",
  "creation_time",
  "deletion_time",
  "scheduled_time",
] as const;
type Column = (typeof ALIBABA_POD_COLUMNS)[number];

/** One task as the trace gives it. Times are seconds from the start of the trace. */
export interface AlibabaPod {
  /** 1-based line in the CSV file. */
  line: number;
  name: string;
  cpuMilli: number;
  memoryMib: number;
  /** Whole GPUs, 0–8. */
  numGpu: number;
  /** Thousandths of one GPU; below 1000 for tasks that share a GPU. */
  gpuMilli: number;
  /** Allowed GPU models; null = any. */
  gpuSpec: string[] | null;
  qos: AlibabaQos;
  podPhase: string;
  creationS: number;
  deletionS: number | null;
  /** null for tasks that were never scheduled. */
  scheduledS: number | null;
}

const MAX_GPUS_PER_TASK = 8;
const SECONDS = { integer: false, min: 0 } as const;
const COUNT = { integer: true, min: 0 } as const;

/** Parses the CSV; throws InputError naming the line and column of every problem. */
export function readAlibabaPods(csvText: string, source: string): AlibabaPod[] {
  const table = readCsvTable(csvText, source);
  const issues = new IssueList();
  const known = new Set<string>(ALIBABA_POD_COLUMNS);
  const index = indexColumns(
    table.header,
    table.headerLine,
    {
      isKnown: (name) => known.has(name),
      knownText: ALIBABA_POD_COLUMNS.join(", "),
      required: ALIBABA_POD_COLUMNS,
    },
    issues,
  );
  issues.throwIfAny(source);

  const pods: AlibabaPod[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of table.rows) {
    if (issues.full) break;
    const cell = (column: Column): string => (fields[index.get(column)!] ?? "").trim();
    const number = (column: Column, rule: typeof SECONDS | typeof COUNT, max?: number): number => {
      const reading = readNumberCell(cell(column), max === undefined ? rule : { ...rule, max });
      if (reading.ok) return reading.value;
      issues.add([column], reading.problem, line);
      return 0;
    };
    const optionalSeconds = (column: Column): number | null =>
      cell(column) === "" ? null : number(column, SECONDS);

    const name = cell("name");
    if (!idSchema.safeParse(name).success) {
      issues.add(
        ["name"],
        `must be a task name usable as a job id (lower-case letters, digits, '.', '_', '-'), not "${name}"`,
        line,
      );
    } else if (firstLineOf.has(name)) {
      issues.add(["name"], `duplicate task name '${name}' (first on line ${firstLineOf.get(name)})`, line);
    } else {
      firstLineOf.set(name, line);
    }
    const numGpu = number("num_gpu", COUNT, MAX_GPUS_PER_TASK);
    const gpuMilli = number("gpu_milli", COUNT, 1000);
    if (numGpu > 0 && gpuMilli === 0 && cell("gpu_milli") !== "") {
      issues.add(["gpu_milli"], "must be from 1 to 1000 for a task with GPUs (num_gpu > 0), not 0", line);
    }
    const qos = cell("qos");
    if (!isQos(qos)) issues.add(["qos"], `must be one of ${ALIBABA_QOS.join(", ")}, not "${qos}"`, line);
    const podPhase = cell("pod_phase");
    if (podPhase === "") issues.add(["pod_phase"], "must not be empty", line);
    const models = splitModels(cell("gpu_spec"));
    pods.push({
      line,
      name,
      cpuMilli: number("cpu_milli", COUNT),
      memoryMib: number("memory_mib", COUNT),
      numGpu,
      gpuMilli,
      gpuSpec: models.length === 0 ? null : models,
      qos: isQos(qos) ? qos : "BE", // a placeholder only: the bad value is reported and the parse throws
      podPhase,
      creationS: number("creation_time", SECONDS),
      deletionS: optionalSeconds("deletion_time"),
      scheduledS: optionalSeconds("scheduled_time"),
    });
  }
  issues.throwIfAny(source);
  return pods;
}

function isQos(text: string): text is AlibabaQos {
  return (ALIBABA_QOS as readonly string[]).includes(text);
}

/** `V100M16|V100M32` → both; blanks around `|` are dropped, so an empty spec gives no model (= any). */
function splitModels(spec: string): string[] {
  return spec
    .split("|")
    .map((m) => m.trim())
    .filter((m) => m !== "");
}
