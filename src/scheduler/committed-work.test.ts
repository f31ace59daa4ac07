// Committed work kept as jobs start and end must equal, to the bit, the walk over the running jobs it
// replaces: Σ GPUs × (estimated end − now) over the jobs not yet at their estimated end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { job, T0 } from "../../test/support/build.ts";
import { CommittedWork } from "./committed-work.ts";
import type { Holding } from "./holding.ts";

const RUNS = Math.max(50, Number(process.env.FJORD_PROPERTY_RUNS ?? 1000) / 5);
const TENANTS = ["a", "b", "c"];
const POOLS = 2;

function holding(tenantId: string, pool: number, gpus: number, estimatedEndAtMs: number): Holding {
  return {
    handle: 0,
    job: job(tenantId),
    pool,
    tier: 0,
    nodes: [],
    masks: [],
    gpus,
    gpuMilli: 0,
    startedAtMs: T0,
    limitEndAtMs: estimatedEndAtMs,
    estimatedEndAtMs,
    startedInPass: -1,
    live: true,
  };
}

/** The walk the ledger replaces, summed exactly: whole GPUs, and shares of a GPU in thousandths. */
function walked(live: Holding[], nowMs: number, pick: (h: Holding) => boolean): number {
  let whole = 0n;
  let milli = 0n;
  for (const h of live) {
    if (!pick(h) || h.estimatedEndAtMs <= nowMs) continue;
    const ms = BigInt(h.estimatedEndAtMs - nowMs);
    if (h.gpuMilli > 0) milli += BigInt(h.gpuMilli) * ms;
    else whole += BigInt(h.gpus) * ms;
  }
  return milli === 0n ? Number(whole) : Number(whole) + Number(milli) / 1000;
}

const opArb = fc.oneof(
  {
    arbitrary: fc.record({
      tenant: fc.constantFrom(...TENANTS),
      pool: fc.integer({ min: 0, max: POOLS - 1 }),
      gpus: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 512, max: 40_000 })),
      /** Now and then a share of one GPU instead, in thousandths. */
      gpuMilli: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 999 })),
      endInMs: fc.integer({ min: -3_600_000, max: 30 * 86_400_000 }),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ finish: fc.nat() }), weight: 3 },
  // Mostly forward, now and then back (a caller replaying an earlier instant), sometimes far ahead.
  { arbitrary: fc.record({ advanceMs: fc.integer({ min: -86_400_000, max: 40 * 86_400_000 }) }), weight: 3 },
);

describe("committed work", () => {
  it("equals the walk over running jobs per tenant and pool, as jobs come and go and time passes", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 80, size: "max" }), (ops) => {
        const work = new CommittedWork(POOLS);
        let live: Holding[] = [];
        let nowMs = T0;
        work.advance(nowMs, () => live);
        for (const op of ops) {
          if ("tenant" in op) {
            const h = holding(op.tenant, op.pool, op.gpus, nowMs + op.endInMs);
            if (op.gpuMilli > 0) {
              h.gpuMilli = op.gpuMilli;
              h.gpus = op.gpuMilli / 1000;
            }
            live.push(h);
            work.add(h);
          } else if ("finish" in op) {
            if (live.length === 0) continue;
            const h = live[op.finish % live.length]!;
            work.remove(h);
            h.live = false;
            live = live.filter((x) => x !== h);
          } else {
            nowMs += op.advanceMs;
            work.advance(nowMs, () => live);
          }
          for (const t of TENANTS)
            expect(work.tenantGpuMs(t)).toBe(walked(live, nowMs, (h) => h.job.tenantId === t));
          for (let p = 0; p < POOLS; p++)
            expect(work.poolGpuMs(p)).toBe(walked(live, nowMs, (h) => h.pool === p));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("stays exact where GPUs × end times pass 2^53", () => {
    const work = new CommittedWork(1);
    // 100,000 GPUs ending a year from 2026: Σ GPUs × end ≈ 1.8 × 10^17, far past exact doubles.
    const live = [holding("a", 0, 60_000, T0 + 365 * 86_400_000 + 1), holding("a", 0, 40_000, T0 + 7)];
    for (const h of live) work.add(h);
    work.advance(T0 + 3, () => live);
    expect(work.tenantGpuMs("a")).toBe(walked(live, T0 + 3, () => true));
    work.advance(T0 + 10, () => live);
    expect(work.tenantGpuMs("a")).toBe(60_000 * (365 * 86_400_000 + 1 - 10));
    // Work ahead itself past 2^53 GPU-ms: 100,000 GPUs for twenty years, plus one odd millisecond.
    const long = holding("a", 0, 100_001, T0 + 20 * 365 * 86_400_000 + 1);
    live.push(long);
    work.add(long);
    for (let nowMs = T0 + 11; nowMs < T0 + 43; nowMs++) {
      work.advance(nowMs, () => live);
      expect(work.tenantGpuMs("a")).toBe(walked(live, nowMs, () => true));
    }
  });
});
