// The dashboard in a real headless Chromium (test/support/chromium.ts) against a real `fjord serve` with
// the demo load on an accelerated clock: a tenant submits a job and watches it wait with its reason and
// then run, an operator sees every tier, every tenant's usage and the data-centre report, a tenant never
// sees another tenant's job, usage or report, the new pages' controls are reached by keyboard, and every
// page passes axe-core with no serious or critical violation. Prints `bench dashboard.<page>.<metric> <ms> ms` lines
// (first paint, data on screen, a live update) and saves screenshots in test-artifacts/; with
// FJORD_UPDATE_SCREENSHOT=1 also as the README's docs/img/dashboard-*.png.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, demandChromium, haveChromium } from "../../test/support/chromium.ts";
import { fjordProcess } from "../../test/support/cli.ts";
import { type SavedKey, type ServiceProcess, savedKeys, spawnService } from "../../test/support/service.ts";

demandChromium("src/web/dashboard.browser.test.ts");

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts");
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** The simulated clock: two minutes a second, so a job told to wait 20 minutes starts in about 10 s. */
const SPEED = 120;
const FIRST_PAINT_BUDGET_MS = 1000;
/** How long a page may take to show data or an update: generous, as CI runs other suites beside this one. */
const PAGE_TIMEOUT_MS = 60_000;
/** Each test walks pages whose energy figures refresh every 30 s. */
const TEST_TIMEOUT_MS = 300_000;
const PAGES = ["facility", "queues", "energy", "usage", "reports"] as const;
/** Pages read again after job events; the reports are read when asked (each read is an audit entry). */
const LIVE_PAGES: readonly string[] = ["facility", "queues", "energy"];
/** The screenshots README.md shows, as docs/img/dashboard-<name>.png. */
const README_SCREENSHOTS = ["facility", "queues", "energy", "usage", "reports", "simulation"];

let service: ServiceProcess;
let browser: Browser;
let dataDir: string;
/** Where `fjord simulate` writes the run the Reports page lists (--simulation-reports). */
let simulationsDir: string;
let keys: SavedKey[];

const keyOf = (tenant: string | null) => keys.find((k) => k.tenantId === tenant)!.key;

async function call(key: string, method: "GET" | "POST", path: string, body?: unknown) {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown> & { id: string; at: string };
}

/** The control plane's clock, which runs SPEED times faster than the wall's. */
async function serviceNow(key: string): Promise<number> {
  return Date.parse((await call(key, "GET", "/v1/tiers")).at);
}

/** A fresh tab (a context of its own) collecting console errors, page errors and requests off the server. */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) =>
    errors.push(`page error: ${e.message} ${e.stack?.split("\n")[1]?.trim() ?? ""}`),
  );
  page.on("request", (r) => {
    if (!r.url().startsWith(service.url)) errors.push(`request off the server: ${r.url()}`);
  });
  return { page, errors };
}

/** Signs in through the form, as a person would, and waits for the first page's data. */
async function signIn(key: string): Promise<void> {
  const { page, errors } = await watchedPage();
  await page.goto(`${service.url}/`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Dashboard" }).waitFor();
  await page.locator("[data-as-of]").waitFor({ timeout: PAGE_TIMEOUT_MS });
  expect(await page.evaluate(() => sessionStorage.getItem("fjord.apiKey"))).toBe(key);
  expect(errors).toEqual([]);
  await page.close();
}

/**
 * Opens a dashboard page in a fresh tab already signed in with `key` (in its sessionStorage, as after the
 * form), waits for its data and reports how fast it painted.
 */
async function openPage(key: string, route: (typeof PAGES)[number]) {
  const { page, errors } = await watchedPage();
  // The top page only: init scripts run in every frame, and a simulation report's sandboxed frame has no
  // storage to write (reading it there throws, which is what keeps the key from the report's scripts).
  await page.addInitScript((k) => {
    if (window === window.top) sessionStorage.setItem("fjord.apiKey", k);
  }, key);
  await page.goto(`${service.url}/#/${route}`);
  await page
    .locator("[data-as-of]")
    .waitFor({ timeout: PAGE_TIMEOUT_MS })
    .catch(async (err: Error) => {
      const shown = ((await page.locator("body").textContent()) ?? "").slice(0, 600);
      throw new Error(`the ${route} page showed no data; it shows:\n${shown}\n${errors.join("\n")}`, {
        cause: err,
      });
    });
  const readyMs = await page.evaluate(() => performance.now());
  const firstPaintMs = await page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
  );
  console.log(`bench dashboard.${route}.first_paint ${firstPaintMs.toFixed(0)} ms`);
  console.log(`bench dashboard.${route}.data_shown ${readyMs.toFixed(0)} ms`);
  return { page, errors, firstPaintMs };
}

