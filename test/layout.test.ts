// The source tree's shape: product code never depends on test code, and no module imports itself back
// through others (a circle makes load order matter and hides which idea a file owns).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = normalize(join(import.meta.dirname, ".."));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const productFiles = sourceFiles("src").filter(
  (f) => !f.endsWith(".test.ts") && !f.includes("test-fixtures"),
);

function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => normalize(join(dirname(file), m[1]!)));
}

/** Strongly connected groups of more than one module (Tarjan). */
function importCircles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, relativeImports(f).filter((d) => files.includes(d))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) circles.push(group.sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return circles;
}

describe("source layout", () => {
  it("has no import circles among product modules", () => {
    expect(importCircles(productFiles)).toEqual([]);
  });

  it("keeps test harnesses out of the product's sources", () => {
    const leaking = productFiles.filter((f) => {
      const text = readFileSync(join(ROOT, f), "utf8");
      return (
        /from\s+"(vitest|fast-check)"/.test(text) || relativeImports(f).some((d) => d.startsWith("test/"))
      );
    });
    expect(leaking).toEqual([]);
    expect(productFiles.filter((f) => /(^|\/)test-[^/]*\.ts$|test-harness/.test(f))).toEqual([]);
  });

  it("keeps every worker thread's module in src/workers", () => {
    const threadModules = productFiles.filter((f) =>
      /new WorkerThread|serveCommands\(/.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(threadModules.length).toBeGreaterThan(0);
    expect(threadModules.filter((f) => relative("src/workers", f).startsWith(".."))).toEqual([]);
  });
});
