import { describe, expect, it } from "vitest";
import { facility } from "../../../test/support/build.ts";
import type { Caller } from "../auth/authenticator.ts";
import { facilityToWire } from "./facility.ts";

const FACILITY = facility(
  { id: "no1", racks: 2, nodesPerRack: 2 },
  { id: "oslo-onprem", owner: "aurora-labs", racks: 1, nodesPerRack: 2 },
);

const caller = (role: Caller["role"], tenantId: string | null): Caller => ({
  keyId: "key_test",
  role,
  tenantId,
  rateLimitPerMin: null,
});

describe("facilityToWire", () => {
  it("counts each site's halls, racks, nodes and GPUs by node type", () => {
    const [site] = facilityToWire(FACILITY, caller("operator", null)).sites;
    expect(site).toMatchObject({
      id: "no1",
      halls: 1,
      racks: 2,
      nodes: 4,
      gpus: 16,
      nodeTypes: [{ nodeType: "gb300", nodes: 4, gpus: 16 }],
    });
  });

  it("names the tenant that owns a site to operators and to that tenant, and to nobody else", () => {
    const ownerSeenBy = (c: Caller) => facilityToWire(FACILITY, c).sites.find((s) => s.id === "oslo-onprem");
    expect(ownerSeenBy(caller("operator", null))).toMatchObject({
      operator: "tenant",
      operatorTenant: "aurora-labs",
    });
    expect(ownerSeenBy(caller("tenant-member", "aurora-labs"))?.operatorTenant).toBe("aurora-labs");
    expect(ownerSeenBy(caller("tenant-admin", "sisu-ai"))).toMatchObject({
      operator: "tenant",
      operatorTenant: null,
    });
  });
});
