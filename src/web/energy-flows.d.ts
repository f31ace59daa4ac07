// Types of energy-flows.js, for the tests that run it outside a browser.
import type { SankeyLink, SankeyNode } from "./sankey.js";

/** A site as GET /v1/facility/energy gives it, without its hours. */
export interface EnergySite {
  name: string;
  sources: { id: string; kind: string }[];
  offtakers: { id: string; kind: string }[];
}
/** An hour's flows, or their sum: each kWh or L field, offtakers in the site's order. */
export type Flows = Record<string, number> & { offtakerKWh: number[] };

export function sumHours(hours: Record<string, unknown>[]): Flows;
export function siteFlows(site: EnergySite, totals: Flows): { nodes: SankeyNode[]; links: SankeyLink[] };
export function energyFormat(perHour: boolean): (kWh: number) => string;
export function EnergySankey(props: unknown): unknown;
export function Water(props: unknown): unknown;
