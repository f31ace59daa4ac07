import { describe, expect, it } from "vitest";
import { decide, facility, job, policy, tenant, tier } from "../../test/support/build.ts";
import { compileFacility } from "./compile-facility.ts";
import { siteAllows } from "./eligibility.ts";

const onePolicy = policy([tier("national", 1000)], [tenant("a", "national")]);
const f = facility({ id: "no", racks: 1, nodesPerRack: 1, latencyMs: { nordics: 10 } });
const BUILT_IN_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];

describe("latency bounds to a user region", () => {
  it("never place a job whose region no site names, even one named like a built-in property", () => {
    for (const region of BUILT_IN_NAMES) {
      const j = job("a", { gpus: 4, maxLatency: { region, ms: 1 } });
      expect(siteAllows(compileFacility(f), 0, j)).toBe(`site no has no latency figure for region ${region}`);
      const d = decide(f, onePolicy, [j]);
      expect(d.start, region).toEqual([]);
      expect(d.waiting[0]!.reason).toMatchObject({ kind: "no-eligible-site" });
    }
  });

  it("read a region a site names, whatever it is called", () => {
    const named = facility({
      id: "no",
      racks: 1,
      nodesPerRack: 1,
      latencyMs: Object.fromEntries([["constructor", 30]]),
    });
    const j = job("a", { gpus: 4, maxLatency: { region: "constructor", ms: 20 } });
    expect(siteAllows(compileFacility(named), 0, j)).toBe(
      "site no is 30 ms from constructor, over the 20 ms bound",
    );
  });
});
