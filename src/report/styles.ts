// The report's stylesheet: system fonts (nothing to fetch), a readable measure, tabular figures in tables
// so digits line up, and a grid that puts runs side by side when the window is wide enough. Tables fit a
// 1280 px window (their headings wrap); on a phone a wide table scrolls inside its box, whose edge shadows
// show there is more to see.
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --panel: #f6f8fa;
  --better: #116329; --worse: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 24px 48px; }
@media (max-width: 600px) { main { padding: 16px 12px 32px; } h1 { font-size: 22px; } }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 0 0 4px; }
p.lead, p.note, .meta dd, p.empty { color: var(--muted); }
p.note { margin: 0 0 12px; font-size: 14px; max-width: 80ch; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 20px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 14px 16px; background: #fff; min-width: 0; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 14px; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
.chart { width: 100%; min-height: 300px; }
table.metrics { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
table.metrics th, table.metrics td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left;
  white-space: nowrap; }
table.metrics thead th { background: var(--panel); font-weight: 600; white-space: normal; vertical-align: bottom; }
table.metrics tbody th { font-weight: 500; }
table.metrics .num { text-align: right; }
table.headline { width: auto; min-width: 50%; }
table.metrics tbody + tbody { border-top: 2px solid var(--rule); }
table.metrics tbody th[scope="rowgroup"], table.metrics tbody td[rowspan] { vertical-align: top; }
.delta.better { color: var(--better); }
.delta.worse { color: var(--worse); }
/* Scroll shadows: the white covers move with the content, the shadows stay at the edges, so a shadow shows
   exactly where more of the table lies beyond the box. */
.scroll { overflow-x: auto; background:
  linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left center / 40px 100% no-repeat local,
  linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right center / 40px 100% no-repeat local,
  radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.25), transparent) left center / 14px 100% no-repeat scroll,
  radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.25), transparent) right center / 14px 100% no-repeat scroll; }
.run-swatch { display: inline-block; width: 28px; height: 0; border-top: 3px solid; vertical-align: middle;
  margin-right: 8px; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); }
footer dt { font-weight: 600; color: var(--ink); margin-top: 6px; }
footer dd { margin: 0 0 0 16px; max-width: 100ch; }
.u-legend { font-size: 13px; }
`;
