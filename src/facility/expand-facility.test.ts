import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validate } from "../model/input-schemas.ts";
import type { Facility } from "../model/types.ts";
import { readYaml } from "../model/yaml-source.ts";
import { expandFacility } from "./expand-facility.ts";
import { facilitySchema } from "./facility-schema.ts";
import { loadFacilityFile } from "./load-facility-file.ts";

function gpusAt(facility: Facility, siteId: string, gpuModel: string): number {
  const types = new Map(facility.nodeTypes.map((t) => [t.id, t]));
  let gpus = 0;
  for (const node of facility.nodes) {
    const type = types.get(node.nodeTypeId)!;
    if (node.siteId === siteId && type.gpuModel === gpuModel) gpus += type.gpusPerNode;
  }
  return gpus;
}

const STARGATE = "facilities/stargate-norway.yaml";

describe("stargate-norway.yaml expansion", () => {
  const facility = loadFacilityFile(STARGATE);

  it("yields 100,008 GB300 GPUs at Kvandal, 10,080 in Abu Dhabi and 256 H100 on the Oslo on-prem site", () => {
    expect(gpusAt(facility, "no-kvandal", "GB300")).toBe(100_008);
    expect(gpusAt(facility, "ae-abu-dhabi", "GB300")).toBe(10_080);
    expect(gpusAt(facility, "tenant-oslo-onprem", "H100")).toBe(256);
    expect(facility.nodes).toHaveLength(1_389 * 18 + 140 * 18 + 32);
  });

  it("spreads Kvandal's 1,389 racks over four halls, each rack one 72-GPU NVLink domain", () => {
    const kvandalRacks = facility.racks.filter((r) => r.siteId === "no-kvandal");
    expect(kvandalRacks).toHaveLength(1_389);
    expect(facility.halls.filter((h) => h.siteId === "no-kvandal").map((h) => h.id)).toEqual([
      "no-kvandal/hall-a",
      "no-kvandal/hall-b",
      "no-kvandal/hall-c",
      "no-kvandal/hall-d",
    ]);
    const nodesPerDomain = new Map<string, number>();
    for (const n of facility.nodes) {
      if (n.siteId === "no-kvandal")
        nodesPerDomain.set(n.domainId, (nodesPerDomain.get(n.domainId) ?? 0) + 1);
    }
    expect(nodesPerDomain.size).toBe(1_389);
    expect(new Set(nodesPerDomain.values())).toEqual(new Set([18]));
  });

  it("joins the tenant's cluster as a site the tenant operates, one NVLink domain per HGX node", () => {
    const onprem = facility.sites.find((s) => s.id === "tenant-oslo-onprem")!;
    expect(onprem.operator).toEqual({ tenantId: "aurora-labs" });
    const nodes = facility.nodes.filter((n) => n.siteId === "tenant-oslo-onprem");
    expect(nodes).toHaveLength(32);
    expect(nodes.every((n) => n.domainId === n.id)).toBe(true);
    expect(new Set(nodes.map((n) => n.blockId))).toEqual(
      new Set(["tenant-oslo-onprem/oslo-server-room-b01"]),
    );
  });

  it("cuts a 348-rack hall into network blocks of 32 racks, the last one smaller", () => {
    const racksPerBlock = new Map<string, Set<string>>();
    for (const n of facility.nodes) {
      if (n.hallId !== "no-kvandal/hall-a") continue;
      const racks = racksPerBlock.get(n.blockId) ?? new Set<string>();
      racks.add(n.rackId);
      racksPerBlock.set(n.blockId, racks);
    }
    expect([...racksPerBlock.keys()]).toHaveLength(11);
    expect([...racksPerBlock.values()].map((r) => r.size)).toEqual([
      32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 28,
    ]);
    expect(racksPerBlock.get("no-kvandal/hall-a-b11")?.has("no-kvandal/hall-a-r348")).toBe(true);
  });

  it("gives every node a distinct id", () => {
    expect(new Set(facility.nodes.map((n) => n.id)).size).toBe(facility.nodes.length);
  });

  it("gives Kvandal its hydro PPA and heat offtakers under Norway's registration, and Abu Dhabi no scheme", () => {
    const energy = (id: string) => facility.sites.find((s) => s.id === id)!.energy!;
    const kvandal = energy("no-kvandal");
    expect(kvandal.supply.sources).toEqual([{ id: "nordland-hydro-ppa", kind: "ppa", amount: { share: 1 } }]);
    expect(kvandal.heatRecovery.offtakers.map((o) => o.id)).toEqual([
      "narvik-district-heating",
      "ofoten-trout-farm",
    ]);
    expect(kvandal.reporting.scheme).toBe("no-nkom");
    expect(energy("ae-abu-dhabi").reporting.scheme).toBe("none");
    expect(energy("ae-abu-dhabi").syntheticSignals.monthlyMeanTemperatureC[6]).toBe(35);
    expect(energy("tenant-oslo-onprem").supply.sources).toEqual([]);
  });

  it("expands the ~27,500-node facility in under 100 ms", () => {
    const doc = validate(facilitySchema, readYaml(readFileSync(STARGATE, "utf8"), STARGATE).data, STARGATE);
    // Best of three, so one garbage-collection pause on a busy CI machine does not fail the test.
    const times = [0, 1, 2].map(() => {
      const started = performance.now();
      expandFacility(doc);
      return performance.now() - started;
    });
    expect(Math.min(...times)).toBeLessThan(100);
  });
});

