// Tenants on the wire, in the policy file's terms (`tier`, `quotaGpus`, `orgNumber`): creating or changing
// one is a policy change.
import { z } from "zod";
import { countryCode, quotaGpus, strict, tenantWeight } from "../../model/input-schemas.ts";
import type { Tenant } from "../../model/types.ts";
import { orgNumberProblem } from "../../policy/org-number.ts";
import type { TenantRecord } from "../../store/records.ts";
import { EXAMPLE_AT, isoFromMs, isoTimestamp, pathId, text, withExample } from "./common.ts";

const orgNumberSchema = z
  .string()
  .max(20)
  .transform((s) => s.replace(/\s+/g, ""))
  .superRefine((s, ctx) => {
    const problem = orgNumberProblem(s);
    if (problem !== null)
      ctx.addIssue({
        code: "custom",
        message: `"${s}" is not a valid Norwegian organisation number: ${problem}`,
      });
  });

/** The example tenant of /docs, in the body's terms. */
const TENANT_EXAMPLE = {
  name: "Aurora Labs AS",
  tier: "national",
  weight: 2,
  quotaGpus: 20000,
  quotaMode: "borrowable" as const,
  orgNumber: "931844156",
  country: "NO",
};

export const tenantBodySchema = withExample(
  strict({
    name: text(200).optional().describe("Defaults to the id."),
    tier: pathId.describe("Tier id from the policy."),
    weight: tenantWeight.default(1).describe("Fair-share weight inside the tier (0.001 to 1,000,000)."),
    quotaGpus: quotaGpus
      .nullable()
      .default(null)
      .describe("Most GPUs held at once (at most 10,000,000); null = no quota."),
    quotaMode: z
      .enum(["hard", "borrowable"])
      .default("hard")
      .describe("hard: never exceeded; borrowable: exceeded on idle GPUs, taken back when others need them."),
    orgNumber: orgNumberSchema.nullish().describe("Norwegian organisation number (9 digits, MOD11)."),
    country: countryCode.nullish(),
  }),
  TENANT_EXAMPLE,
);

export function tenantFromBody(id: string, body: z.output<typeof tenantBodySchema>): Tenant {
  return {
    id,
    name: body.name ?? id,
    tierId: body.tier,
    weight: body.weight,
    quotaGpus: body.quotaGpus,
    ...(body.quotaMode === "borrowable" ? { quotaMode: body.quotaMode } : {}),
    orgNumber: body.orgNumber ?? null,
    country: body.country ?? null,
  };
}

export const tenantWireSchema = withExample(
  z.object({
    id: z.string(),
    name: z.string(),
    tier: z.string(),
    weight: z.number(),
    quotaGpus: z.number().int().nullable(),
    quotaMode: z.enum(["hard", "borrowable"]),
    orgNumber: z.string().nullable(),
    country: z.string().nullable(),
    createdAt: isoTimestamp,
  }),
  { id: "aurora-labs", ...TENANT_EXAMPLE, createdAt: EXAMPLE_AT.submitted },
);

export function tenantToWire(t: TenantRecord): z.output<typeof tenantWireSchema> {
  return {
    id: t.id,
    name: t.name,
    tier: t.tierId,
    weight: t.weight,
    quotaGpus: t.quotaGpus,
    quotaMode: t.quotaMode ?? "hard",
    orgNumber: t.orgNumber,
    country: t.country,
    createdAt: isoFromMs(t.createdAtMs),
  };
}
