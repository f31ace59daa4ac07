// The policy file: tiers in priority order, tenants, fair-share decay, backfill depth and, optionally,
// carbon- or price-aware deferral, and preemption's thrash guard. Its output is the
// model's Policy; cross-references (tenant → tier, org-number requirements) are checked once the structure
// is sound.
import { z } from "zod";
import {
  countryCode,
  type IdAt,
  idSchema,
  nonEmptyString,
  nonNegativeInt,
  positiveDurationS,
  quotaGpus,
  reportDuplicateIds,
  strict,
  tenantWeight,
  unknownReference,
  whenValid,
} from "../model/input-schemas.ts";
import type { DeferralPolicy, GpuQuantity, Policy, Tenant, Tier } from "../model/types.ts";
import { orgNumberProblem } from "./org-number.ts";

const DEFAULT_HALF_LIFE_S = 7 * 86_400;
const DEFAULT_RESERVATION_DEPTH = 16;
/** Half a day: long enough to reach the night's low in carbon and price, short enough to stay within a day. */
const DEFAULT_DEFERRAL_MAX_DELAY_S = 12 * 3600;

/** `{ share: 0.4 }` or `{ gpus: 40000 }`: exactly one of the two. */
const gpuQuantitySchema = strict({
  gpus: nonNegativeInt.optional(),
  share: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
})
  .superRefine((q, ctx) => {
    if ((q.gpus === undefined) === (q.share === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of gpus or share, like { share: 0.4 } or { gpus: 40000 }",
      });
    }
  }, whenValid)
  .transform((q): GpuQuantity => {
    if (q.share !== undefined) return { share: q.share };
    if (q.gpus !== undefined) return { gpus: q.gpus };
    throw new Error("GPU quantity passed validation without gpus or share");
  });

const tierSchema = strict({
  id: idSchema,
  /** Read for people; the model does not keep it. */
  description: z.string().optional(),
  guaranteed: gpuQuantitySchema,
  /** GPUs above the guarantee the tier may borrow; omitted or null = no limit. */
  borrowingLimit: gpuQuantitySchema.nullable().default(null),
  reclaimByPreemption: z.boolean().default(false),
  requires: z.array(z.enum(["norwegian-org-number"])).default([]),
}).transform(
  (t): Tier => ({
    id: t.id,
    guaranteed: t.guaranteed,
    borrowingLimit: t.borrowingLimit,
    reclaimByPreemption: t.reclaimByPreemption,
    requires: [...new Set(t.requires)],
  }),
);

/** Written as a quoted string; "923 609 016" is accepted and stored without spaces. */
const orgNumberSchema = z
  .string({
    error: (issue) =>
      typeof issue.input === "number"
        ? `must be quoted, like "${issue.input}": as a number it could lose leading zeros`
        : undefined,
  })
  .transform((s) => s.replace(/\s+/g, ""))
  .superRefine((s, ctx) => {
    const problem = orgNumberProblem(s);
    if (problem !== null) {
      ctx.addIssue({
        code: "custom",
        message: `"${s}" is not a valid Norwegian organisation number: ${problem}`,
      });
    }
  });

const tenantSchema = strict({
  id: idSchema,
  name: nonEmptyString.optional(),
  tier: idSchema,
  orgNumber: orgNumberSchema.optional(),
  weight: tenantWeight.default(1),
  quotaGpus: quotaGpus.nullable().default(null),
  quotaMode: z.enum(["hard", "borrowable"]).default("hard"),
  country: countryCode.optional(),
}).transform(
  (t): Tenant => ({
    id: t.id,
    name: t.name ?? t.id,
    tierId: t.tier,
    weight: t.weight,
    quotaGpus: t.quotaGpus,
    ...(t.quotaMode === "borrowable" ? { quotaMode: t.quotaMode } : {}),
    orgNumber: t.orgNumber ?? null,
    country: t.country ?? null,
  }),
);

