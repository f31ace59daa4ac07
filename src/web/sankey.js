// A Sankey diagram in SVG: nodes in columns, each as tall as the larger of what flows in and out of it, and
// each flow a band as wide as its value from its source's right edge to its target's left edge. Bands leave
// and enter nodes in the order the links are given, so a caller's order is the reading order. A table with
// every flow goes beside it for screen readers; the picture itself is one labelled image.
import { html } from "./html.js";

const WIDTH = 1120;
const NODE_W = 14;
const GAP_PX = 14;
/** Room for the first column's labels (left of its nodes) and the last's (right of theirs). */
const LEFT_LABEL_W = 240;
const RIGHT_LABEL_W = 260;
const MIN_NODE_PX = 2;

/**
 * Positions: { nodes: [{ ...node, x, y, h }], links: [{ ...link, path, width }], height }. Nodes are
 * { id, label, column, colour }; links { source, target, value } with value > 0.
 */
export function layoutSankey(nodes, links, height) {
  const columns = Math.max(...nodes.map((n) => n.column)) + 1;
  const inOf = new Map(nodes.map((n) => [n.id, 0]));
  const outOf = new Map(nodes.map((n) => [n.id, 0]));
  for (const l of links) {
    outOf.set(l.source, outOf.get(l.source) + l.value);
    inOf.set(l.target, inOf.get(l.target) + l.value);
  }
  const throughOf = (n) => Math.max(inOf.get(n.id), outOf.get(n.id));
  const shown = nodes.filter((n) => throughOf(n) > 0);
  const byColumn = Array.from({ length: columns }, (_, c) => shown.filter((n) => n.column === c));
  // One scale for every column, so equal values are equally wide everywhere.
  const fitted = Math.min(
    ...byColumn
      .filter((col) => col.length > 0)
      .map(
        (col) => Math.max(0, height - GAP_PX * (col.length - 1)) / col.reduce((s, n) => s + throughOf(n), 0),
      ),
  );
  // Flows too small for a float to scale up (or none at all) draw as hairlines rather than as infinities.
  const scale = Number.isFinite(fitted) ? fitted : 0;
  const span = WIDTH - LEFT_LABEL_W - RIGHT_LABEL_W - NODE_W;
  const placed = new Map();
  for (const [c, col] of byColumn.entries()) {
    let y = 0;
    for (const n of col) {
      const h = Math.max(MIN_NODE_PX, throughOf(n) * scale);
      placed.set(n.id, {
        ...n,
        x: LEFT_LABEL_W + (span * c) / Math.max(1, columns - 1),
        y,
        h,
        value: throughOf(n),
        outY: y,
        inY: y,
      });
      y += h + GAP_PX;
    }
  }
  const bands = links
    .filter((l) => l.value > 0 && placed.has(l.source) && placed.has(l.target))
    .map((l) => {
      const from = placed.get(l.source);
      const to = placed.get(l.target);
      const width = l.value * scale;
      const x0 = from.x + NODE_W;
      const x1 = to.x;
      const y0 = from.outY;
      const y1 = to.inY;
      from.outY += width;
      to.inY += width;
      const mid = (x0 + x1) / 2;
      const path =
        `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1} ` +
        `L${x1},${y1 + width} C${mid},${y1 + width} ${mid},${y0 + width} ${x0},${y0 + width} Z`;
      return { ...l, path, width, colour: from.colour };
    });
  return { nodes: [...placed.values()], links: bands };
}

/** `format(value)` gives each node's figure; `label` names the whole picture. */
export function Sankey({ nodes, links, label, format, height = 360 }) {
  const layout = layoutSankey(nodes, links, height);
  const nameOf = new Map(nodes.map((n) => [n.id, n.label]));
  return html`<figure class="sankey">
    <svg
      viewBox="-4 -4 ${WIDTH + 8} ${height + 8}"
      role="img"
      aria-label=${label}
      preserveAspectRatio="xMinYMin meet"
    >
      ${layout.links.map(
        (
          l,
        ) => html`<path d=${l.path} fill=${l.colour} fill-opacity="0.35" data-flow="${l.source}>${l.target}">
          <title>${nameOf.get(l.source)} → ${nameOf.get(l.target)}: ${format(l.value)}</title>
        </path>`,
      )}
      ${layout.nodes.map(
        (n) => html`<g data-node=${n.id}>
          <rect x=${n.x} y=${n.y} width=${NODE_W} height=${n.h} fill=${n.colour}></rect>
          <text
            x=${n.column === 0 ? n.x - 6 : n.x + NODE_W + 6}
            y=${n.y + n.h / 2}
            text-anchor=${n.column === 0 ? "end" : "start"}
            dominant-baseline="middle"
            class="sankey-label"
          >
            ${n.label} <tspan class="sankey-value">${format(n.value)}</tspan>
          </text>
        </g>`,
      )}
    </svg>
    <table class="visually-hidden">
      <caption>${label}: every flow</caption>
      <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Amount</th></tr></thead>
      <tbody>
        ${layout.links.map(
          (l) =>
            html`<tr><td>${nameOf.get(l.source)}</td><td>${nameOf.get(l.target)}</td><td>${format(l.value)}</td></tr>`,
        )}
      </tbody>
    </table>
  </figure>`;
}
