// Colours for tiers and tenants: distinguishable with common colour-vision deficiencies (Okabe–Ito) and
// dark enough for white text labels; a legend always names them, so colour is never the only cue.
const TIER_COLOURS = ["#0b6e99", "#b35900", "#6a3d9a", "#2b7a3d", "#a3195b"];
const TENANT_COLOURS = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#8a6d00",
  "#56b4e9",
  "#7b3294",
  "#4d4d4d",
  "#b2182b",
  "#1b7837",
];
export const OTHER_COLOUR = "#9aa5b1";
export const FREE_COLOUR = "#e8edf2";

export const tierColour = (index) => TIER_COLOURS[index % TIER_COLOURS.length];
export const tenantColour = (index) => TENANT_COLOURS[index % TENANT_COLOURS.length];
