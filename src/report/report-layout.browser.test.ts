// The HTML reports as a reader sees them, in headless Chromium (test/support/chromium.ts) at a laptop's
// 1280 px and a phone's 390 px: nothing cut off at the right, no chart text outside its chart, no tick
// labels running into an axis title, a legend wherever a chart has two or more series. At 1280 px every
// table fits; on a phone a wide table may scroll inside a box that shows it scrolls. Screenshots of each
// page go to out/test-artifacts/report-layout/ (ignored by git) for a person to look at.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallFacilityResult, TIERS } from "../../test/fixtures/report/small-facility.ts";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  demandChromium,
  haveChromium,
  openReport,
} from "../../test/support/chromium.ts";
import { accountEnergy } from "../accounting/account.ts";
import { eedReport, reportSites } from "../accounting/eed-report.ts";
import { siteEnergy } from "../accounting/energy-schema.ts";
import { yearPeriod } from "../accounting/period.ts";
import { syntheticSignals } from "../accounting/synthetic-signals.ts";
import { eedHtml } from "../cli/render/eed-html.ts";
import { loadFacilityFile } from "../facility/load-facility-file.ts";
import { computeMetrics } from "../simulator/metrics.ts";
import type { SimulationResult } from "../simulator/types.ts";
import { loadChartAssets } from "./assets.ts";
import { withCoverage } from "./eed-coverage.ts";
import { renderReport } from "./render-report.ts";

demandChromium("src/report/report-layout.browser.test.ts");

const ARTIFACTS = fileURLToPath(new URL("../../out/test-artifacts/report-layout/", import.meta.url));
const LAYOUT_PROBLEMS = readFileSync(
  new URL("../../test/support/layout-problems.js", import.meta.url),
  "utf8",
);
const WIDTHS = [
  { width: 1280, height: 900, allowScrollBoxes: false },
  { width: 390, height: 844, allowScrollBoxes: true },
];

function reportRun(label: string, result: SimulationResult) {
  return { label, result, metrics: computeMetrics(result, { tiers: TIERS }) };
}

const NAMES = new Map([
  ["aurora-labs", "aurora-labs-research"],
  ["fjellbit", "fjellbit-foundation-models"],
  ["sisu-ai", "sisu-ai-inference"],
  ["oresund-bio", "oresund-bio-simulation"],
  ["globex", "globex-global-analytics"],
]);

/**
 * The small facility's run at the size of the Stargate facility: GPU counts × 1,000 (so GPU-hours run to
 * millions) and tenants with names as long as real ones, as wide as the reports' tables get.
 */
function atScale(result: SimulationResult): SimulationResult {
  const k = 1000;
  return {
    ...result,
    jobs: result.jobs.map((j) => ({
      ...j,
      tenantId: NAMES.get(j.tenantId) ?? j.tenantId,
      gpus: j.gpus * k,
      runs: j.runs.map((r) => ({ ...r, gpus: r.gpus * k, lostGpuS: r.lostGpuS * k })),
    })),
    samples: result.samples.map((s) => ({
      ...s,
      availableGpus: s.availableGpus * k,
      allocatedGpus: s.allocatedGpus * k,
      strandedGpus: s.strandedGpus * k,
      allocatedByTier: Object.fromEntries(Object.entries(s.allocatedByTier).map(([t, n]) => [t, n * k])),
    })),
    lostToFailuresGpuS: result.lostToFailuresGpuS * k,
    lostToPreemptionGpuS: result.lostToPreemptionGpuS * k,
  };
}

/** As `--compare fifo-easy` returns it: jobs under their real tiers, samples counting one queue, `fifo`. */
function fifoBaseline(): SimulationResult {
  const result = atScale(smallFacilityResult("fifo"));
  const samples = result.samples.map((s) => ({
    ...s,
    queuedByTier: { fifo: Object.values(s.queuedByTier).reduce((a, b) => a + b, 0) },
  }));
  return { ...result, samples };
}

/** The EED report of the Stargate Norway facility for 2026: a year of a busy 4,096-GPU site, figures in GWh. */
function stargateEedHtml(): string {
  const facility = loadFacilityFile("facilities/stargate-norway.yaml");
  const period = yearPeriod(2026);
  const sites = reportSites(facility, undefined);
  if (!sites.ok) throw new Error(sites.reason);
  const signals = {
    source: "synthetic (seed 1)",
    bySite: new Map(
      sites.siteIds.map((id) => {
        const site = facility.sites.find((s) => s.id === id)!;
        return [id, syntheticSignals(siteEnergy(site).syntheticSignals, period, 1, id)];
      }),
    ),
  };
  const run = { siteId: sites.siteIds[0]!, startAtMs: Date.UTC(2026, 1, 1), endAtMs: Date.UTC(2026, 10, 1) };
  const schedule = {
    ...period,
    jobs: [
      {
        jobId: "train",
        tenantId: "aurora-labs",
        tierId: "national",
        labels: {},
        runs: [{ ...run, gpus: 4096 }],
      },
    ],
  };
  const account = accountEnergy({ facility, schedule, signals, period, siteIds: sites.siteIds });
  const report = eedReport(account, facility, {
    facility: "facilities/stargate-norway.yaml",
    simulation: "a hand-made schedule",
    run: "default",
    scheduleFromMs: period.fromMs,
    scheduleToMs: period.toMs,
    signals: signals.source,
  });
  const covered = withCoverage(report, facility, {
    basis: "a hand-made schedule over the whole year",
    runsBySite: new Map([[run.siteId, 1]]),
    askedSite: undefined,
  });
  return eedHtml(covered, facility.name);
}

const REPORTS: { name: string; html: () => string }[] = [
  {
    name: "simulate",
    html: () =>
      renderReport(
        { title: "One run", runs: [reportRun("tier-first", atScale(smallFacilityResult("tier-first")))] },
        loadChartAssets(),
      ),
  },
  {
    name: "comparison",
    html: () =>
      renderReport(
        {
          title: "default vs fifo-easy",
          runs: [
            reportRun("default", atScale(smallFacilityResult("tier-first"))),
            reportRun("fifo-easy", fifoBaseline()),
          ],
        },
        loadChartAssets(),
      ),
  },
  { name: "eed", html: stargateEedHtml },
];

async function layoutProblems(page: Page, allowScrollBoxes: boolean): Promise<string[]> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-chart]")].every((el) => el.querySelector("canvas") !== null),
  );
  await page.addScriptTag({ content: LAYOUT_PROBLEMS });
  return page.evaluate(
    (options) =>
      (
        window as unknown as { fjordLayoutProblems(o: { allowScrollBoxes: boolean }): string[] }
      ).fjordLayoutProblems(options),
    { allowScrollBoxes },
  );
}

describe.skipIf(!haveChromium)("the HTML reports' layout in headless Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    dir = mkdtempSync(join(tmpdir(), "fjord-report-layout-"));
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const report of REPORTS)
    for (const { width, height, allowScrollBoxes } of WIDTHS)
      it(`shows the ${report.name} report whole at ${width} px`, async () => {
        const { page, errors } = await openReport(browser, dir, `${report.name}.html`, report.html(), {
          width,
          height,
        });
        const problems = await layoutProblems(page, allowScrollBoxes);
        await page.screenshot({ path: join(ARTIFACTS, `${report.name}-${width}.png`), fullPage: true });
        expect(problems).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      });
});
