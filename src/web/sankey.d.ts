// Types of sankey.js, for the tests that run it outside a browser.
export interface SankeyNode {
  id: string;
  label: string;
  column: number;
  colour: string;
}
export interface SankeyLink {
  source: string;
  target: string;
  value: number;
}
export interface PlacedNode extends SankeyNode {
  x: number;
  y: number;
  h: number;
  /** The larger of what flows in and what flows out. */
  value: number;
}
export interface PlacedLink extends SankeyLink {
  path: string;
  width: number;
  colour: string;
}
export function layoutSankey(
  nodes: SankeyNode[],
  links: SankeyLink[],
  height: number,
): { nodes: PlacedNode[]; links: PlacedLink[] };
export function Sankey(props: {
  nodes: SankeyNode[];
  links: SankeyLink[];
  label: string;
  format: (value: number) => string;
  height?: number;
}): unknown;
