import { afterEach, describe, expect, it } from "vitest";
import { facility, policy, T0, tenant, tier } from "../../test/support/build.ts";
import { openStore } from "../store/open-store.ts";
import type { Principal } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { DemoLoad } from "./demo-load.ts";
import type { LiveControlPlane } from "./live-control-plane.ts";
import { startControlPlane } from "./start-control-plane.ts";

const FACILITY = facility({ id: "no1", racks: 8, nodesPerRack: 4, racksPerBlock: 4 });
const POLICY = policy(
  [tier("national", 32), tier("global", 0, { reclaimByPreemption: false })],
  [tenant("aurora", "national"), tenant("falcon", "global")],
);
const OPERATOR: Principal = { keyId: "key_operator", role: "operator", tenantId: null };
const DEMO: Principal = { keyId: "demo-load", role: "operator", tenantId: null };

const opened: { store: Store; cp: LiveControlPlane }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.cp.stop();
    await o.store.close();
  }
});

async function jobIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listJobs({ limit: 1000, cursor });
    ids.push(...page.items.map((r) => r.job.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

describe("the demo load", () => {
  it("takes a restart after a tenant was added: jobs stored before are not submitted again, and nothing throws", async () => {
    const store = await openStore({ dataDir: null });
    const cp = await startControlPlane({
      store,
      facility: FACILITY,
      policy: POLICY,
      speed: 1,
      startAtMs: T0,
    });
    opened.push({ store, cp });
    const errors: Error[] = [];
    const first = new DemoLoad(cp, DEMO, { seed: 1, scale: 1, onError: (e) => errors.push(e) });
    await first.tick();
    const before = await jobIds(store);
    expect(before.length).toBeGreaterThan(20);

    // A tenant added through the API deals the same demo ids out to other tenants after a restart.
    await cp.putTenant(OPERATOR, tenant("zeta", "global"));
    const restarted = new DemoLoad(cp, DEMO, { seed: 1, scale: 1, onError: (e) => errors.push(e) });
    await restarted.tick();

    expect(errors).toEqual([]);
    const after = await jobIds(store);
    expect(new Set(after).size).toBe(after.length);
    expect(after.filter((id) => !before.includes(id))).toEqual([]);
  });
});
