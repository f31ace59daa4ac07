import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { facilityFromDocument, parseFacilityYaml } from "./parse-facility.ts";

/** A valid one-site facility each test breaks in one way. */
function baseDoc() {
  return {
    id: "f",
    nodeTypes: [
      {
        id: "tray",
        gpuModel: "GB300",
        gpusPerNode: 4,
        gpuMemoryGiB: 279,
        gpuIdlePowerW: 200,
        gpuMaxPowerW: 1400,
        cpuCores: 144,
        memoryGiB: 960,
        nodeOverheadPowerW: 1600,
      },
    ] as Record<string, unknown>[],
    sites: [
      {
        id: "s1",
        country: "NO",
        jurisdictions: ["NO", "EEA"],
        gridZone: "NO4",
        operator: "facility" as unknown,
        latencyMs: { nordics: 10 } as Record<string, unknown>,
        halls: [
          {
            id: "h1",
            rackGroups: [
              { count: 3, nodeType: "tray", nodesPerRack: 18, nvlinkDomain: "rack", racksPerNetworkBlock: 2 },
            ] as Record<string, unknown>[],
          },
        ] as { id: string; rackGroups: Record<string, unknown>[] }[],
      },
    ] as Record<string, unknown>[],
  };
}

function rackGroup(doc: ReturnType<typeof baseDoc>): Record<string, unknown> {
  return (doc.sites[0] as { halls: { rackGroups: Record<string, unknown>[] }[] }).halls[0]!.rackGroups[0]!;
}

function problems(doc: unknown): string[] {
  return issueLines(catchInputError(() => facilityFromDocument(doc, "f.yaml")));
}

