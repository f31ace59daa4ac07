import { describe, expect, it } from "vitest";
import { smallFacilityResult, TIERS } from "../../test/fixtures/report/small-facility.ts";
import { computeMetrics } from "../simulator/metrics.ts";
import type { SimulationResult } from "../simulator/types.ts";
import { type ChartAssets, loadChartAssets } from "./assets.ts";
import { chartData, type ReportData } from "./chart-data.ts";
import { bucketRatios, buckets, evenIndices, MAX_POINTS } from "./downsample.ts";
import { fmtDuration, fmtPercent, fmtQuantity } from "./format.ts";
import { jsonScriptContent } from "./html.ts";
import { renderReport } from "./render-report.ts";
import { resultsJsonChunks } from "./results-json.ts";

const FAKE_ASSETS: ChartAssets = { uplotJs: "/*uplot*/", uplotCss: "/*css*/", chartsJs: "/*charts*/" };

function reportRun(label: string, result: SimulationResult) {
  return { label, result, metrics: computeMetrics(result, { tiers: TIERS }) };
}

function embeddedData(html: string): ReportData {
  const m = /<script type="application\/json" id="fjord-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as ReportData;
}

describe("renderReport", () => {
  const runs = [
    reportRun("Tier first", smallFacilityResult("tier-first")),
    reportRun("FIFO", smallFacilityResult("fifo")),
  ];

  it("is deterministic: the same input gives the same bytes", () => {
    const a = renderReport({ title: "Policy comparison", runs }, FAKE_ASSETS);
    const b = renderReport({ title: "Policy comparison", runs }, FAKE_ASSETS);
    expect(a).toBe(b);
  });

  it("is self-contained: library, styles and data inlined, nothing loaded from elsewhere", () => {
    const html = renderReport({ title: "Policy comparison", runs }, loadChartAssets());
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]+\bsrc=/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain("uPlot");
    expect(embeddedData(html).runs).toEqual(["Tier first", "FIFO"]);
  });

  it("shows a comparison with a Δ column and each run's tenants", () => {
    const html = renderReport({ title: "Policy comparison", runs }, FAKE_ASSETS);
    expect(html).toContain("Δ FIFO vs Tier first");
    for (const t of ["aurora-labs", "sisu-ai", "globex"])
      expect(html).toContain(`<th scope="rowgroup" rowspan="2">${t}</th>`);
    expect(html).toContain("2026-12-01T00:00Z – 2026-12-04T00:00Z");
    expect(html.match(/data-chart="queue"/g)).toHaveLength(2);
  });

  it("escapes names, so a tenant called </script> cannot break out of the page", () => {
    const result = smallFacilityResult("fifo");
    result.jobs[0] = { ...result.jobs[0]!, tenantId: "</script><b>x" };
    const html = renderReport({ title: "<Title & co>", runs: [reportRun("a<b", result)] }, FAKE_ASSETS);
    expect(html).toContain("<title>&lt;Title &amp; co&gt;</title>");
    expect(html).toContain("&lt;/script&gt;&lt;b&gt;x");
    expect(html).not.toContain("</script><b>");
    expect(embeddedData(html).runs).toEqual(["a<b"]);
  });

  it("refuses an empty list of runs", () => {
    expect(() => renderReport({ title: "x", runs: [] }, FAKE_ASSETS)).toThrow(/at least one run/);
  });
});

