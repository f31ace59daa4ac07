import { describe, expect, it } from "vitest";
import { tenant, tier } from "../../test/support/build.ts";
import type { Tenant } from "../model/types.ts";
import { mulberry32 } from "./prng.ts";
import { tenantChooser } from "./tenant-mix.ts";

const tiers = [tier("nat", 10), tier("eu", 10), tier("eu2", 10), tier("glob", 10)];
const small = (t: Tenant, quotaGpus: number): Tenant => ({ ...t, quotaGpus });
const tenants = [
  tenant("n1", "nat"),
  tenant("e1", "eu"),
  tenant("e2", "eu2"),
  small(tenant("g1", "glob"), 64),
];
const draw = (shares: { first: number; middle: number; last: number }, gpus: number, list = tenants) => {
  const choose = tenantChooser(list, tiers);
  const rng = mulberry32(5);
  const counts = new Map<string, number>();
  for (let i = 0; i < 10_000; i++) {
    const id = choose(rng, shares, gpus).id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

describe("tenantChooser", () => {
  it("splits jobs over the first, middle and last tiers by the class's shares", () => {
    const c = draw({ first: 0.5, middle: 0.4, last: 0.1 }, 8);
    expect(c.get("n1")! / 10_000).toBeCloseTo(0.5, 1);
    expect((c.get("e1")! + c.get("e2")!) / 10_000).toBeCloseTo(0.4, 1);
    expect(c.get("g1")! / 10_000).toBeCloseTo(0.1, 1);
  });

  it("passes over tenants whose quota is smaller than the job", () => {
    const c = draw({ first: 0, middle: 0, last: 1 }, 128);
    expect(c.has("g1")).toBe(false);
  });

  it("falls back to any tenant when no tier with a share has one", () => {
    const c = draw({ first: 1, middle: 0, last: 0 }, 8, [tenant("g9", "glob")]);
    expect([...c.keys()]).toEqual(["g9"]);
  });

  it("does not depend on the order tenants are listed in", () => {
    const shares = { first: 0.3, middle: 0.3, last: 0.4 };
    expect(draw(shares, 8, [...tenants].reverse())).toEqual(draw(shares, 8));
  });

  it("refuses tenants of unlisted tiers and an empty tenant list", () => {
    expect(() => tenantChooser([tenant("x", "nope")], tiers)).toThrow(/tier nope, which is not listed/);
    expect(() => tenantChooser([], tiers)).toThrow(/at least one tenant/);
  });
});
