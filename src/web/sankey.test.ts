// The Sankey layout and the energy page's flows, outside a browser: bands are as wide as their values on
// one scale, stack inside their nodes without overlap, columns fit the height; and a site's hours become
// flows that balance at the facility node and at the IT load.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { siteFlows, sumHours } from "./energy-flows.js";
import { layoutSankey } from "./sankey.js";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const HEIGHT = 360;
const EPS = 1e-6;

/** Three columns: sources into one hub, the hub out to sinks; any values, zeros included. */
const flowsArb = fc
  .record({
    sources: fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5 }),
    sinkShares: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ sources, sinkShares }) => {
    const total = sources.reduce((a, b) => a + b, 0);
    const shareSum = sinkShares.reduce((a, b) => a + b, 0);
    const nodes = [
      ...sources.map((_, i) => ({ id: `s${i}`, label: `s${i}`, column: 0, colour: "#000" })),
      { id: "hub", label: "hub", column: 1, colour: "#000" },
      ...sinkShares.map((_, i) => ({ id: `t${i}`, label: `t${i}`, column: 2, colour: "#000" })),
    ];
    const links = [
      ...sources.map((value, i) => ({ source: `s${i}`, target: "hub", value })),
      ...sinkShares.map((share, i) => ({
        source: "hub",
        target: `t${i}`,
        value: shareSum > 0 ? (total * share) / shareSum : 0,
      })),
    ];
    return { nodes, links };
  });

describe("layoutSankey", () => {
  it("draws every flow on one scale, stacked inside its nodes, with columns inside the height", () => {
    fc.assert(
      fc.property(flowsArb, ({ nodes, links }) => {
        const layout = layoutSankey(nodes, links, HEIGHT);
        const bands = layout.links;
        if (bands.length === 0) return;
        // The scale read off the widest band, where rounding matters least.
        const widest = bands.reduce((a, b) => (b.value > a.value ? b : a));
        const scale = widest.width / widest.value;
        for (const b of bands)
          expect(Math.abs(b.width - b.value * scale)).toBeLessThanOrEqual(1e-9 * Math.max(1, b.width));
        expect(bands.every((b) => b.value > 0)).toBe(true);
        for (const column of [0, 1, 2]) {
          const placed = layout.nodes.filter((n) => n.column === column).sort((a, b) => a.y - b.y);
          for (const [i, n] of placed.entries()) {
            expect(n.y).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(n.y).toBeGreaterThanOrEqual(placed[i - 1]!.y + placed[i - 1]!.h - EPS);
          }
          // Nodes drawn at their minimum height may overrun by that minimum each, never more.
          const last = placed.at(-1);
          if (last) expect(last.y + last.h).toBeLessThanOrEqual(HEIGHT + 2 * placed.length + EPS);
        }
        // What leaves a node fits in it, and so does what enters it.
        for (const n of layout.nodes) {
          const out = bands.filter((b) => b.source === n.id).reduce((s, b) => s + b.width, 0);
          const into = bands.filter((b) => b.target === n.id).reduce((s, b) => s + b.width, 0);
          expect(out).toBeLessThanOrEqual(n.h + EPS);
          expect(into).toBeLessThanOrEqual(n.h + EPS);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("leaves out nodes that nothing flows through", () => {
    const layout = layoutSankey(
      [
        { id: "a", label: "a", column: 0, colour: "#000" },
        { id: "b", label: "b", column: 1, colour: "#000" },
        { id: "idle", label: "idle", column: 1, colour: "#000" },
      ],
      [
        { source: "a", target: "b", value: 5 },
        { source: "a", target: "idle", value: 0 },
      ],
      100,
    );
    expect(layout.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(layout.links.map((l) => l.target)).toEqual(["b"]);
  });
});

describe("siteFlows", () => {
  const site = {
    name: "Kvandal",
    sources: [
      { id: "solar", kind: "on-site" },
      { id: "hydro-a", kind: "ppa" },
      { id: "hydro-b", kind: "ppa" },
    ],
    offtakers: [
      { id: "district", kind: "district-heating" },
      { id: "trout", kind: "fish-farm" },
    ],
  };
  const hour = (it: number) => ({
    at: "2026-12-06T22:00:00.000Z",
    projected: false,
    itKWh: it,
    coolingLiquidKWh: it * 0.015,
    coolingAirKWh: it * 0.015,
    upsLossKWh: it * 0.03,
    transformerLossKWh: it * 0.01,
    auxiliaryKWh: 1,
    facilityKWh: it * 1.07 + 1,
    onSiteKWh: 2,
    ppaKWh: it * 0.5,
    guaranteesKWh: 0,
    gridKWh: it * 0.57 - 1,
    heatReusedKWh: it * 0.3,
    heatRejectedKWh: it * 0.7,
    offtakerKWh: [it * 0.25, it * 0.05],
    waterL: it * 0.1,
    baselineWaterL: it * 1.8,
  });

  it("sums hours field by field, offtakers one by one", () => {
    const t = sumHours([hour(100), hour(300)]);
    expect(t.itKWh).toBe(400);
    expect(t.offtakerKWh).toEqual([100, 20]);
    expect(t.waterL).toBeCloseTo(40);
  });

  it("balances at the facility node and at the IT load, and groups sources by kind", () => {
    const { nodes, links } = siteFlows(site, sumHours([hour(1000), hour(2000)]));
    const sum = (pick: (l: { source: string; target: string }) => boolean) =>
      links.filter(pick).reduce((s: number, l: { value: number }) => s + l.value, 0);
    const facility = 3000 * 1.07 + 2;
    expect(sum((l) => l.target === "edc")).toBeCloseTo(facility, 6);
    expect(sum((l) => l.source === "edc")).toBeCloseTo(facility, 6);
    expect(sum((l) => l.source === "it")).toBeCloseTo(3000, 6);
    expect(
      nodes.filter((n: { column: number }) => n.column === 0).map((n: { label: string }) => n.label),
    ).toEqual(["On-site solar", "PPA hydro-a, hydro-b", "Grid, not covered"]);
  });
});
