// The shipped initialised PGlite data directory: there must be one for the PGlite version installed (or a
// first start runs initdb again, seconds longer), and a new data directory made from it must be a
// working database that keeps what it is given across a restart.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { openPGliteStore } from "./pglite-store.ts";
import { initialisedDataDir, installedPGliteVersion, templateFile } from "./pglite-template.ts";

const dir = mkdtempSync(join(tmpdir(), "fjord-pglite-template-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("ships an initialised data directory for the installed PGlite version", () => {
  const file = templateFile(installedPGliteVersion());
  expect(
    existsSync(file),
    `${file} is missing: run node --import tsx src/store/make-pglite-template.ts and commit it`,
  ).toBe(true);
  expect(initialisedDataDir()).not.toBeNull();
});

it("makes a new data directory a working database that survives a restart", async () => {
  const dataDir = join(dir, "db");
  const first = await openPGliteStore(dataDir);
  await first.setValue("template-check", { kept: true });
  await first.close();
  const again = await openPGliteStore(dataDir);
  try {
    expect(await again.getValue("template-check")).toEqual({ kept: true });
    expect(await again.ping()).toBe(true);
  } finally {
    await again.close();
  }
});
