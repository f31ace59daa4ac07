// Facility and IT power per hour, kW.
import { html } from "./html.js";
import { SeriesChart } from "./series-chart.js";

export function PowerChart({ power }) {
  return html`<${SeriesChart}
    times=${power.times}
    series=${[
      { label: "Facility kW", colour: "#0b6e99", fill: "rgba(11,110,153,0.12)", values: power.facilityKW },
      { label: "IT kW", colour: "#b35900", values: power.itKW },
    ]}
    unit="kW"
    label="Facility and IT power per hour, in kW"
    xLabel="Hour (UTC)"
    height=${280}
    padS=${1800}
  />`;
}
