// Fjord promises to run on the oldest Node its package.json names: every package npm installs must accept
// that Node too, or `npm install` warns EBADENGINE and the package may use what that Node lacks.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockedPackage>;
};

describe("Node versions", () => {
  const oldestNode = semver.minVersion(manifest.engines.node)!.version;

  it("names a Node 20 release as the oldest it runs on", () => {
    expect(semver.major(oldestNode)).toBe(20);
  });

  it("installs no package that refuses the oldest Node Fjord runs on", () => {
    const refusing = Object.entries(lock.packages).flatMap(([path, pkg]) => {
      const wanted = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      if (wanted === undefined) return [];
      return semver.satisfies(oldestNode, wanted) ? [] : [`${path}@${pkg.version} wants node ${wanted}`];
    });
    expect(refusing).toEqual([]);
  });
});

const oldest = manifest.engines.node.replace(/^>=/, "");

describe("fjord on an older Node", () => {
  it("refuses to start with a sentence naming the Node it needs, exit code 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "fjord-old-node-"));
    // Node's version cannot be changed, but what the process reports of it can: this is what fjord reads.
    const preload = join(dir, "older-node.mjs");
    writeFileSync(preload, 'Object.defineProperty(process.versions, "node", { value: "20.10.0" });\n');
    try {
      const run = spawnSync(
        process.execPath,
        ["--import", preload, join(ROOT, "bin/fjord.js"), "--version"],
        {
          encoding: "utf8",
        },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`fjord: needs Node.js ${oldest} or newer; this is 20.10.0\n`);
      expect(run.stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
