import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import { jobsFromDocument } from "./parse-jobs.ts";

const job = (extra: Record<string, unknown>) => ({
  tenant: "aurora-labs",
  gpus: 4,
  estimatedRuntime: "1h",
  ...extra,
});

describe("text in a jobs file", () => {
  it.each([
    ["a NUL in a name", { name: "a\u0000b" }, "jobs[0].name", "NUL"],
    ["a lone surrogate in a name", { name: "a\ud800b" }, "jobs[0].name", "surrogate"],
    ["a lone surrogate in a label value", { labels: { team: "\udfff" } }, "jobs[0].labels.team", "surrogate"],
    ["a NUL in a GPU model", { gpuModel: "GB\u0000300" }, "jobs[0].gpuModel", "GPU model"],
    [
      "a lone surrogate in a latency region",
      { maxLatency: { region: "\ud800", ms: 5 } },
      "jobs[0].maxLatency.region",
      "surrogate",
    ],
  ])("refuses %s, which no database can store, naming the field", (_, extra, field, rule) => {
    const lines = issueLines(
      catchInputError(() => jobsFromDocument({ jobs: [job(extra)] }, "jobs.json", { nowMs: 0 })),
    );
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`${field.replace(/[.[\]]/g, "\\$&")}.*${rule}`)),
    ]);
  });

  it("keeps whole surrogate pairs", () => {
    const [read] = jobsFromDocument({ jobs: [job({ name: "run 🚀" })] }, "jobs.json", { nowMs: 0 });
    expect(read!.name).toBe("run 🚀");
  });
});