describe("small-two-sites.yaml ids", () => {
  const facility = loadFacilityFile("facilities/small-two-sites.yaml");

  it("names racks <site>/<hall>-rNNN and nodes <rack>-nNN, in declaration order", () => {
    expect(facility.racks.map((r) => r.id)).toEqual([
      "no-test/hall-a-r001",
      "no-test/hall-a-r002",
      "ae-test/hall-b-r001",
    ]);
    expect(facility.nodes.map((n) => n.id)).toEqual([
      "no-test/hall-a-r001-n01",
      "no-test/hall-a-r001-n02",
      "no-test/hall-a-r001-n03",
      "no-test/hall-a-r001-n04",
      "no-test/hall-a-r002-n01",
      "no-test/hall-a-r002-n02",
      "no-test/hall-a-r002-n03",
      "no-test/hall-a-r002-n04",
      "ae-test/hall-b-r001-n01",
      "ae-test/hall-b-r001-n02",
    ]);
  });

  it("uses the rack as NVLink domain for `rack` groups and the node itself for `node` groups", () => {
    const byId = new Map(facility.nodes.map((n) => [n.id, n]));
    expect(byId.get("no-test/hall-a-r002-n03")?.domainId).toBe("no-test/hall-a-r002");
    expect(byId.get("ae-test/hall-b-r001-n02")?.domainId).toBe("ae-test/hall-b-r001-n02");
  });

  it("names blocks <site>/<hall>-bNN and starts every node up", () => {
    expect(new Set(facility.nodes.map((n) => n.blockId))).toEqual(
      new Set(["no-test/hall-a-b01", "ae-test/hall-b-b01"]),
    );
    expect(facility.nodes.every((n) => n.state === "up")).toBe(true);
  });
});

describe("rack numbering", () => {
  it("pads rack numbers to three digits and grows past 999, numbering across the hall's rack groups", () => {
    const group = { nodeType: "t", nodesPerRack: 1, nvlinkDomain: "node", racksPerNetworkBlock: 500 };
    const doc = validate(
      facilitySchema,
      {
        id: "big",
        nodeTypes: [
          {
            id: "t",
            gpuModel: "H100",
            gpusPerNode: 8,
            gpuMemoryGiB: 80,
            gpuIdlePowerW: 80,
            gpuMaxPowerW: 700,
            cpuCores: 112,
            memoryGiB: 2048,
            nodeOverheadPowerW: 3000,
          },
        ],
        sites: [
          {
            id: "s",
            country: "NO",
            jurisdictions: ["NO"],
            gridZone: "NO1",
            halls: [
              {
                id: "h",
                rackGroups: [
                  { ...group, count: 998 },
                  { ...group, count: 3 },
                ],
              },
            ],
          },
        ],
      },
      "input",
    );
    const facility = expandFacility(doc);
    expect(facility.racks.slice(996).map((r) => r.id)).toEqual([
      "s/h-r997",
      "s/h-r998",
      "s/h-r999",
      "s/h-r1000",
      "s/h-r1001",
    ]);
    // Group one fills blocks b01 (500 racks) and b02 (498); group two starts its own block b03.
    expect(facility.nodes.at(997)?.blockId).toBe("s/h-b02");
    expect(facility.nodes.at(998)?.blockId).toBe("s/h-b03");
  });
});
