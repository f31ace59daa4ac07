import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../../test/support/api-test-harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

// The Slurm test (src/service/slurm-sites.slurm.test.ts) shows a real orphan; here every site is simulated.
describe("GET /v1/facility/orphans", () => {
  it("lists work Fjord did not submit to an operator: none where no site runs a cluster", async () => {
    const res = await api.call("operator", "GET", "/v1/facility/orphans");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [] });
  });

  it("is for operators only: other tenants' clusters are no tenant's business", async () => {
    const res = await api.call("adminA", "GET", "/v1/facility/orphans");
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/needs a key with role operator/);
  });
});
