// Series over time with uPlot (power per hour, or usage per tenant or tier), sized to its container and
// redrawn in place on new data; a new set of series (another grouping) makes a new chart.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { html } from "./html.js";

/**
 * `times` in seconds; `series` [{ label, colour, values, fill? }]; `unit` on the axis; `label` names the
 * image; `xLabel` the legend's time; `padS` the room either side of the first and last time.
 */
export function SeriesChart({ times, series, unit, label, xLabel = "From (UTC)", height = 240, padS = 0 }) {
  const box = useRef(null);
  const plot = useRef(null);
  const latestTimes = useRef(times);
  latestTimes.current = times;
  const data = [times, ...series.map((s) => s.values)];
  const shape = series.map((s) => s.label).join("\n");

  useEffect(() => {
    const options = {
      width: box.current.clientWidth,
      height,
      scales: {
        x: {
          time: true,
          // Set from the data rather than left to uPlot, which spreads one point over years.
          range: () => [latestTimes.current[0] - padS, latestTimes.current.at(-1) + padS],
        },
      },
      axes: [{}, { label: unit, size: 70 }],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: 2,
          fill: s.fill,
          points: { show: true },
        })),
      ],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    };
    plot.current = new uPlot(options, data, box.current);
    const resize = new ResizeObserver(() => plot.current.setSize({ width: box.current.clientWidth, height }));
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.current.destroy();
    };
  }, [shape, unit]);
  useEffect(() => plot.current?.setData(data), [times, series]);
  return html`<div class="chart" ref=${box} role="img" aria-label=${label}></div>`;
}
