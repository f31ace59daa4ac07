// Colours and line styles shared by the page's charts and its HTML (run swatches), so both match.
// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.

export const PALETTE = {
  /** A tier's colour is its index in the report's tier list. */
  tiers: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"],
  /** A run's colour where colour means the run (utilisation, GPU-hours bars). */
  runs: ["#0072B2", "#D55E00", "#009E73", "#CC79A7"],
  /** A run's line dash (canvas setLineDash) where colour already means the tier; [] = solid. */
  runDash: [[], [10, 5], [2, 4], [12, 4, 2, 4]],
} as const;

export type Palette = typeof PALETTE;

export function runColour(run: number): string {
  return PALETTE.runs[run % PALETTE.runs.length]!;
}

/** The run's dash as CSS border-style, for legends drawn in HTML. */
export function runBorderStyle(run: number): string {
  return ["solid", "dashed", "dotted", "dashed"][run % 4]!;
}
