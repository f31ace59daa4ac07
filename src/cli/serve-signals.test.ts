// `fjord serve --signals`: usage's energy figures rest on the operator's own hourly signals, and a file the
// service cannot use stops it at start, before anything is opened.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fjordInProcess } from "../../test/support/cli.ts";
import { startService } from "./serve-service.ts";

const H = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), "fjord-serve-signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function signalsFile(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    ["time,outdoorTemperatureC,carbonIntensityGPerKWh,spotPriceEurPerMWh", ...rows].join("\n"),
  );
  return path;
}

describe("fjord serve --signals", () => {
  it("accounts usage with the file's hours and refuses periods outside them", async () => {
    const from = Date.parse("2026-03-01T00:00:00Z");
    const path = signalsFile(
      "march.csv",
      Array.from({ length: 24 }, (_, h) => `${new Date(from + h * H).toISOString()},3,18,35`),
    );
    const dataDir = join(dir, "data");
    const quiet = { out: () => {}, err: () => {} };
    const service = await startService(
      {
        facility: "facilities/small-two-sites.yaml",
        policy: "policies/default.yaml",
        dataDir,
        host: "127.0.0.1",
        port: "0",
        speed: "1",
        demoLoad: false,
        seed: "1",
        signals: path,
        log: false,
      },
      quiet,
    );
    try {
      const keys = JSON.parse(readFileSync(join(dataDir, "api-keys.json"), "utf8")) as {
        role: string;
        key: string;
      }[];
      const operator = keys.find((k) => k.role === "operator")!.key;
      const get = (query: string) =>
        fetch(`${service.url}/v1/usage?${query}`, { headers: { authorization: `Bearer ${operator}` } });
      const inside = await get("from=2026-03-01T06:00:00Z&to=2026-03-01T18:00:00Z");
      expect(inside.status).toBe(200);
      expect((await inside.json()).method).toContain(
        "signals file march.csv (2026-03-01T00:00Z to 2026-03-02T00:00Z)",
      );
      const outside = await get("from=2026-03-01T18:00:00Z&to=2026-03-02T06:00:00Z");
      expect(outside.status).toBe(422);
      expect((await outside.json()).errors[0].field).toBe("from");
    } finally {
      await service.stop();
    }
  });

  it("does not start with a file it cannot use, and names the file, column and line (exit code 2)", async () => {
    const path = signalsFile("cold.csv", ["2026-03-01T00:00:00Z,cold,18,35"]);
    const run = await fjordInProcess(
      "serve",
      "--facility",
      "facilities/small-two-sites.yaml",
      "--data-dir",
      join(dir, "never"),
      "--port",
      "0",
      "--signals",
      path,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cold\.csv: outdoorTemperatureC: .*"cold" \(line 2\)/);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });
});