/**
 * How long after an event the page shows data read after it: `cause` submits a job, and the page's
 * `data-as-of` (the control plane's clock at its read) must reach the job's submission time. A read that
 * merely happened to follow another event does not count.
 */
async function timeToLiveUpdate(
  page: Page,
  route: string,
  cause: () => Promise<Record<string, unknown>>,
): Promise<void> {
  const startMs = Date.now();
  const { submittedAt } = await cause();
  expect(typeof submittedAt).toBe("string");
  await page.waitForFunction(
    (eventAt) =>
      Date.parse(document.querySelector("[data-as-of]")?.getAttribute("data-as-of") ?? "") >= eventAt,
    Date.parse(submittedAt as string),
    { timeout: PAGE_TIMEOUT_MS },
  );
  console.log(`bench dashboard.${route}.live_update ${Date.now() - startMs} ms`);
}

/**
 * Presses Tab until the focused element matches `selector`, and fails if it never does: the control is
 * reachable from the keyboard, in the page's order.
 */
async function tabTo(page: Page, selector: string, maxPresses = 80): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reached by ${maxPresses} presses of Tab`);
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
    (window as any).axe.run(document, { resultTypes: ["violations"] }),
  );
  return (results.violations as { id: string; impact: string; help: string; nodes: unknown[] }[])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements)`);
}

/** Saves what the viewport shows (from the top unless `scrolled`); the README's copies with FJORD_UPDATE_SCREENSHOT=1. */
async function screenshot(page: Page, name: string, { scrolled = false } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `dashboard-${name}.png`);
  if (!scrolled) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path });
  if (process.env.FJORD_UPDATE_SCREENSHOT === "1" && README_SCREENSHOTS.includes(name))
    copyFileSync(path, join(ROOT, "docs", "img", `dashboard-${name}.png`));
}

/** The Sankey diagram's flows, the water against its baseline and the indicators, and the controls by keyboard. */
async function checkEnergy(page: Page): Promise<void> {
  await page
    .locator("[data-kpi=PUE] dd")
    .filter({ hasText: /^1\.\d+$/ })
    .waitFor();
  const sankey = page.getByRole("img", { name: /^Energy and heat flows of Stargate Norway, Kvandal/ });
  for (const node of ["src-ppa", "edc", "it", "cool-liquid", "ups", "heat-0", "rejected"])
    expect(await sankey.locator(`[data-node="${node}"]`).count(), node).toBe(1);
  const flows = await page.locator(".sankey table tbody tr").evaluateAll((rows) =>
    rows.map((r) =>
      [...r.children]
        .map((c) => c.textContent)
        .slice(0, 2)
        .join(" → "),
    ),
  );
  expect(flows).toContain("Facility energy → IT load");
  expect(flows).toContain("IT load → Heat rejected outdoors");
  // Closed loops with dry coolers use a small part of an evaporative-cooled facility's water.
  const saved = Number(await page.locator("[data-water-saved]").getAttribute("data-water-saved"));
  expect(saved).toBeGreaterThan(0.5);
  expect(saved).toBeLessThan(1);

  await tabTo(page, "select");
  expect(await page.locator("select option").allTextContents()).toEqual([
    "Stargate Norway, Kvandal (Narvik)",
    "Stargate UAE partner capacity, Abu Dhabi",
    "Aurora Labs on-premises cluster, Oslo",
  ]);
  await tabTo(page, "input[name=flow-span]");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => page.locator("input[name=flow-span]:checked").getAttribute("value")).toBe("period");
}

