// The openb trace's node list and task list as the allocation experiment (src/simulator/allocation-
// experiment.ts) needs them: each node's GPU model, CPUs, memory and GPUs; each task's CPUs, memory, GPUs
// and thousandths of a GPU, as asked — shares are kept, not rounded up. Only the columns the experiment
// uses are read, so the task lists without time columns (openb_pod_list_multigpu50.csv) serve too.
import { type ExpectedTask, expectedFromCounts, MILLI, type TaskShape } from "../scheduler/fragmentation.ts";
import type { SharedNodeSpec } from "../scheduler/shared-gpu-cluster.ts";
import { type NumberRule, readNumberCell } from "./csv-cells.ts";
import { indexColumns } from "./csv-columns.ts";
import { readCsvTable } from "./csv-table.ts";
import { IssueList } from "./issue-list.ts";

export interface AllocationNodes {
  nodes: SharedNodeSpec[];
  /** GPU model names, by the model index the nodes carry. */
  models: string[];
}

/** Reads the named columns of every row as numbers; other columns are ignored. */
function readNumbers<C extends string>(
  csvText: string,
  source: string,
  columns: Record<C, NumberRule>,
  extra: readonly string[] = [],
): { line: number; values: Record<C, number>; text: (column: string) => string }[] {
  const table = readCsvTable(csvText, source);
  const issues = new IssueList();
  const names = Object.keys(columns) as C[];
  const required = [...names, ...extra];
  const index = indexColumns(
    table.header,
    table.headerLine,
    { isKnown: () => true, knownText: required.join(", "), required },
    issues,
  );
  issues.throwIfAny(source);
  const out: { line: number; values: Record<C, number>; text: (column: string) => string }[] = [];
  for (const row of table.rows) {
    if (issues.full) break;
    const text = (column: string) => (row.fields[index.get(column)!] ?? "").trim();
    const values = {} as Record<C, number>;
    let ok = true;
    for (const name of names) {
      const reading = readNumberCell(text(name), columns[name]);
      if (reading.ok) values[name] = reading.value;
      else {
        issues.add([name], reading.problem, row.line);
        ok = false;
      }
    }
    if (ok) out.push({ line: row.line, values, text });
  }
  issues.throwIfAny(source);
  return out;
}

const COUNT: NumberRule = { integer: true, min: 0 };

export function readAllocationNodes(csvText: string, source: string): AllocationNodes {
  const rows = readNumbers(
    csvText,
    source,
    { cpu_milli: COUNT, memory_mib: COUNT, gpu: { integer: true, min: 0, max: 32 } },
    ["model"],
  );
  const models: string[] = [];
  const modelIndex = new Map<string, number>();
  const nodes = rows.map(({ values, text }): SharedNodeSpec => {
    const name = text("model");
    let model = modelIndex.get(name);
    if (model === undefined) {
      model = models.length;
      models.push(name);
      modelIndex.set(name, model);
    }
    return { model, cpuMilli: values.cpu_milli, memoryMiB: values.memory_mib, gpus: values.gpu };
  });
  return { nodes, models };
}

export function readAllocationTasks(csvText: string, source: string): TaskShape[] {
  const rows = readNumbers(csvText, source, {
    cpu_milli: COUNT,
    memory_mib: COUNT,
    num_gpu: { integer: true, min: 0, max: 8 },
    gpu_milli: { integer: true, min: 0, max: MILLI },
  });
  const issues = new IssueList();
  const tasks: TaskShape[] = [];
  for (const { line, values } of rows) {
    const gpus = values.num_gpu;
    if (gpus === 1 && values.gpu_milli === 0) {
      issues.add(["gpu_milli"], "is 0 for a task with one GPU", line);
      continue;
    }
    // A task of several GPUs takes them whole; a task without GPUs asks for no share of one.
    const gpuMilli = gpus === 0 ? 0 : gpus > 1 ? MILLI : values.gpu_milli;
    tasks.push({ cpuMilli: values.cpu_milli, memoryMiB: values.memory_mib, gpus, gpuMilli, models: null });
  }
  issues.throwIfAny(source);
  return tasks;
}

/**
 * The typical tasks the paper's FGD is given: the trace's most frequent shapes (CPUs, GPUs, share; not
 * memory, as in the paper) that together make up 60 % of its tasks.
 */
export function typicalTasks(tasks: readonly TaskShape[], coverage = 0.6): ExpectedTask[] {
  const counts = new Map<string, { shape: TaskShape; count: number }>();
  for (const t of tasks) {
    const key = `${t.cpuMilli}|${t.gpus}|${t.gpuMilli}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { shape: { ...t, memoryMiB: 0 }, count: 1 });
  }
  return expectedFromCounts([...counts.values()], coverage);
}
