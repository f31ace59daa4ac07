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
    // The element itself: a resize reported after the chart has gone must not reach for a cleared ref.
    const element = box.current;
    const options = {
      width: element.clientWidth,
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
    const chart = new uPlot(options, data, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [shape, unit]);
  useEffect(() => plot.current?.setData(data), [times, series]);
  return html`<div class="chart" ref=${box} role="img" aria-label=${label}></div>`;
}
