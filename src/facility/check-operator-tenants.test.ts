import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { policyFromDocument } from "../policy/parse-policy.ts";
import { checkOperatorTenants } from "./check-operator-tenants.ts";
import { loadFacilityFile } from "./load-facility-file.ts";

const facility = loadFacilityFile("facilities/stargate-norway.yaml");

function policyWithTenants(...ids: string[]) {
  return policyFromDocument({
    tiers: [{ id: "global", guaranteed: { share: 0.5 } }],
    tenants: ids.map((id) => ({ id, tier: "global" })),
  });
}

describe("checkOperatorTenants", () => {
  it("rejects a tenant-run site whose tenant the policy does not define", () => {
    const err = catchInputError(() => checkOperatorTenants(facility, policyWithTenants("sisu-ai"), "f.yaml"));
    expect(issueLines(err)).toEqual([
      "sites[2].operator.tenant: unknown tenant 'aurora-labs' (known: sisu-ai)",
    ]);
  });

  it("accepts facility-run sites and tenant-run sites of known tenants", () => {
    expect(() => checkOperatorTenants(facility, policyWithTenants("aurora-labs"), "f.yaml")).not.toThrow();
  });
});