/** Every tenant's usage and fairness, grouped by tier from the keyboard. */
async function checkOperatorUsage(page: Page): Promise<void> {
  const tenants = await page
    .locator("[data-tenant-row]")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-tenant-row")));
  expect(tenants).toEqual(expect.arrayContaining(["aurora-labs", "sisu-ai", "oresund-bio"]));
  expect(
    await page
      .locator("[data-tier-row]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-tier-row"))),
  ).toEqual(["national", "nordic-european", "global"]);
  expect(await page.locator(".chart canvas").count()).toBe(3);
  await tabTo(page, "input[name=usage-by]");
  await page.keyboard.press("ArrowRight");
  await page.locator("[data-usage-row=national]").waitFor();
  expect(await page.locator("[data-usage-row=sisu-ai]").count()).toBe(0);
}

/** The data-centre report in the page, and its JSON saved from the keyboard. */
async function checkOperatorReports(page: Page): Promise<void> {
  expect(await page.locator("[data-centre=no-kvandal] [data-figure=PUE] td.num").textContent()).toMatch(
    /^1\.\d+$/,
  );
  expect(await page.locator("[data-site=tenant-oslo-onprem]").textContent()).toMatch(/no.*tenant-owned/);
  await tabTo(page, "form[aria-label='Report period'] button[type=submit]");
  await tabTo(page, "a[data-download=json]");
  const report = JSON.parse(await downloaded(page, /^eed-report-\d{4}\.json$/));
  expect(report.format).toBe("fjord-eed-report/1");
  expect(report.dataCentres.map((d: { siteId: string }) => d.siteId)).toEqual(["no-kvandal"]);
  await tabTo(page, "button[data-download=csv]");
  const csv = await downloaded(page, /^eed-report-\d{4}\.csv$/);
  expect(csv.split("\n")[0]).toBe("siteId,section,key,symbol,label,unit,value,formula,source");
  expect(csv).toContain("no-kvandal,annex-iii,PUE,PUE,");
  await tabTo(page, "button[data-download=html]");
  expect(await downloaded(page, /^eed-report-\d{4}\.html$/)).toMatch(/^<!doctype html>/);

  // A simulation report, opened from the keyboard, draws its charts in its sandboxed frame.
  await tabTo(page, "tr[data-run=two-sites] button");
  await page.keyboard.press("Enter");
  const frame = page.frameLocator("iframe.simulation-report");
  await frame.getByRole("heading", { name: "Small two-site test facility: default", level: 1 }).waitFor();
  await expect.poll(() => frame.locator(".chart canvas").count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.locator("[data-simulation-view]").scrollIntoViewIfNeeded();
  // Two of the frame's own animation frames: it has painted what it drew before the screenshot.
  await frame
    .locator("body")
    .evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await screenshot(page, "simulation", { scrolled: true });
  await tabTo(page, "[data-simulation-view] button");
  expect(await downloaded(page, /^two-sites-report\.html$/)).toContain("Fjord simulation report");
  // Closed again, so axe checks the page around it (the report's own page is checked in src/report).
  await page.locator("[data-simulation-view]").getByRole("button", { name: "Close" }).press("Enter");
  await expect.poll(() => page.locator("iframe.simulation-report").count()).toBe(0);
}

/** Presses Enter on the focused control and returns the text of the file it saves, named as `name` says. */
async function downloaded(page: Page, name: RegExp): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  expect(download.suggestedFilename()).toMatch(name);
  return readFileSync((await download.path())!, "utf8");
}

