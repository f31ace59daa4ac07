// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and the
// most total (inclusive) time. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/fjord-prof --import tsx bench/run.ts
//   npx tsx bench/summarise-profile.ts /tmp/fjord-prof/<file>.cpuprofile [top=25]
// Profiles are large and machine-specific: keep them out of the repository.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  selfMs: number;
  totalMs: number;
}

/** Self and inclusive milliseconds per function (name + file:line), recursion counted once. */
export function summarise(profile: CpuProfile, root = process.cwd()): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (f: CallFrame): string => {
    const file = f.url.startsWith("file://") ? relative(root, new URL(f.url).pathname) : f.url || "(native)";
    return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
  };
  const times = new Map<string, FunctionTime>();
  const entry = (name: string): FunctionTime => {
    let t = times.get(name);
    if (!t) {
      t = { name, selfMs: 0, totalMs: 0 };
      times.set(name, t);
    }
    return t;
  };
  // A sample's time delta is the time until the next sample: charge it to the sampled stack.
  for (let k = 0; k < profile.samples.length; k++) {
    const ms = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    let id: number | undefined = profile.samples[k]!;
    entry(label(byId.get(id)!.callFrame)).selfMs += ms;
    const seen = new Set<string>();
    for (; id !== undefined; id = parent.get(id)) {
      const name = label(byId.get(id)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      entry(name).totalMs += ms;
    }
  }
  return [...times.values()];
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error("usage: summarise-profile.ts <file.cpuprofile> [top]");
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const all = summarise(profile);
  const sampled = all.reduce((a, t) => a + t.selfMs, 0);
  const row = (t: FunctionTime, ms: number) =>
    `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / sampled).toFixed(1).padStart(5)} %  ${t.name}`;
  console.log(`sampled ${sampled.toFixed(0)} ms\n\ntop self time:`);
  for (const t of [...all].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(row(t, t.selfMs));
  console.log("\ntop total time:");
  for (const t of [...all].sort((a, b) => b.totalMs - a.totalMs).slice(0, top))
    console.log(row(t, t.totalMs));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
