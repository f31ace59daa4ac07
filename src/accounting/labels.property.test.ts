// Labels are free text a tenant writes. The accounting reads three of them (utilisation.ts); whatever else a
// job carries — keys and values named like Object.prototype's properties, lone UTF-16 surrogates, NUL — must
// change nothing: not the job's own figures, not another tenant's, not the site's or its EED report.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { facility } from "../../test/support/build.ts";
import type { Facility } from "../model/types.ts";
import { accountEnergy, type EnergyAccount } from "./account.ts";
import { eedReport } from "./eed-report.ts";
import { DEFAULT_GPU_UTILISATION } from "./energy-defaults.ts";
import { siteEnergy } from "./energy-schema.ts";
import type { Period } from "./period.ts";
import type { ScheduledJob } from "./schedule.ts";
import type { Signals } from "./signals.ts";
import { syntheticSignals } from "./synthetic-signals.ts";

const RUNS = Number(process.env.FJORD_PROPERTY_RUNS ?? 1000);
const H = 3_600_000;
const PERIOD: Period = {
  fromMs: Date.parse("2026-06-30T00:00:00Z"),
  toMs: Date.parse("2026-07-02T00:00:00Z"),
};
const HOURS = (PERIOD.toMs - PERIOD.fromMs) / H;
const SITES = ["a", "b"];
const TENANT = "labelled";

/** The default kinds plus one named like a built-in property, which a facility may declare like any other. */
const BY_KIND: Record<string, number> = Object.fromEntries([
  ...Object.entries(DEFAULT_GPU_UTILISATION.byKind),
  ["valueOf", 0.42],
]);

function testFacility(): Facility {
  // 2 racks × 2 nodes × 4 GPUs = 16 GPUs per site: three other jobs and the labelled one always fit.
  const f = facility({ id: "a", racks: 2, nodesPerRack: 2 }, { id: "b", racks: 2, nodesPerRack: 2 });
  f.gpuUtilisation = { default: 0.7, byKind: BY_KIND };
  return f;
}

const FACILITY = testFacility();
const SIGNALS: Signals = {
  source: "synthetic",
  bySite: new Map(
    FACILITY.sites.map((s) => [s.id, syntheticSignals(siteEnergy(s).syntheticSignals, PERIOD, 7, s.id)]),
  ),
};

const BUILT_IN_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];
/** Any UTF-16 code units, so lone surrogates and NUL come up as often as letters. */
const codeUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 })
  .map((units) => String.fromCharCode(...units));
const text = fc.oneof(
  fc.constantFrom(...BUILT_IN_NAMES, ...Object.keys(BY_KIND), "", "\u0000", "\ud800", "x\udc00y", "a\u0000b"),
  codeUnits,
  fc.string(),
);
/**
 * Any labels but the two whose values have rules of their own (gpuUtilisation, gpuMilli: utilisation.test.ts).
 * Built with Object.fromEntries, as JSON.parse builds them: `__proto__` is then an own key, not the prototype.
 */
const labelsArb = fc
  .array(fc.tuple(fc.oneof({ arbitrary: fc.constant("class"), weight: 2 }, text), text), { maxLength: 6 })
  .map((entries) =>
    Object.fromEntries(entries.filter(([key]) => key !== "gpuUtilisation" && key !== "gpuMilli")),
  );

/** The labels that mean the same to the accounting: the kind, when the facility declares it; else none. */
function plainLabels(labels: Record<string, string>): Record<string, string> {
  const kind = Object.hasOwn(labels, "class") ? labels.class! : undefined;
  return kind !== undefined && Object.hasOwn(BY_KIND, kind) ? { class: kind } : {};
}

const jobArb = (tenants: readonly string[]) =>
  fc.record({
    tenantId: fc.constantFrom(...tenants),
    siteId: fc.constantFrom(...SITES),
    gpus: fc.integer({ min: 1, max: 4 }),
    startH: fc.integer({ min: 0, max: HOURS - 1 }),
    lengthMin: fc.integer({ min: 1, max: 16 * 60 }),
    kind: fc.constantFrom(undefined, ...Object.keys(BY_KIND)),
  });

