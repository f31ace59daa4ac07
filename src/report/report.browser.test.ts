// Opens rendered reports in a real headless Chromium (test/support/chromium.ts): the charts must draw, with
// no console errors and no request leaving the file. Set FJORD_UPDATE_SCREENSHOT=1 to refresh the README's
// example. report-layout.browser.test.ts checks that nothing overflows or is clipped.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smallFacilityResult, TENANTS, TIERS } from "../../test/fixtures/report/small-facility.ts";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  demandChromium,
  haveChromium,
  openReport,
} from "../../test/support/chromium.ts";
import { computeMetrics } from "../simulator/metrics.ts";
import { loadChartAssets } from "./assets.ts";
import { renderReport } from "./render-report.ts";

const SCREENSHOT = fileURLToPath(new URL("../../docs/img/report-example.png", import.meta.url));

demandChromium("src/report/report.browser.test.ts");

function reportRun(label: string, policy: "tier-first" | "fifo") {
  const result = smallFacilityResult(policy);
  return { label, result, metrics: computeMetrics(result, { tiers: TIERS }) };
}

describe.skipIf(!haveChromium)("the HTML report in headless Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    dir = mkdtempSync(join(tmpdir(), "fjord-report-"));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = (name: string, html: string) => openReport(browser, dir, name, html);

  async function chartSizes(page: import("playwright-core").Page) {
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-chart]")].every((el) => el.querySelector("canvas") !== null),
    );
    return page.$$eval("[data-chart]", (els) =>
      els.map((el) => {
        const canvas = el.querySelector("canvas");
        const box = canvas?.getBoundingClientRect();
        return { chart: el.getAttribute("data-chart"), width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
  }

  it("draws every chart of a two-run comparison and lists the tenants", async () => {
    const runs = [reportRun("Tier first", "tier-first"), reportRun("FIFO", "fifo")];
    const { page, errors } = await open(
      "compare.html",
      renderReport({ title: "Policy comparison", runs }, loadChartAssets()),
    );

    const sizes = await chartSizes(page);
    expect(sizes.map((s) => s.chart)).toEqual(["utilisation", "queue", "queue", "wait-cdf", "gpu-hours"]);
    for (const s of sizes) {
      expect(s.width, `${s.chart} width`).toBeGreaterThan(100);
      expect(s.height, `${s.chart} height`).toBeGreaterThan(100);
    }

    const tenantTables = await page.$$eval("table.tenants", (tables) =>
      tables.map((t) => [...t.querySelectorAll("tbody th")].map((th) => th.textContent)),
    );
    // One table, each tenant's rows for both runs grouped under its name.
    expect(tenantTables).toHaveLength(1);
    for (const names of tenantTables) expect([...names].sort()).toEqual(TENANTS.map((t) => t.id).sort());

    // Each overlaid chart has a legend entry per run.
    const legend = await page.$eval('[data-chart="utilisation"]', (el) => el.textContent ?? "");
    expect(legend).toContain("Tier first");
    expect(legend).toContain("FIFO");

    if (process.env.FJORD_UPDATE_SCREENSHOT === "1") {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws a single-run report", async () => {
    const runs = [reportRun("Tier first", "tier-first")];
    const { page, errors } = await open(
      "single.html",
      renderReport({ title: "One run", runs }, loadChartAssets()),
    );
    const sizes = await chartSizes(page);
    expect(sizes).toHaveLength(4);
    for (const s of sizes) expect(s.width * s.height, s.chart ?? "").toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
