// `npm start` as a new user runs it: the service on the embedded default with the demo load, on a fresh
// data directory. It must answer at once (/healthz, and /readyz saying it is starting), then come up
// ready, print keys that work, fill the facility with running and waiting work from every tier within
// seconds, and drain and exit 0 on SIGTERM. The times it takes are printed, not asserted.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { savedKeys, spawnService } from "./support/service.ts";

const dir = mkdtempSync(join(tmpdir(), "fjord-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The arguments `npm start` passes to `fjord serve`, from package.json itself. */
function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } };
  const [, serve, ...args] = pkg.scripts.start.split(/\s+/).slice(1);
  expect(serve).toBe("serve");
  return args;
}

it("answers as soon as it listens, says it is starting until ready, and then is ready", async () => {
  const began = performance.now();
  const service = await spawnService([...npmStartArgs(), "--data-dir", join(dir, "order")], {
    until: "listening",
  });
  try {
    const listeningS = (performance.now() - began) / 1000;
    // Creating the database and the first keys is still ahead: the process answers all the same.
    expect(service.stderr()).not.toMatch(/^fjord: ready in/m);
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: "ok" });
    const starting = await fetch(`${service.url}/readyz`);
    expect(starting.status).toBe(503);
    expect(starting.headers.get("content-type")).toBe("application/problem+json");
    expect(starting.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await starting.json()) as { detail: string }).detail).toMatch(/^starting: /);
    await service.ready;
    const readyS = (performance.now() - began) / 1000;
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect(service.stderr()).toMatch(/^fjord: ready in \d+\.\d s/m);
    console.info(
      `npm start on a fresh data directory: listening after ${listeningS.toFixed(1)} s, ready after ${readyS.toFixed(1)} s`,
    );
  } finally {
    expect(await service.stop()).toBe(0);
  }
});

it("starts a busy demo facility that tenants can use, and stops cleanly", async () => {
  const service = await spawnService([...npmStartArgs(), "--data-dir", dir]);
  try {
    expect(service.stderr()).toContain("embedded PGlite");
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const keys = savedKeys(dir);
    const tenant = keys.find((k) => k.role === "tenant-admin")!;
    const operator = keys.find((k) => k.role === "operator")!;

    // The demo load fills the facility: GPUs allocated in every tier shortly after start.
    let allocatedByTier: Record<string, number> = {};
    for (let i = 0; i < 120; i++) {
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      allocatedByTier = Object.fromEntries(
        [...metrics.matchAll(/^fjord_allocated_gpus\{tier="([^"]+)"\} (\d+)/gm)].map((m) => [
          m[1]!,
          Number(m[2]),
        ]),
      );
      if (Object.values(allocatedByTier).length > 0 && Object.values(allocatedByTier).every((n) => n > 0))
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(Object.keys(allocatedByTier).sort()).toEqual(["global", "national", "nordic-european"]);
    for (const gpus of Object.values(allocatedByTier)) expect(gpus).toBeGreaterThan(0);

    // A tenant sees only its own jobs; the operator sees the demo's work of every tenant.
    const own = (await (
      await fetch(`${service.url}/v1/jobs?limit=1000`, { headers: { authorization: `Bearer ${tenant.key}` } })
    ).json()) as { items: { tenant: string }[] };
    expect(own.items.every((j) => j.tenant === tenant.tenantId)).toBe(true);
    const all = (await (
      await fetch(`${service.url}/v1/jobs?limit=1000`, {
        headers: { authorization: `Bearer ${operator.key}` },
      })
    ).json()) as { items: { tenant: string }[] };
    expect(new Set(all.items.map((j) => j.tenant)).size).toBeGreaterThan(3);
  } finally {
    expect(await service.stop()).toBe(0);
  }
});
