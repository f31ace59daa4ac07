import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { loadPolicyFile } from "./load-policy-file.ts";
import { parsePolicyYaml, policyFromDocument } from "./parse-policy.ts";

/** A valid two-tier policy each test breaks in one way. */
function baseDoc() {
  return {
    tiers: [
      {
        id: "national",
        guaranteed: { share: 0.4 } as Record<string, unknown>,
        borrowingLimit: { share: 0.6 } as unknown,
        reclaimByPreemption: true,
        requires: ["norwegian-org-number"],
      },
      { id: "global", guaranteed: { gpus: 1000 } as Record<string, unknown> },
    ] as Record<string, unknown>[],
    tenants: [
      { id: "aurora-labs", name: "Aurora Labs AS", tier: "national", orgNumber: "923609016" },
      { id: "meridian", tier: "global", weight: 2, quotaGpus: 512, country: "US" },
    ] as Record<string, unknown>[],
    fairShare: { halfLife: "7d" } as Record<string, unknown>,
  };
}

function problems(doc: unknown): string[] {
  return issueLines(catchInputError(() => policyFromDocument(doc, "p.yaml")));
}

describe("policyFromDocument", () => {
  it("builds the model's Policy, filling in the documented defaults", () => {
    expect(policyFromDocument(baseDoc())).toEqual({
      tiers: [
        {
          id: "national",
          guaranteed: { share: 0.4 },
          borrowingLimit: { share: 0.6 },
          reclaimByPreemption: true,
          requires: ["norwegian-org-number"],
        },
        {
          id: "global",
          guaranteed: { gpus: 1000 },
          borrowingLimit: null,
          reclaimByPreemption: false,
          requires: [],
        },
      ],
      tenants: [
        {
          id: "aurora-labs",
          name: "Aurora Labs AS",
          tierId: "national",
          weight: 1,
          quotaGpus: null,
          orgNumber: "923609016",
          country: null,
        },
        {
          id: "meridian",
          name: "meridian",
          tierId: "global",
          weight: 2,
          quotaGpus: 512,
          orgNumber: null,
          country: "US",
        },
      ],
      fairShare: { halfLifeS: 604_800 },
      backfill: { reservationDepth: 16 },
    });
  });

  it("defaults the fair-share half-life to 7 days and accepts it as seconds", () => {
    const doc = baseDoc() as Record<string, unknown>;
    delete doc.fairShare;
    expect(policyFromDocument(doc).fairShare.halfLifeS).toBe(604_800);
    doc.fairShare = { halfLife: 3600 };
    expect(policyFromDocument(doc).fairShare.halfLifeS).toBe(3_600);
  });

  it("reads preemption's minimum runtime; absent, the scheduler's default applies", () => {
    expect(policyFromDocument(baseDoc()).preemption).toBeUndefined();
    const doc = { ...baseDoc(), preemption: { minRuntime: "15m" } };
    expect(policyFromDocument(doc).preemption).toEqual({ minRuntimeS: 900 });
    expect(problems({ ...baseDoc(), preemption: { minRuntime: 0 } })).toEqual([
      "preemption.minRuntime: must be longer than 0",
    ]);
  });

  it("leaves deferral off unless the policy has a deferral section", () => {
    expect(policyFromDocument(baseDoc()).deferral).toBeUndefined();
  });

  it("reads deferral: the signal, the smallest saving worth waiting for and the longest wait", () => {
    const doc = { ...baseDoc(), deferral: { signal: "price", minSaving: 0.15, maxDelay: "6h" } };
    expect(policyFromDocument(doc).deferral).toEqual({ signal: "price", minSaving: 0.15, maxDelayS: 21_600 });
    const defaulted = { ...baseDoc(), deferral: { signal: "carbon", minSaving: 0.1 } };
    expect(policyFromDocument(defaulted).deferral).toEqual({
      signal: "carbon",
      minSaving: 0.1,
      maxDelayS: 43_200,
    });
  });

  it("rejects a deferral section with an unknown signal or a saving outside (0, 1), naming the field", () => {
    const doc = { ...baseDoc(), deferral: { signal: "wind", minSaving: 10 } };
    expect(problems(doc)).toEqual([
      'deferral.signal: must be one of carbon, price, not "wind"',
      "deferral.minSaving: must be more than 0 and less than 1, like 0.1 for 10 % lower",
    ]);
  });

  it("ships policies/deferral.yaml as the default policy plus carbon-aware deferral", () => {
    const { deferral, ...rest } = loadPolicyFile("policies/deferral.yaml");
    expect(rest).toEqual(loadPolicyFile("policies/default.yaml"));
    expect(deferral).toEqual({ signal: "carbon", minSaving: 0.1, maxDelayS: 43_200 });
  });

  it("rejects a half-life that is not a duration", () => {
    const doc = baseDoc();
    doc.fairShare.halfLife = "a week";
    expect(problems(doc)).toEqual([
      'fairShare.halfLife: "a week" is not a duration; use a number with a unit s, m, h, d or w (like 90s, 36h or 1h30m), or a plain number of seconds',
    ]);
  });

  it("rejects a tenant whose organisation number fails MOD11, naming the tenant and the reason", () => {
    const doc = baseDoc();
    doc.tenants.push({ id: "fjellbit", tier: "national", orgNumber: "123456789" });
    expect(problems(doc)).toEqual([
      'tenants[2].orgNumber: "123456789" is not a valid Norwegian organisation number: check digit should be 5, not 9',
    ]);
  });

  it("checks an organisation number when given, even in a tier that does not require one", () => {
    const doc = baseDoc();
    doc.tenants[1]!.orgNumber = "923609017";
    expect(problems(doc)).toEqual([
      'tenants[1].orgNumber: "923609017" is not a valid Norwegian organisation number: check digit should be 6, not 7',
    ]);
  });

  it("requires an organisation number from tenants of a tier that requires one", () => {
    const doc = baseDoc();
    delete doc.tenants[0]!.orgNumber;
    expect(problems(doc)).toEqual([
      "tenants[0].orgNumber: is required: tier 'national' admits only tenants with a valid Norwegian organisation number",
    ]);
  });

  it("asks for an unquoted organisation number to be quoted, and accepts one written with spaces", () => {
    const doc = baseDoc();
    doc.tenants[0]!.orgNumber = 923609016;
    expect(problems(doc)).toEqual([
      'tenants[0].orgNumber: must be quoted, like "923609016": as a number it could lose leading zeros',
    ]);
    doc.tenants[0]!.orgNumber = "923 609 016";
    expect(policyFromDocument(doc).tenants[0]?.orgNumber).toBe("923609016");
  });

  it("rejects a tenant that names an unknown tier, listing the tiers", () => {
    const doc = baseDoc();
    doc.tenants[1]!.tier = "globl";
    expect(problems(doc)).toEqual(["tenants[1].tier: unknown tier 'globl' (known: national, global)"]);
  });

  it("rejects duplicate tier and tenant ids", () => {
    const doc = baseDoc();
    doc.tiers.push({ id: "global", guaranteed: { share: 0.1 } });
    doc.tenants.push({ id: "meridian", tier: "global" });
    expect(problems(doc)).toEqual([
      "tiers[2].id: duplicate tier id 'global' (first used at tiers[1].id)",
      "tenants[2].id: duplicate tenant id 'meridian' (first used at tenants[1].id)",
    ]);
  });

  it("rejects guaranteed shares that add up to more than the whole facility", () => {
    const doc = baseDoc();
    doc.tiers[1]!.guaranteed = { share: 0.7 };
    expect(problems(doc)).toEqual([
      "tiers: guaranteed shares add up to 1.1 (national 0.4 + global 0.7), more than the whole facility (1)",
    ]);
  });

  it("accepts shares that add up to exactly 1 despite floating-point rounding", () => {
    const doc = baseDoc();
    doc.tiers[0]!.guaranteed = { share: 0.7 };
    doc.tiers[1]!.guaranteed = { share: 0.2 };
    doc.tiers.push({ id: "spare", guaranteed: { share: 0.1 } });
    expect(policyFromDocument(doc).tiers).toHaveLength(3);
  });

  it("rejects a share outside 0..1 and a quantity that gives both or neither of gpus and share", () => {
    const doc = baseDoc();
    doc.tiers[0]!.guaranteed = { share: 1.5 };
    doc.tiers[0]!.borrowingLimit = { share: 0.2, gpus: 10 };
    doc.tiers[1]!.guaranteed = {};
    expect(problems(doc)).toEqual([
      "tiers[0].guaranteed.share: must be between 0 and 1",
      "tiers[0].borrowingLimit: give exactly one of gpus or share, like { share: 0.4 } or { gpus: 40000 }",
      "tiers[1].guaranteed: give exactly one of gpus or share, like { share: 0.4 } or { gpus: 40000 }",
    ]);
  });

  it("rejects an unknown tier requirement, listing the known ones", () => {
    const doc = baseDoc();
    doc.tiers[0]!.requires = ["eu-vat-number"];
    expect(problems(doc)).toEqual([
      'tiers[0].requires[0]: must be one of norwegian-org-number, not "eu-vat-number"',
    ]);
  });

  it("rejects unknown keys at their path", () => {
    const doc = baseDoc() as Record<string, unknown>;
    doc.backfill = { reservationDepth: 8, lookahead: 3 };
    expect(problems(doc)).toEqual([
      "backfill.lookahead: is not a known key here (known keys: reservationDepth)",
    ]);
  });

  it("checks cross-references only once every field is valid, so one mistake gives one message", () => {
    const doc = baseDoc();
    doc.tenants[1]!.tier = 42;
    doc.tiers[1]!.guaranteed = { share: 0.9 };
    expect(problems(doc)).toEqual(["tenants[1].tier: must be a text value, not 42"]);
  });

  it("rejects a non-positive weight and a negative quota", () => {
    const doc = baseDoc();
    doc.tenants[1]!.weight = 0;
    doc.tenants[1]!.quotaGpus = -1;
    expect(problems(doc)).toEqual([
      "tenants[1].weight: must be from 0.001 to 1,000,000",
      "tenants[1].quotaGpus: must be a whole number, 0 or more",
    ]);
  });

  it("reads a borrowable quota and names the two modes when the mode is neither", () => {
    const doc = baseDoc();
    doc.tenants[1]!.quotaMode = "borrowable";
    expect(policyFromDocument(doc).tenants[1]!.quotaMode).toBe("borrowable");
    doc.tenants[1]!.quotaMode = "soft";
    expect(problems(doc)).toEqual([expect.stringMatching(/^tenants\[1\]\.quotaMode: .*hard.*borrowable/)]);
  });

  it("rejects a weight too small to share by and a quota the store cannot count", () => {
    const doc = baseDoc();
    doc.tenants[1]!.weight = 1e-320;
    doc.tenants[1]!.quotaGpus = 2 ** 31;
    expect(problems(doc)).toEqual([
      "tenants[1].weight: must be from 0.001 to 1,000,000",
      "tenants[1].quotaGpus: must be at most 10,000,000",
    ]);
  });
});

