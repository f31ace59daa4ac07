// Facility and IT power over time with uPlot, sized to its container and redrawn in place on new data.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { html } from "./html.js";

const HEIGHT_PX = 280;

export function PowerChart({ power }) {
  const box = useRef(null);
  const plot = useRef(null);
  const data = [power.times, power.facilityKW, power.itKW];

  useEffect(() => {
    const options = {
      width: box.current.clientWidth,
      height: HEIGHT_PX,
      scales: { x: { time: true } },
      axes: [{}, { label: "kW", size: 70 }],
      series: [
        { label: "Hour (UTC)" },
        { label: "Facility kW", stroke: "#0b6e99", width: 2, fill: "rgba(11,110,153,0.12)" },
        { label: "IT kW", stroke: "#b35900", width: 2 },
      ],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    };
    plot.current = new uPlot(options, data, box.current);
    const resize = new ResizeObserver(() =>
      plot.current.setSize({ width: box.current.clientWidth, height: HEIGHT_PX }),
    );
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.current.destroy();
    };
  }, []);
  useEffect(() => plot.current?.setData(data), [power]);
  return html`<div class="chart" ref=${box} role="img" aria-label="Facility and IT power per hour, in kW"></div>`;
}
