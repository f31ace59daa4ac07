// A fresh clone must pass its tests and run its documented commands on its own: nothing may read files
// from beside the repository (a sibling `shared` folder exists only where Fjord was first developed), and
// third-party data ships with its source and terms.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SCANNED = ["src", "test", "bench", "bin", "docs", "facilities", "policies", "workloads"];
const SCANNED_FILES = ["README.md", "package.json", "vitest.config.ts", "tsconfig.json"];
const TEXT = /\.(ts|js|json|md|ya?ml|jsonl|csv)$/;
// Built from parts so that this file does not match itself.
const OUTSIDE = new RegExp(["\\.\\.", "/work"].map((prefix) => `${prefix}/shared\\b`).join("|"));

function textFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return textFiles(path);
    return TEXT.test(entry.name) ? [path] : [];
  });
}

describe("a fresh clone", () => {
  it("reads nothing from outside the repository", () => {
    const files = [...SCANNED.flatMap(textFiles), ...SCANNED_FILES];
    const outside = files.flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, i) => (OUTSIDE.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(outside).toEqual([]);
  });

  it("ships the Alibaba trace with where it came from and its terms of use", () => {
    const dir = join(ROOT, "workloads/alibaba-gpu-2023");
    for (const file of [
      "openb_node_list_gpu_node.csv",
      "openb_pod_list_default.csv",
      "README.md",
      "NOTICE",
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, "NOTICE"), "utf8")).toContain("https://github.com/alibaba/clusterdata");
  });
});