describe("facilityFromDocument", () => {
  it("accepts the base document, defaulting names to ids", () => {
    const facility = facilityFromDocument(baseDoc());
    expect(facility.name).toBe("f");
    expect(facility.sites[0]?.name).toBe("s1");
    expect(facility.nodes).toHaveLength(54);
    expect(new Set(facility.nodes.map((n) => n.blockId))).toEqual(new Set(["s1/h1-b01", "s1/h1-b02"]));
  });

  it("rejects an unknown key at its path and lists the keys allowed there", () => {
    const doc = baseDoc();
    rackGroup(doc).nodesPerRak = 18;
    expect(problems(doc)).toEqual([
      "sites[0].halls[0].rackGroups[0].nodesPerRak: is not a known key here (known keys: count, nodeType, nodesPerRack, nvlinkDomain, racksPerNetworkBlock)",
    ]);
  });

  it("rejects a rack count that is not a positive integer", () => {
    const doc = baseDoc();
    rackGroup(doc).count = 0;
    expect(problems(doc)).toEqual(["sites[0].halls[0].rackGroups[0].count: must be a positive integer"]);
    rackGroup(doc).count = 2.5;
    expect(problems(doc)).toEqual(["sites[0].halls[0].rackGroups[0].count: must be a positive integer"]);
  });

  it("names missing fields and wrong types in plain words", () => {
    const doc = baseDoc();
    delete doc.sites[0]!.gridZone;
    doc.nodeTypes[0]!.cpuCores = "many";
    expect(problems(doc)).toEqual([
      'nodeTypes[0].cpuCores: must be a number, not "many"',
      "sites[0].gridZone: is required",
    ]);
  });

  it("rejects a reference to a node type that is not declared, listing the known ones", () => {
    const doc = baseDoc();
    rackGroup(doc).nodeType = "gb200";
    expect(problems(doc)).toEqual([
      "sites[0].halls[0].rackGroups[0].nodeType: unknown node type 'gb200' (known: tray)",
    ]);
  });

  it("rejects duplicate node type, site and hall ids, hall ids across sites included", () => {
    const doc = baseDoc();
    doc.nodeTypes.push({ ...doc.nodeTypes[0] });
    doc.sites.push(structuredClone(doc.sites[0]!));
    expect(problems(doc)).toEqual([
      "nodeTypes[1].id: duplicate node type id 'tray' (first used at nodeTypes[0].id)",
      "sites[1].id: duplicate site id 's1' (first used at sites[0].id)",
      "sites[1].halls[0].id: duplicate hall id 'h1' (first used at sites[0].halls[0].id)",
    ]);
  });

  it("rejects a rack-wide NVLink domain of more than 144 GPUs and says why", () => {
    const doc = baseDoc();
    rackGroup(doc).nodesPerRack = 40;
    expect(problems(doc)).toEqual([
      "sites[0].halls[0].rackGroups[0].nodesPerRack: gives an NVLink domain of 160 GPUs (40 nodes × 4 GPUs), more than 144 (twice NVL72, the largest rack-scale domain); check nodesPerRack",
    ]);
  });

  it("allows many GPUs per rack when each node is its own NVLink domain", () => {
    const doc = baseDoc();
    rackGroup(doc).nodesPerRack = 40;
    rackGroup(doc).nvlinkDomain = "node";
    expect(facilityFromDocument(doc).nodes).toHaveLength(120);
  });

  it("rejects a GPU idle power above its maximum power", () => {
    const doc = baseDoc();
    doc.nodeTypes[0]!.gpuIdlePowerW = 1500;
    expect(problems(doc)).toEqual([
      "nodeTypes[0].gpuIdlePowerW: must not exceed gpuMaxPowerW (1500 W > 1400 W)",
    ]);
  });

  it("reads shared and MIG-partitioned GPU types, and refuses a bad profile or both at once", () => {
    const doc = baseDoc() as ReturnType<typeof baseDoc> & { nodeTypes: Record<string, unknown>[] };
    doc.nodeTypes[0]!.migProfiles = ["1g.10gb", "3g.40gb"];
    expect(facilityFromDocument(doc).nodeTypes[0]!.migProfiles).toEqual(["1g.10gb", "3g.40gb"]);
    doc.nodeTypes[0]!.migProfiles = ["8g.80gb", "1g.10gb", "1g.10gb"];
    doc.nodeTypes[0]!.gpuSharing = true;
    expect(problems(doc)).toEqual([
      "nodeTypes[0].migProfiles[0]: must be a MIG profile <slices>g.<memory>gb with 1–7 slices, e.g. 3g.40gb",
      "nodeTypes[0].migProfiles: must not list a profile twice",
    ]);
    doc.nodeTypes[0]!.migProfiles = ["1g.10gb"];
    expect(problems(doc)).toEqual([
      "nodeTypes[0].migProfiles: a GPU type is either shared in thousandths (gpuSharing) or partitioned (migProfiles), not both",
    ]);
  });

  it("reads a tenant operator as { tenantId } and rejects an empty tenant id", () => {
    const doc = baseDoc();
    doc.sites[0]!.operator = { tenant: "aurora-labs" };
    expect(facilityFromDocument(doc).sites[0]?.operator).toEqual({ tenantId: "aurora-labs" });
    doc.sites[0]!.operator = { tenant: "" };
    expect(problems(doc)).toEqual([
      "sites[0].operator.tenant: must be an id: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
    ]);
  });

  it("rejects an operator that is neither facility nor a tenant", () => {
    const doc = baseDoc();
    doc.sites[0]!.operator = "facilty";
    expect(problems(doc)).toEqual([
      'sites[0].operator: must be "facility" or { tenant: <tenant id> } for a tenant-run site',
    ]);
  });

  it("requires at least one jurisdiction, each an upper-case tag", () => {
    const doc = baseDoc();
    doc.sites[0]!.jurisdictions = [];
    expect(problems(doc)).toEqual([
      "sites[0].jurisdictions: must list at least one jurisdiction, like [NO, EEA]",
    ]);
    doc.sites[0]!.jurisdictions = ["NO", "eea"];
    expect(problems(doc)).toEqual([
      "sites[0].jurisdictions[1]: must be an upper-case jurisdiction tag like NO, EEA or GCC",
    ]);
  });

  it("rejects negative latencies at the region's path", () => {
    const doc = baseDoc();
    doc.sites[0]!.latencyMs = { nordics: -3 };
    expect(problems(doc)).toEqual(["sites[0].latencyMs.nordics: must be 0 or more"]);
  });

  it("rejects an nvlinkDomain other than rack or node", () => {
    const doc = baseDoc();
    rackGroup(doc).nvlinkDomain = "switch";
    expect(problems(doc)).toEqual([
      'sites[0].halls[0].rackGroups[0].nvlinkDomain: must be one of rack, node, not "switch"',
    ]);
  });

  it("rejects a document that is not a mapping", () => {
    expect(problems([1, 2])).toEqual([": must be a mapping, not a list"]);
  });
});

