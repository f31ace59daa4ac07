// Debian's headless Chromium for the report's browser tests (`apt-get install -y chromium`); playwright-core
// drives it and downloads no browser of its own. Without it the tests are skipped with a loud warning, except
// in CI (CI=true), where a missing browser fails: the reports must not go untested there.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { it } from "vitest";

// FJORD_CHROMIUM points elsewhere (another install, or a missing path to try the skip).
export const CHROMIUM = process.env.FJORD_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const haveChromium = existsSync(CHROMIUM);

/** Call at the top of a browser test file: fails in CI, warns otherwise, when Chromium is missing. */
export function demandChromium(testFile: string): void {
  if (haveChromium) return;
  if (process.env.CI === "true") {
    it("has Chromium to test the reports in", () => {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
    });
  } else {
    console.warn(
      `SKIPPED ${testFile}: Chromium not found at ${CHROMIUM} ` +
        "(install it with `apt-get install -y chromium` to test the reports in a browser)",
    );
  }
}

/**
 * Opens `html` (written to `dir`) at the viewport's size; `errors` collects console errors, page errors and
 * any request that leaves the file (reports must be self-contained; such requests are not made).
 */
export async function openReport(
  browser: Browser,
  dir: string,
  name: string,
  html: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    errors.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}
