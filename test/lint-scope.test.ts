// `npm test` lints Fjord's sources, not what a user's commands write into the clone: the README's reports
// and exports (eed-2026/, footprint/, aurora-trail.json, wherever they land) must never fail the lint.
// Runs Biome with the project's own biome.json on a scratch tree, so the working tree is never touched.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");

const UNFORMATTED_JSON = '{"entries":[ {"seq":1,\n"action":"job.submit"}]}';
// Biome's recommended CSS rules refuse this (noDescendingSpecificity), as they did a report's stylesheet.
const DESCENDING_CSS = "a.x b { color: red; }\nb { color: blue; }\n";

let scratch: string | undefined;

afterEach(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function lintTree(files: Record<string, string>): { status: number | null; output: string } {
  scratch = mkdtempSync(join(tmpdir(), "fjord-lint-"));
  copyFileSync(join(ROOT, "biome.json"), join(scratch, "biome.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  const run = spawnSync(BIOME, ["check", "."], { cwd: scratch, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("the lint's scope", () => {
  it("ignores reports and exports written anywhere outside the sources", () => {
    const run = lintTree({
      "src/ok.ts": "export const ok = 1;\n",
      "aurora-trail.json": UNFORMATTED_JSON,
      "eed-2026/eed-report.json": UNFORMATTED_JSON,
      "eed-2026/report.css": DESCENDING_CSS,
      "footprint/footprint.json": UNFORMATTED_JSON,
      "out/eed-2026/eed-report.json": UNFORMATTED_JSON,
    });
    expect(run.output).not.toMatch(/aurora-trail|eed-report|footprint|report\.css/);
    expect(run.status).toBe(0);
  });

  it("still checks the sources", () => {
    const run = lintTree({ "src/unformatted.ts": "export const  ok=1" });
    expect(run.output).toContain("src/unformatted.ts");
    expect(run.status).not.toBe(0);
  });
});
