// A label is free text a tenant writes; one whose value names a built-in property of JavaScript objects
// (`class: constructor`, `class: __proto__`) once turned the accounting's figures into NaN: the tenant's and
// the operator's usage failed with 500, other tenants at the same site-hours were charged no facility energy
// and no CO2e, and the EED report's PUE, EDC and EIT went blank. Here, through the API, on both backends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  startTestApi,
  TENANT_A,
  TENANT_B,
  type TestApi,
} from "../../test/support/api-test-harness.ts";
import { writeFinishedRun } from "../../test/support/finished-run.ts";
import { flatSignals } from "../../test/support/flat-signals.ts";
import type { Period } from "../accounting/period.ts";

const H = 3_600_000;
const DAY = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();

const USAGE_FIGURES = [
  "gpuHours",
  "itEnergyKWh",
  "facilityEnergyKWh",
  "waterL",
  "heatReusedKWh",
  "co2eKgLocationBased",
  "co2eKgMarketBased",
] as const;

type UsageRow = { tenant: string } & Record<(typeof USAGE_FIGURES)[number], number>;

/** Every number anywhere in a JSON document that is not a finite number (JSON writes NaN as null). */
function notFinite(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => notFinite(v, `${path}.${k}`));
}

function expectFiniteUsage(rows: UsageRow[]): void {
  for (const row of rows)
    for (const field of USAGE_FIGURES)
      expect(Number.isFinite(row[field]), `${row.tenant} ${field} is ${row[field]}`).toBe(true);
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ energy: flatSignals });
});
afterAll(() => api.close());