describe("chart data", () => {
  it("cuts long series to MAX_POINTS, keeping utilisation as a time-weighted ratio", () => {
    const result = smallFacilityResult("fifo");
    const base = result.samples[0]!;
    // 10,001 samples a minute apart: half at 25 % utilisation, half at 75 %.
    result.samples = Array.from({ length: 10_001 }, (_, i) => ({
      ...base,
      atMs: result.fromMs + i * 60_000,
      availableGpus: 100,
      allocatedGpus: i < 5000 ? 25 : 75,
    }));
    const data = chartData([reportRun("long", result)]);
    expect(data.utilisation.x.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.queue[0]!.x.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.utilisation.series[0]!.values[0]).toBe(25);
    expect(data.utilisation.series[0]!.values.at(-1)).toBe(75);
    expect(data.waitCdf.x.length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it("wait CDF ends below 100 % for a tier with jobs that never started", () => {
    const data = chartData([reportRun("r", smallFacilityResult("tier-first"))]);
    const finals = data.waitCdf.series.map((s) => s.values.at(-1));
    expect(finals.some((v) => v !== null && v !== undefined && v < 100)).toBe(true);
    expect(finals.every((v) => v !== null && v !== undefined && v <= 100)).toBe(true);
  });

  it("places grouped bars around each tier's index", () => {
    const runs = [
      reportRun("a", smallFacilityResult("tier-first")),
      reportRun("b", smallFacilityResult("fifo")),
    ];
    const { gpuHours, tiers } = chartData(runs);
    expect(tiers).toEqual(TIERS);
    expect(gpuHours.x).toEqual([-0.2, 0.2, 0.8, 1.2, 1.8, 2.2]);
    expect(gpuHours.series[0]!.values[1]).toBeNull();
    expect(gpuHours.series[1]!.values[0]).toBeNull();
  });
});

describe("a comparison with the FIFO baseline", () => {
  // As --compare fifo-easy returns it: jobs under their real tiers, samples counting one queue, `fifo`.
  const baseline = smallFacilityResult("fifo");
  const oneQueue = {
    ...baseline,
    samples: baseline.samples.map((s) => ({
      ...s,
      queuedByTier: { fifo: Object.values(s.queuedByTier).reduce((a, b) => a + b, 0) },
    })),
  };
  const runs = [reportRun("default", smallFacilityResult("tier-first")), reportRun("fifo-easy", oneQueue)];

  it("draws bars and wait curves for the policy's tiers only, not for the baseline's queue", () => {
    const data = chartData(runs);
    expect(data.tiers).toEqual(TIERS);
    expect(data.gpuHours.x).toHaveLength(TIERS.length * 2);
    expect(data.waitCdf.series.map((s) => s.tier)).not.toContain("fifo");
  });

  it("shows the baseline's one queue in its own queue chart, in a colour of its own", () => {
    const data = chartData(runs);
    expect(data.queue[0]!.series.map((s) => s.tier)).toEqual(TIERS);
    expect(data.queue[1]!.series.map((s) => s.tier)).toEqual(["fifo"]);
    expect(data.queues).toEqual([...TIERS, "fifo"]);
  });
});

describe("the queue wait chart", () => {
  /** Every job started the moment it was submitted. */
  function noWaits(): SimulationResult {
    const result = smallFacilityResult("tier-first");
    const jobs = result.jobs
      .filter((j) => j.runs.length > 0)
      .map((j) => ({ ...j, submittedAtMs: j.runs[0]!.startAtMs }));
    return { ...result, jobs };
  }

  it("says why it is empty when no job waited, or there were no jobs", () => {
    const waitSection = (html: string) =>
      html.slice(html.indexOf("<h2>Queue wait</h2>"), html.indexOf("<h2>GPU-hours"));
    const none = renderReport({ title: "t", runs: [reportRun("a", noWaits())] }, FAKE_ASSETS);
    expect(waitSection(none)).toContain("Every job started the moment it was submitted: no waits to show.");
    expect(waitSection(none)).not.toContain('data-chart="wait-cdf"');
    const empty = { ...smallFacilityResult("tier-first"), jobs: [] };
    const noJobs = renderReport({ title: "t", runs: [reportRun("a", empty)] }, FAKE_ASSETS);
    expect(waitSection(noJobs)).toContain("No jobs were submitted");
  });

  it("is drawn when jobs waited", () => {
    const html = renderReport(
      { title: "t", runs: [reportRun("a", smallFacilityResult("tier-first"))] },
      FAKE_ASSETS,
    );
    expect(html).toContain('data-chart="wait-cdf"');
  });
});

describe("down-sampling", () => {
  it("buckets cover every index once, in order", () => {
    for (const n of [0, 1, 7, 2000, 2001, 9999]) {
      const bs = buckets(n, 2000);
      expect(bs.length).toBe(Math.min(n, 2000));
      expect(bs.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k))).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
    }
  });

  it("a bucket with nothing available has no utilisation", () => {
    expect(bucketRatios([0, 1], [0, 0], [0, 0], 1)).toEqual([{ t: 0, v: null }]);
  });

  it("even indices keep the first and last", () => {
    const idx = evenIndices(10_000, 2000);
    expect(idx).toHaveLength(2000);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(9999);
  });
});

describe("resultsJson", () => {
  const resultsJson = (...args: Parameters<typeof resultsJsonChunks>) =>
    [...resultsJsonChunks(...args)].join("");
  const result = smallFacilityResult("tier-first");
  const metrics = computeMetrics(result, { tiers: TIERS });

  it("is byte-identical for identical inputs and ends with one newline", () => {
    const again = smallFacilityResult("tier-first");
    const a = resultsJson([{ label: "tier-first", result, metrics }], []);
    expect(
      resultsJson(
        [{ label: "tier-first", result: again, metrics: computeMetrics(again, { tiers: TIERS }) }],
        [],
      ),
    ).toBe(a);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a.endsWith("\n\n")).toBe(false);
  });

  it("sorts keys and rounds derived numbers to 6 significant digits", () => {
    const document = JSON.parse(resultsJson([{ label: "tier-first", result, metrics }], [])) as {
      runs: {
        label: string;
        metrics: { overall: Record<string, unknown> & { utilisation: number } };
        simulation: Record<string, unknown>;
      }[];
    };
    expect(document.runs).toHaveLength(1);
    const parsed = document.runs[0]!;
    expect(Object.keys(parsed)).toEqual(["jobs", "label", "metrics", "schedule", "simulation"]);
    expect(parsed.label).toBe("tier-first");
    const keys = Object.keys(parsed.metrics.overall);
    expect(keys).toEqual([...keys].sort());
    expect(parsed.metrics.overall.utilisation).toBe(Number(metrics.overall.utilisation!.toPrecision(6)));
    expect(parsed.simulation.fromMs).toBe(result.fromMs);
    expect(parsed.simulation.from).toBe("2026-12-01T00:00Z");
  });
});

describe("html and formats", () => {
  it("JSON for a script block hides '<' but keeps the value", () => {
    const text = jsonScriptContent({ name: "</script><!--" });
    expect(text).not.toContain("<");
    expect(JSON.parse(text)).toEqual({ name: "</script><!--" });
  });

  it("formats with thousands separators and readable units", () => {
    expect(fmtQuantity(1_234_567.8)).toBe("1,234,568");
    expect(fmtQuantity(12.3456)).toBe("12.35");
    expect(fmtPercent(0.6875)).toBe("68.8 %");
    expect(fmtPercent(null)).toBe("—");
    expect(fmtDuration(42)).toBe("42 s");
    expect(fmtDuration(750)).toBe("12.5 min");
    expect(fmtDuration(5 * 3600)).toBe("5.0 h");
    expect(fmtDuration(3 * 86_400)).toBe("3.0 d");
  });
});