const othersArb = fc.array(jobArb(["t1", "t2"]), { minLength: 1, maxLength: 3 });
const labelledArb = fc.tuple(jobArb([TENANT]), labelsArb);

type JobSpec = ReturnType<typeof jobArb> extends fc.Arbitrary<infer T> ? T : never;

function scheduled(spec: JobSpec, id: string, labels: Record<string, string>): ScheduledJob {
  const startAtMs = PERIOD.fromMs + spec.startH * H;
  return {
    jobId: id,
    tenantId: spec.tenantId,
    tierId: "tier",
    labels,
    runs: [{ siteId: spec.siteId, startAtMs, endAtMs: startAtMs + spec.lengthMin * 60_000, gpus: spec.gpus }],
  };
}

function otherJobs(specs: readonly JobSpec[]): ScheduledJob[] {
  return specs.map((s, i) => scheduled(s, `other-${i}`, s.kind === undefined ? {} : { class: s.kind }));
}

function account(jobs: ScheduledJob[]): EnergyAccount {
  return accountEnergy({
    facility: FACILITY,
    schedule: { ...PERIOD, jobs },
    signals: SIGNALS,
    period: PERIOD,
  });
}

function report(a: EnergyAccount) {
  return eedReport(a, FACILITY, {
    facility: "test",
    simulation: "property",
    run: "labels",
    scheduleFromMs: PERIOD.fromMs,
    scheduleToMs: PERIOD.toMs,
    signals: SIGNALS.source,
  });
}

/** Every number anywhere in `value` (typed arrays and maps included), with the path it was found at. */
function numbers(value: unknown, path = "$"): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (value === null || typeof value !== "object") return [];
  if (value instanceof Map) return [...value].flatMap(([k, v]) => numbers(v, `${path}.${String(k)}`));
  if (ArrayBuffer.isView(value)) return numbers(Array.from(value as Float64Array), path);
  return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}

function expectFinite(value: unknown): void {
  const bad = numbers(value).filter(([, n]) => !Number.isFinite(n));
  expect(bad, "figures that are not finite").toEqual([]);
}

const othersOf = (a: EnergyAccount) => a.jobs.filter((j) => j.tenantId !== TENANT);

describe("labels in the accounting", () => {
  it("change nothing but the kind a facility declares: any keys and values, built-in names, surrogates and NUL", () => {
    fc.assert(
      fc.property(othersArb, labelledArb, (others, [spec, labels]) => {
        const withLabels = account([...otherJobs(others), scheduled(spec, "job", labels)]);
        const plain = account([...otherJobs(others), scheduled(spec, "job", plainLabels(labels))]);
        expect(withLabels).toEqual(plain);
        expect(report(withLabels)).toEqual(report(plain));
      }),
      { numRuns: RUNS },
    );
  });

  it("never make a figure of any tenant, site or EED report not finite", () => {
    fc.assert(
      fc.property(othersArb, labelledArb, (others, [spec, labels]) => {
        const a = account([...otherJobs(others), scheduled(spec, "job", labels)]);
        expectFinite(a);
        expectFinite(report(a));
      }),
      { numRuns: RUNS },
    );
  });

  it("never change another tenant's GPU-hours or IT energy, whatever the labelled job carries", () => {
    fc.assert(
      fc.property(othersArb, labelledArb, (others, [spec, labels]) => {
        const before = othersOf(account(otherJobs(others)));
        const after = othersOf(account([...otherJobs(others), scheduled(spec, "job", labels)]));
        expect(after.map((j) => [j.jobId, j.total.gpuHours, j.total.itKWh])).toEqual(
          before.map((j) => [j.jobId, j.total.gpuHours, j.total.itKWh]),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("read a kind named like a built-in property only when the facility declares it", () => {
    const spec: JobSpec = {
      tenantId: TENANT,
      siteId: "a",
      gpus: 4,
      startH: 0,
      lengthMin: 600,
      kind: undefined,
    };
    const utilisationOf = (kind: string) =>
      account([scheduled(spec, "job", { class: kind })]).jobs[0]!.utilisation;
    expect(utilisationOf("valueOf")).toBe(0.42);
    for (const kind of ["constructor", "__proto__", "toString", "hasOwnProperty"])
      expect(utilisationOf(kind)).toBe(0.7);
  });
});