async function usage(key: "operator" | "memberA" | "memberB", query = ""): Promise<UsageRow[]> {
  const res = await api.call(key, "GET", `/v1/usage${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().tenants;
}

describe("a job labelled with the name of a built-in property, submitted and running", () => {
  const jobs = { classConstructor: "", classProto: "", other: "" };
  let year: number;

  beforeAll(async () => {
    year = new Date(api.controlPlane.nowMs()).getUTCFullYear();
    const submit = async (key: "memberA" | "memberB", body: string) => {
      const res = await api.call(key, "POST", "/v1/jobs", body, { "content-type": "application/json" });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // The exact requests that once poisoned the accounting.
    jobs.classConstructor = await submit(
      "memberA",
      '{"gpus":4,"estimatedRuntimeS":36000,"labels":{"class":"constructor"}}',
    );
    jobs.classProto = await submit(
      "memberA",
      '{"gpus":4,"estimatedRuntimeS":36000,"labels":{"class":"__proto__"}}',
    );
    const siteOf = await eventually("A's jobs to run", async () => {
      const [a, b] = await Promise.all(
        [jobs.classConstructor, jobs.classProto].map(async (id) =>
          (await api.call("memberA", "GET", `/v1/jobs/${id}`)).json(),
        ),
      );
      return a.state === "running" && b.state === "running" && a.allocation.siteId;
    });
    // Another tenant's job at the same site, so the two share its hours.
    const residency = siteOf === "no-test" ? "NO" : "AE";
    jobs.other = await submit("memberB", `{"gpus":4,"estimatedRuntimeS":36000,"residency":["${residency}"]}`);
    await eventually("B's job to run", async () => {
      const b = (await api.call("memberB", "GET", `/v1/jobs/${jobs.other}`)).json();
      return b.state === "running" && b.allocation.siteId === siteOf;
    });
    // Usage up to now counts some GPU-time for every running job.
    await eventually("usage of both tenants", async () => {
      const rows = await usage("operator");
      return rows.every((r) => (r.tenant === TENANT_A || r.tenant === TENANT_B ? r.gpuHours > 0 : true));
    });
  });

  it("leaves the tenant's own usage and footprint answering, with finite figures", async () => {
    const [own] = await usage("memberA");
    expect(own!.tenant).toBe(TENANT_A);
    expectFiniteUsage([own!]);
    expect(own!.facilityEnergyKWh).toBeGreaterThan(own!.itEnergyKWh);

    const footprint = await api.call("memberA", "GET", `/v1/reports/footprint?year=${year}`);
    expect(footprint.statusCode, footprint.body).toBe(200);
    expect(notFinite(footprint.json())).toEqual([]);
    expect(footprint.json().total.facilityKWh).toBeGreaterThan(0);
  });

  it("leaves the operator's usage answering, and the other tenant charged its facility energy and CO2e", async () => {
    const rows = await usage("operator");
    expectFiniteUsage(rows);
    const b = rows.find((r) => r.tenant === TENANT_B)!;
    expect(b.facilityEnergyKWh).toBeGreaterThan(b.itEnergyKWh);
    expect(b.co2eKgLocationBased).toBeGreaterThan(0);
    expectFiniteUsage(await usage("memberB"));
  });

  it("leaves the EED report's PUE, EDC and EIT figures numbers", async () => {
    const res = await api.call("operator", "GET", `/v1/reports/eed?year=${year}&site=no-test`);
    expect(res.statusCode, res.body).toBe(200);
    const figures = res.json().dataCentres[0].sections.flatMap((s: { figures: unknown[] }) => s.figures) as {
      key: string;
      value: unknown;
    }[];
    const figureValue = (key: string) => figures.find((f) => f.key === key)?.value;
    for (const key of ["PUE", "EDC", "EIT"]) expect(figureValue(key), key).toEqual(expect.any(Number));
    expect(notFinite(res.json())).toEqual([]);
  });
});

describe("another tenant's figures beside a job labelled with a built-in property's name", () => {
  // Three days of one month with the same runs at the same hours; only the labels of A's job differ.
  const DAY_1 = Date.parse("2026-01-12T00:00:00Z");
  const LABELS: Record<string, string>[] = [
    {},
    { class: "constructor" },
    { class: "__proto__" },
    { class: "toString", constructor: "x", valueOf: "hasOwnProperty" },
  ];
  const periodOf = (day: number): Period => ({ fromMs: DAY_1 + day * DAY, toMs: DAY_1 + day * DAY + 4 * H });

  beforeAll(async () => {
    for (const [day, labels] of LABELS.entries()) {
      const { fromMs } = periodOf(day);
      await ran(TENANT_B, { gpus: 4, startAtMs: fromMs, endAtMs: fromMs + 4 * H }, {});
      await ran(TENANT_A, { gpus: 4, startAtMs: fromMs + H, endAtMs: fromMs + 3 * H }, labels);
    }
  });

  it("charges the other tenant, and the labelled one, exactly what they are charged beside a plain job", async () => {
    const byDay = await Promise.all(
      LABELS.map(async (_, day) => {
        const { fromMs, toMs } = periodOf(day);
        const rows = await usage("operator", `?from=${iso(fromMs)}&to=${iso(toMs)}`);
        expectFiniteUsage(rows);
        return rows;
      }),
    );
    const plain = byDay[0]!;
    expect(plain.find((r) => r.tenant === TENANT_B)!.facilityEnergyKWh).toBeGreaterThan(0);
    for (const rows of byDay.slice(1)) expect(rows).toEqual(plain);
    const own = await usage("memberA", `?from=${iso(periodOf(1).fromMs)}&to=${iso(periodOf(1).toMs)}`);
    expect(own).toEqual(plain.filter((r) => r.tenant === TENANT_A));
  });
});

/** A finished run at no-test, each tenant on a node of its own, written straight to the store. */
function ran(
  tenantId: string,
  run: { gpus: number; startAtMs: number; endAtMs: number },
  labels: Record<string, string>,
): Promise<void> {
  const nodeId = tenantId === TENANT_A ? "no-test/hall-a-r001-n01" : "no-test/hall-a-r001-n02";
  return writeFinishedRun(api.controlPlane.store, tenantId, { ...run, siteId: "no-test", nodeId }, labels);
}