/** `deferral: { signal: carbon, minSaving: 0.1, maxDelay: 12h }`: off unless the section is there. */
const deferralSchema = strict({
  signal: z.enum(["carbon", "price"]),
  minSaving: z
    .number()
    .gt(0, "must be more than 0 and less than 1, like 0.1 for 10 % lower")
    .lt(1, "must be more than 0 and less than 1, like 0.1 for 10 % lower"),
  maxDelay: positiveDurationS.default(DEFAULT_DEFERRAL_MAX_DELAY_S),
}).transform((d): DeferralPolicy => ({ signal: d.signal, minSaving: d.minSaving, maxDelayS: d.maxDelay }));

export const policySchema = strict({
  tiers: z.array(tierSchema).min(1),
  tenants: z.array(tenantSchema).default([]),
  fairShare: strict({ halfLife: positiveDurationS.default(DEFAULT_HALF_LIFE_S) }).default({
    halfLife: DEFAULT_HALF_LIFE_S,
  }),
  backfill: strict({ reservationDepth: nonNegativeInt.default(DEFAULT_RESERVATION_DEPTH) }).default({
    reservationDepth: DEFAULT_RESERVATION_DEPTH,
  }),
  deferral: deferralSchema.optional(),
  /** `preemption: { minRuntime: 10m }`: absent = the scheduler's default (scheduler/victim-order.ts). */
  preemption: strict({ minRuntime: positiveDurationS }).optional(),
})
  .superRefine((policy, ctx) => {
    reportDuplicateIds(
      ctx,
      policy.tiers.map((t, i): IdAt => ({ id: t.id, path: ["tiers", i, "id"] })),
      "tier",
    );
    reportDuplicateIds(
      ctx,
      policy.tenants.map((t, i): IdAt => ({ id: t.id, path: ["tenants", i, "id"] })),
      "tenant",
    );
    checkGuaranteedShares(policy.tiers, ctx);
    checkTenantTiers(policy.tiers, policy.tenants, ctx);
  }, whenValid)
  .transform(
    (p): Policy => ({
      tiers: p.tiers,
      tenants: p.tenants,
      fairShare: { halfLifeS: p.fairShare.halfLife },
      backfill: { reservationDepth: p.backfill.reservationDepth },
      ...(p.deferral === undefined ? {} : { deferral: p.deferral }),
      ...(p.preemption === undefined ? {} : { preemption: { minRuntimeS: p.preemption.minRuntime } }),
    }),
  );

// Shares are of the same pool (the facility-operated GPUs), so together they cannot promise more than all of
// it. Absolute guarantees need the facility to check and are left to the caller that has both.
function checkGuaranteedShares(tiers: readonly Tier[], ctx: z.RefinementCtx): void {
  const shared = tiers.flatMap((t) =>
    "share" in t.guaranteed ? [{ id: t.id, share: t.guaranteed.share }] : [],
  );
  const total = shared.reduce((sum, t) => sum + t.share, 0);
  if (total > 1 + 1e-9) {
    ctx.addIssue({
      code: "custom",
      path: ["tiers"],
      message:
        `guaranteed shares add up to ${Number(total.toFixed(6))} (${shared.map((t) => `${t.id} ${t.share}`).join(" + ")}), ` +
        "more than the whole facility (1)",
    });
  }
}

function checkTenantTiers(tiers: readonly Tier[], tenants: readonly Tenant[], ctx: z.RefinementCtx): void {
  const tiersById = new Map(tiers.map((t) => [t.id, t]));
  tenants.forEach((tenant, i) => {
    const tier = tiersById.get(tenant.tierId);
    if (tier === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["tenants", i, "tier"],
        message: unknownReference("tier", tenant.tierId, [...tiersById.keys()]),
      });
      return;
    }
    // An invalid number was already reported at the field; here only its absence remains.
    if (tier.requires.includes("norwegian-org-number") && tenant.orgNumber === null) {
      ctx.addIssue({
        code: "custom",
        path: ["tenants", i, "orgNumber"],
        message: `is required: tier '${tier.id}' admits only tenants with a valid Norwegian organisation number`,
      });
    }
  });
}
