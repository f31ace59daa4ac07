// The edge where the report reads files: uPlot's browser build and stylesheet from node_modules and the
// page's own chart script beside this file. renderReport takes these as a parameter so it stays pure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface ChartAssets {
  /** uPlot's IIFE build (defines the global `uPlot`). */
  uplotJs: string;
  uplotCss: string;
  /** The report's script that draws its charts (client/charts.js). */
  chartsJs: string;
}

export function loadChartAssets(): ChartAssets {
  // Resolved like an import from here, so it finds the uplot this package depends on wherever it's installed.
  const require = createRequire(import.meta.url);
  return {
    uplotJs: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    uplotCss: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    chartsJs: readFileSync(new URL("./client/charts.js", import.meta.url), "utf8"),
  };
}