describe("policies/default.yaml", () => {
  const policy = loadPolicyFile("policies/default.yaml");

  it("orders the tiers national, nordic-european, global", () => {
    expect(policy.tiers.map((t) => t.id)).toEqual(["national", "nordic-european", "global"]);
  });

  it("has aurora-labs, the on-prem site's owner, among several tenants in every tier", () => {
    expect(policy.tenants.length).toBeGreaterThanOrEqual(8);
    expect(policy.tenants.find((t) => t.id === "aurora-labs")?.tierId).toBe("national");
    for (const tier of policy.tiers) expect(policy.tenants.some((t) => t.tierId === tier.id)).toBe(true);
  });

  it("gives every national tenant an organisation number (validated by the parser)", () => {
    const national = policy.tenants.filter((t) => t.tierId === "national");
    expect(national.every((t) => t.orgNumber !== null)).toBe(true);
  });
});

describe("parsePolicyYaml", () => {
  it("points a policy error at its YAML line", () => {
    const text = "tiers:\n  - id: national\n    guaranteed: { share: 2 }\n";
    const err = catchInputError(() => parsePolicyYaml(text, "p.yaml"));
    expect(err.message).toBe("p.yaml: tiers[0].guaranteed.share: must be between 0 and 1 (line 3)");
  });
});
