// Runs inside a report page (added as a script by report-layout.browser.test.ts): every layout fault a
// reader would see, as sentences. Plain browser JavaScript, so nothing the test runner compiles is sent to
// the page. Charts drawn by uPlot are found on window.fjordCharts (src/report/client/charts.js).
/* global uPlot */
window.fjordLayoutProblems = (options) => {
  const problems = [];
  const name = (el) => {
    const chart = el.closest("[data-chart]")?.getAttribute("data-chart");
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
    const cls =
      typeof el.className === "string" && el.className !== "" ? `.${el.className.split(" ")[0]}` : "";
    return `<${el.tagName.toLowerCase()}${cls}>${chart ? ` in chart ${chart}` : ""} "${text}"`;
  };

  // Overflow: content wider than its box is cut off, unless the box is a deliberate scroll container that
  // shows it scrolls (edge shadows drawn as background gradients), and only where such boxes are allowed.
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px of content in ${root.clientWidth} px`);
  for (const el of document.body.querySelectorAll("*")) {
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    const style = getComputedStyle(el);
    const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
    const shows = scrolls && style.backgroundImage.includes("gradient");
    if (shows && options.allowScrollBoxes) continue;
    const how = shows
      ? "a scroll box, but at this width it must fit"
      : scrolls
        ? "scrolls with no sign of it"
        : "cut off";
    problems.push(`${name(el)} overflows (${how}): ${el.scrollWidth} px of content in ${el.clientWidth} px`);
  }

  // SVG text must lie inside its SVG's box (which its viewBox is scaled into).
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (
        r.left < box.left - 0.5 ||
        r.right > box.right + 0.5 ||
        r.top < box.top - 0.5 ||
        r.bottom > box.bottom + 0.5
      )
        problems.push(`SVG text "${text.textContent}" lies outside its chart`);
    }
  }

  // uPlot draws on a canvas: an axis's tick labels must fit the room it keeps before its title.
  for (const { plot, el } of window.fjordCharts ?? []) {
    const chart = el.getAttribute("data-chart");
    plot.axes.forEach((axis, i) => {
      if (!axis.show || axis._values == null) return;
      const labels = axis._values.filter((v) => v != null && v !== "").map(String);
      const room = axis._size - axis.ticks.size - axis.gap;
      let need;
      if (axis.side % 2 === 1) {
        plot.ctx.font = axis.font[0];
        need = Math.max(
          0,
          ...labels.flatMap((v) => v.split("\n").map((line) => plot.ctx.measureText(line).width)),
        );
        need /= uPlot.pxRatio;
      } else {
        need = Math.max(0, ...labels.map((v) => v.split("\n").length)) * axis.font[1] * axis.lineGap;
      }
      if (need > room + 0.5)
        problems.push(
          `chart ${chart}: the tick labels of axis ${i} ("${axis.label ?? ""}") need ${Math.ceil(need)} px ` +
            `and have ${Math.floor(room)}: they run into the axis title`,
        );
    });
    // Two or more data series need a legend that names each.
    const dataSeries = plot.series.length - 1;
    const legend = el.querySelector(".u-legend");
    const entries = legend === null ? 0 : legend.querySelectorAll(".u-series").length - 1;
    if (dataSeries >= 2 && (legend === null || legend.offsetHeight === 0 || entries < dataSeries))
      problems.push(`chart ${chart}: ${dataSeries} series but a legend with ${entries}`);
  }
  // An SVG chart's series are its shapes' fills: two or more need a legend beside the chart naming each.
  for (const svg of document.querySelectorAll("svg")) {
    const fills = new Set(
      [...svg.querySelectorAll("rect, path, circle, polygon")].map((e) => getComputedStyle(e).fill),
    );
    const entries = [...(svg.parentElement?.querySelectorAll(".legend .legend-item") ?? [])].filter(
      (e) => e.offsetHeight > 0,
    );
    if (fills.size >= 2 && entries.length < fills.size)
      problems.push(
        `SVG chart "${svg.getAttribute("aria-label") ?? ""}": ${fills.size} series but a legend with ${entries.length}`,
      );
  }
  return problems;
};
