// Fjord promises to run on the oldest Node its package.json names: every package npm installs must accept
// that Node too, or `npm install` warns EBADENGINE and the package may use what that Node lacks.
import { readFileSync } from "node:fs";
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