describe.skipIf(!haveChromium)("the dashboard in headless Chromium", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fjord-dashboard-"));
    simulationsDir = mkdtempSync(join(tmpdir(), "fjord-dashboard-simulations-"));
    const simulate = await fjordProcess(
      "simulate",
      ...["--facility", "facilities/small-two-sites.yaml", "--policy", "policies/default.yaml"],
      ...["--workload", "test/fixtures/workloads/fjord-jobs.jsonl", "--no-progress"],
      ...["--out", join(simulationsDir, "two-sites")],
    );
    expect(simulate.code, simulate.stderr).toBe(0);
    service = await spawnService([
      ...["--data-dir", dataDir, "--speed", String(SPEED), "--demo-load", "1"],
      ...["--simulation-reports", simulationsDir],
    ]);
    keys = savedKeys(dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (service) {
      // A service that does not drain in time must not outlive the test run.
      const kill = setTimeout(() => service.child.kill("SIGKILL"), 20_000);
      await service.stop();
      clearTimeout(kill);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (simulationsDir) rmSync(simulationsDir, { recursive: true, force: true });
  }, 60_000);

  it(
    "lets a tenant submit a job, shows it waiting with its reason, then running",
    async () => {
      await signIn(keyOf("aurora-labs"));
      const { page, errors } = await openPage(keyOf("aurora-labs"), "queues");
      const form = page.getByRole("form", { name: "Submit a job" });

      // The API's refusal appears next to the field it names.
      await form.getByLabel("GPUs").fill("-4");
      await form.getByLabel("Runtime (minutes)").fill("30");
      await form.getByRole("button", { name: "Submit" }).click();
      await expect.poll(() => page.locator("[data-field-error=gpus]").textContent()).toMatch(/positive/);
      await expect.poll(() => form.getByLabel("GPUs").getAttribute("aria-invalid")).toBe("true");

      const notBefore = new Date((await serviceNow(keyOf("aurora-labs"))) + 20 * 60_000).toISOString();
      await form.getByLabel("Name").fill("dashboard-test");
      await form.getByLabel("GPUs").fill("4");
      await form.getByLabel("Not before").fill(notBefore);
      await form.getByRole("button", { name: "Submit" }).click();
      const submitted = await page.getByRole("status").filter({ hasText: "Submitted" }).textContent();
      const jobId = /Submitted (\S+)\./.exec(submitted ?? "")![1]!;
      const row = page.locator(`tr[data-job="${jobId}"]`).last();
      await expect
        .poll(() => row.locator("[data-where]").textContent(), { timeout: 15_000 })
        .toMatch(/start window opens/);
      expect(await row.getAttribute("data-state")).toBe("queued");
      await page.getByRole("heading", { name: "Jobs of aurora-labs" }).scrollIntoViewIfNeeded();
      await screenshot(page, "queues", { scrolled: true });

      await expect.poll(() => row.getAttribute("data-state"), { timeout: 60_000 }).toBe("running");
      expect(await row.locator("[data-where]").textContent()).toMatch(/no-kvandal|tenant-oslo-onprem/);

      await timeToLiveUpdate(page, "queues", () =>
        call(keyOf("aurora-labs"), "POST", "/v1/jobs", { gpus: 4, estimatedRuntimeS: 600 }),
      );
      expect(await seriousViolations(page)).toEqual([]);
      // The refused submission is the one failed request: Chromium logs every 4xx answer to a fetch.
      expect(errors).toEqual([
        "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows an operator every tier, the floor of every site, the energy flows, every tenant's usage and the report",
    async () => {
      for (const route of PAGES) {
        const { page, errors, firstPaintMs } = await openPage(keyOf(null), route);
        expect(firstPaintMs).toBeLessThan(FIRST_PAINT_BUDGET_MS);
        if (route === "queues")
          expect(
            await page
              .locator("[data-tier]")
              .evaluateAll((els) => els.map((e) => e.getAttribute("data-tier"))),
          ).toEqual(["national", "nordic-european", "global"]);
        if (route === "facility") {
          await expect.poll(() => page.locator("[data-rack]").count()).toBe(1545);
          await expect.poll(() => page.getByText("Tenant-owned: aurora-labs").count()).toBe(1);
          expect(await page.getByText("Executor: simulated").count()).toBe(3);
          expect(await page.locator("[data-reachable=true]").count()).toBe(3);
          // Racks are reached and opened from the keyboard.
          await page.locator("[data-rack]").first().focus();
          await page.keyboard.press("ArrowRight");
          const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-rack"));
          expect(focused).toBe("no-kvandal/hall-a-r002");
          await page.keyboard.press("Enter");
          await page.getByRole("heading", { name: "Rack no-kvandal/hall-a-r002" }).waitFor();
          await page.keyboard.press("Escape");
        }
        if (route === "energy") await checkEnergy(page);
        if (route === "usage") await checkOperatorUsage(page);
        if (route === "reports") await checkOperatorReports(page);
        if (LIVE_PAGES.includes(route))
          await timeToLiveUpdate(page, route, () =>
            call(keyOf("sisu-ai"), "POST", "/v1/jobs", { gpus: 4, estimatedRuntimeS: 600 }),
          );
        expect(await seriousViolations(page), route).toEqual([]);
        await screenshot(page, route === "queues" ? "queues-operator" : route);
        expect(errors, route).toEqual([]);
        await page.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "never shows a tenant another tenant's job, usage or report",
    async () => {
      const other = await call(keyOf("sisu-ai"), "POST", "/v1/jobs", {
        name: "sisu-secret-run",
        gpus: 4,
        estimatedRuntimeS: 600,
      });
      for (const route of PAGES) {
        const { page, errors } = await openPage(keyOf("aurora-labs"), route);
        if (route === "facility") {
          await page.getByLabel("tenant").check();
          expect(await page.getByRole("list", { name: "Legend" }).textContent()).not.toMatch(
            /sisu|oresund|thames/,
          );
          await page.locator("[data-rack]").first().press("Enter");
          await page.getByRole("heading", { name: /^Rack / }).waitFor();
          await page.locator(".rack-detail table").waitFor();
        }
        if (route === "usage") {
          await page.locator("[data-fairness=own]").waitFor();
          expect(await page.locator("[data-tenant-row]").count()).toBe(0);
          // Grouped by tier, a tenant's own usage would pass for its whole tier's: it is not offered.
          expect(await page.locator("input[name=usage-by]").count()).toBe(0);
          await tabTo(page, "select");
          expect(
            await page
              .locator("[data-usage-row]")
              .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-usage-row"))),
          ).toEqual(["aurora-labs"]);
        }
        if (route === "reports") {
          await page.getByRole("heading", { name: /^Footprint of aurora-labs, \d{4}$/ }).waitFor();
          expect(await page.locator("[data-simulation-reports]").count()).toBe(0);
          expect(await page.locator("a[data-download=json]").getAttribute("download")).toMatch(
            /^footprint-aurora-labs-\d{4}\.json$/,
          );
          await page.locator("button[data-download=csv]").focus();
          const csv = await downloaded(page, /^footprint-aurora-labs-\d{4}\.csv$/);
          expect(csv.split("\n")[0]).toMatch(/^jobId,tierId,month,gpuHours,/);
          expect(csv).not.toContain("sisu");
        }
        if (route === "energy")
          expect(await page.locator("select option").allTextContents()).toContain(
            "Aurora Labs on-premises cluster, Oslo",
          );
        const text = (await page.locator("main").textContent()) ?? "";
        expect(text, route).not.toContain(other.id);
        expect(text, route).not.toContain("sisu-secret-run");
        expect(text, route).not.toContain("sisu-ai");
        expect(await seriousViolations(page), route).toEqual([]);
        expect(errors, route).toEqual([]);
        await page.close();
      }
      // A tenant-owned site's energy is its owner's: another tenant's energy page does not offer it.
      const { page, errors } = await openPage(keyOf("sisu-ai"), "energy");
      await page.locator("select").waitFor();
      expect(await page.locator("select option").allTextContents()).not.toContain(
        "Aurora Labs on-premises cluster, Oslo",
      );
      expect(errors).toEqual([]);
      await page.close();
    },
    TEST_TIMEOUT_MS,
  );
});