describe("parseFacilityYaml", () => {
  it("names the file, the path and the YAML line of a bad field", () => {
    const text = [
      "id: f",
      "nodeTypes:",
      "  - { id: t, gpuModel: H100, gpusPerNode: 8, gpuMemoryGiB: 80, gpuIdlePowerW: 80, gpuMaxPowerW: 700,",
      "      cpuCores: 112, memoryGiB: 2048, nodeOverheadPowerW: 3000 }",
      "sites:",
      "  - id: s",
      "    country: NO",
      "    jurisdictions: [NO]",
      "    gridZone: NO1",
      "    halls:",
      "      - id: h",
      "        rackGroups:",
      "          - count: -2",
      "            nodeType: t",
      "            nodesPerRack: 2",
      "            nvlinkDomain: node",
      "            racksPerNetworkBlock: 1",
    ].join("\n");
    const err = catchInputError(() => parseFacilityYaml(text, "facilities/x.yaml"));
    expect(err.message).toBe(
      "facilities/x.yaml: sites[0].halls[0].rackGroups[0].count: must be a positive integer (line 13)",
    );
  });
});

describe("the sites' energy block", () => {
  function withEnergy(energy: unknown, country = "NO", jurisdictions = ["NO", "EEA"]) {
    const doc = baseDoc();
    Object.assign(doc.sites[0]!, { energy, country, jurisdictions });
    return doc;
  }

  it("fills every omitted field with the documented defaults, settling scheme and residual mix from the site", () => {
    const norway = facilityFromDocument(baseDoc()).sites[0]!.energy!;
    expect(norway.cooling.liquidShare).toBe(0.75);
    expect(norway.heatRecovery).toEqual({ capturedShare: 0.75, supplyTemperatureC: 45, offtakers: [] });
    expect(norway.supply).toEqual({ sources: [], residualMixGPerKWh: 402 });
    expect(norway.reporting.scheme).toBe("no-nkom");
    expect(norway.syntheticSignals.carbonIntensityGPerKWh).toBe(15);
    const eu = facilityFromDocument(withEnergy(undefined, "FI", ["FI", "EU", "EEA"])).sites[0]!.energy!;
    expect([eu.reporting.scheme, eu.supply.residualMixGPerKWh]).toEqual(["eu-eed", null]);
    const gulf = facilityFromDocument(
      withEnergy({ syntheticSignals: { preset: "abu-dhabi-ae" } }, "AE", ["AE"]),
    );
    expect(gulf.sites[0]!.energy!.reporting.scheme).toBe("none");
    expect(gulf.sites[0]!.energy!.syntheticSignals.utcOffsetH).toBe(4);
  });

  it("takes a site's own figures, an offtaker's kind defaults, and the captured share from the liquid share", () => {
    const energy = facilityFromDocument(
      withEnergy({
        cooling: { liquidShare: 0.8, air: { freeCoolingMaxC: 20 } },
        heatRecovery: { offtakers: [{ id: "dh", kind: "district-heating", peakPowerW: 1e6 }] },
        supply: { sources: [{ id: "hydro", kind: "ppa", share: 1 }], residualMixGPerKWh: null },
        reporting: { owner: "Owner AS", operationsStartedOn: "2026-03-01", scheme: "eu-eed" },
        syntheticSignals: { carbonIntensityGPerKWh: 40 },
      }),
    ).sites[0]!.energy!;
    expect(energy.cooling.air).toEqual({ freeCoolingMaxC: 20, auxPowerShare: 0.06 });
    expect(energy.heatRecovery.capturedShare).toBe(0.8);
    expect(energy.heatRecovery.offtakers[0]).toMatchObject({ minTemperatureC: 70, heatPumpCop: 3.5 });
    expect(energy.supply).toEqual({
      sources: [{ id: "hydro", kind: "ppa", amount: { share: 1 } }],
      residualMixGPerKWh: null,
    });
    expect(energy.reporting).toMatchObject({
      owner: "Owner AS",
      operationsStartedOn: "2026-03-01",
      scheme: "eu-eed",
    });
    expect(energy.syntheticSignals).toMatchObject({ carbonIntensityGPerKWh: 40, utcOffsetH: 1 });
  });

  it("names each bad field at its path with the rule it breaks", () => {
    const doc = withEnergy({
      cooling: { liquidShare: 1.2 },
      electrical: { upsEfficiency: 0 },
      heatRecovery: {
        offtakers: [
          { id: "a", kind: "fish-farm", peakPowerW: 10, monthlyShare: [1, 1] },
          { id: "a", kind: "sauna", peakPowerW: 10, heatPumpCop: 1 },
        ],
      },
      supply: { sources: [{ id: "p", kind: "ppa", share: 0.5, powerW: 5 }] },
      reporting: { operationsStartedOn: "last spring" },
    });
    expect(problems(doc)).toEqual([
      "sites[0].energy.cooling.liquidShare: must be a share from 0 to 1",
      "sites[0].energy.electrical.upsEfficiency: must be an efficiency above 0 and at most 1",
      "sites[0].energy.heatRecovery.offtakers[0].monthlyShare: must list 12 shares, one per month, January first",
      'sites[0].energy.heatRecovery.offtakers[1].kind: must be one of district-heating, fish-farm, greenhouse, industry, not "sauna"',
      "sites[0].energy.heatRecovery.offtakers[1].heatPumpCop: must be greater than 1",
      "sites[0].energy.supply.sources[0]: give exactly one of powerW or share, like { share: 1 } or { powerW: 200000000 }",
      "sites[0].energy.reporting.operationsStartedOn: must be a date like 2026-03-01",
    ]);
  });

  it("refuses repeated offtaker and source ids at their full paths", () => {
    const doc = withEnergy({
      heatRecovery: {
        offtakers: [
          { id: "a", kind: "fish-farm", peakPowerW: 10 },
          { id: "a", kind: "industry", peakPowerW: 10 },
        ],
      },
      supply: {
        sources: [
          { id: "p", kind: "ppa", share: 0.5 },
          { id: "p", kind: "on-site", powerW: 10 },
        ],
      },
    });
    expect(problems(doc)).toEqual([
      "sites[0].energy.heatRecovery.offtakers[1].id: duplicate offtaker id 'a' (first used at sites[0].energy.heatRecovery.offtakers[0].id)",
      "sites[0].energy.supply.sources[1].id: duplicate source id 'p' (first used at sites[0].energy.supply.sources[0].id)",
    ]);
  });

  it("refuses sources whose shares cover more than all of the facility's energy", () => {
    const doc = withEnergy({
      supply: {
        sources: [
          { id: "p", kind: "ppa", share: 0.7 },
          { id: "g", kind: "guarantees-of-origin", share: 0.5 },
        ],
      },
    });
    expect(problems(doc)).toEqual([
      "sites[0].energy.supply.sources: shares add up to 1.2: more than all of the facility's energy",
    ]);
  });

  it("reads the facility's GPU utilisation by job kind, with defaults", () => {
    const doc = { ...baseDoc(), gpuUtilisation: { byKind: { training: 0.95 } } };
    expect(facilityFromDocument(doc).gpuUtilisation).toEqual({ default: 0.7, byKind: { training: 0.95 } });
    expect(facilityFromDocument(baseDoc()).gpuUtilisation?.byKind.frontier).toBe(0.9);
  });
});
