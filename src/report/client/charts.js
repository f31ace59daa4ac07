// Draws the report's charts in the browser with uPlot (inlined before this script). All data comes from the
// page's JSON block, already shaped by src/report/chart-data.ts: this script only styles and draws it.
// Plain browser JavaScript, no modules: the report is a single file opened from disk.
/* global uPlot */
(() => {
  const data = JSON.parse(document.getElementById("fjord-data").textContent);

  // Colours and dashes come with the data (src/report/palette.ts) so the page's HTML and charts agree.
  const { tiers: TIER_COLOURS, runs: RUN_COLOURS, runDash: RUN_DASH } = data.palette;
  const HEIGHT = 300;
  // Room on the right for the last time label, which uPlot centres on its tick.
  const PADDING = [12, 56, 0, 0];

  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  const hours = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
  // Wait ticks in hours at durations people think in: 0, 6 min, 15 min, 30 min, 1 h … 1 d, 2 d, 1 week…
  const WAIT_TICKS_H = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 1440, 2160, 4320, 8760];
  const waitLabel = (h) =>
    h == null
      ? ""
      : h === 0
        ? "0"
        : h < 1
          ? `${number.format(h * 60)} min`
          : h < 48
            ? `${hours.format(h)} h`
            : `${hours.format(h / 24)} d`;
  const iso = (s) => `${new Date(s * 1000).toISOString().slice(0, 16)}Z`;
  const tierColour = (tier) => TIER_COLOURS[data.queues.indexOf(tier) % TIER_COLOURS.length];
  const runColour = (run) => RUN_COLOURS[run % RUN_COLOURS.length];
  const show = (unit) => (_u, v) => (v == null ? "—" : `${number.format(v)}${unit}`);

  const timeAxis = {
    label: "Time (UTC)",
    space: 120,
    size: 64,
    values: (_u, splits) => splits.map((s) => (s == null ? "" : iso(s).replace("T", "\n"))),
  };
  const timeX = { label: "Time (UTC)", value: (_u, v) => (v == null ? "—" : iso(v)) };
  // A y axis as wide as its widest tick label (uPlot's default is a fixed width): "1,000,000 GPU-hours"
  // must not run into the axis title beside it. uPlot asks again while it settles; the first fit stands.
  function fitTickLabels(u, values, axisIndex, cycle) {
    const axis = u.axes[axisIndex];
    if (cycle > 1) return axis._size;
    u.ctx.font = axis.font[0];
    const widest = Math.max(0, ...(values ?? []).map((v) => u.ctx.measureText(String(v)).width));
    return Math.ceil(axis.ticks.size + axis.gap + widest / uPlot.pxRatio) + 4;
  }
  const yAxis = (label) => ({
    label,
    size: fitTickLabels,
    values: (_u, splits) => splits.map((v) => number.format(v)),
  });

  function lineSeries(s, colour, unit, extra) {
    return {
      label: s.label,
      stroke: colour,
      width: 2,
      dash: RUN_DASH[s.run % RUN_DASH.length].length > 0 ? RUN_DASH[s.run % RUN_DASH.length] : undefined,
      spanGaps: true,
      points: { show: false },
      value: show(unit),
      ...extra,
    };
  }

  const charts = [];
  function mount(el, opts, chart) {
    const width = el.clientWidth || 600;
    const plot = new uPlot(
      { padding: PADDING, ...opts, width, height: HEIGHT },
      [chart.x, ...chart.series.map((s) => s.values)],
      el,
    );
    charts.push({ plot, el });
  }

  function byName(name) {
    return document.querySelectorAll(`[data-chart="${name}"]`);
  }

  byName("utilisation").forEach((el) => {
    mount(
      el,
      {
        tzDate: (s) => uPlot.tzDate(new Date(s * 1000), "Etc/UTC"),
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: [timeAxis, yAxis("Utilisation (%)")],
        series: [timeX, ...data.utilisation.series.map((s) => lineSeries(s, runColour(s.run), " %"))],
      },
      data.utilisation,
    );
  });

  byName("queue").forEach((el) => {
    const chart = data.queue[Number(el.dataset.run)];
    mount(
      el,
      {
        tzDate: (s) => uPlot.tzDate(new Date(s * 1000), "Etc/UTC"),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [timeAxis, yAxis("Jobs waiting")],
        series: [
          timeX,
          ...chart.series.map((s) => lineSeries({ ...s, run: 0 }, tierColour(s.tier), " jobs")),
        ],
      },
      chart,
    );
  });

  byName("wait-cdf").forEach((el) => {
    mount(
      el,
      {
        // asinh is linear near 0 (most jobs start at once) and logarithmic beyond, so minutes and days
        // of waiting both stay readable on one axis.
        scales: { x: { time: false, distr: 4, log: 10, asinh: 0.1 }, y: { range: [0, 100] } },
        axes: [
          {
            label: "Queue wait (asinh scale)",
            space: 30,
            splits: (_u, _i, min, max) => WAIT_TICKS_H.filter((h) => h >= min && h <= max),
            // uPlot labels only powers of ten on log-like scales by default; these ticks are chosen to be read.
            filter: (_u, splits) => splits,
            values: (_u, splits) => splits.map(waitLabel),
          },
          yAxis("Jobs started (% of submitted)"),
        ],
        series: [
          { label: "Wait", value: (_u, v) => (v == null ? "—" : waitLabel(v)) },
          ...data.waitCdf.series.map((s) =>
            lineSeries(s, tierColour(s.tier), " %", { paths: uPlot.paths.stepped({ align: 1 }) }),
          ),
        ],
      },
      data.waitCdf,
    );
  });

  byName("gpu-hours").forEach((el) => {
    const tiers = data.tiers;
    mount(
      el,
      {
        scales: {
          x: { time: false, range: [-0.5, tiers.length - 0.5] },
          y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
        },
        axes: [
          {
            label: "Tier",
            splits: () => tiers.map((_t, i) => i),
            values: (_u, splits) => splits.map((i) => tiers[i] ?? ""),
            grid: { show: false },
          },
          yAxis("GPU-hours"),
        ],
        series: [
          { label: "Tier", value: (_u, v) => (v == null ? "—" : (tiers[Math.round(v)] ?? "—")) },
          ...data.gpuHours.series.map((s) => ({
            label: s.label,
            stroke: runColour(s.run),
            fill: runColour(s.run),
            width: 1,
            points: { show: false },
            paths: uPlot.paths.bars({ size: [0.9, 120] }),
            value: show(" GPU-h"),
          })),
        ],
      },
      data.gpuHours,
    );
  });

  // Kept where the browser console (and the report's browser test) can inspect the drawn charts.
  window.fjordCharts = charts;

  // Charts take their width from the page, so follow it when the window changes.
  window.addEventListener("resize", () => {
    for (const { plot, el } of charts) plot.setSize({ width: el.clientWidth || 600, height: HEIGHT });
  });
})();
