import { describe, expect, it } from "vitest";
import { tenant } from "../../test/support/build.ts";
import type { Tenant } from "../model/types.ts";
import {
  ADJUSTED_BEFORE_TRACE,
  ADJUSTED_FRACTION,
  ADJUSTED_NEVER_SCHEDULED,
  ADJUSTED_OPEN_END,
  type Alibaba2025Options,
  parseAlibaba2025,
  SKIP_CPU_NODE,
  SKIP_NEGATIVE_RUNTIME,
  SKIP_NO_GPUS,
  SKIP_SCHEDULED_BEFORE_CREATED,
  SKIP_ZERO_RUNTIME,
} from "./alibaba-2025-jobs.ts";
import { ALIBABA_2025_COLUMNS } from "./alibaba-2025-rows.ts";
import { loadAlibaba2025 } from "./load-alibaba-2025.ts";

const FIXTURE = "workloads/alibaba-gpu-2025/made-up-instances.csv";
const START = Date.parse("2026-01-01T00:00:00Z");
const tenants: Tenant[] = [
  tenant("nat-a", "national"),
  tenant("nat-b", "national"),
  tenant("nat-c", "national"),
  tenant("glob-a", "global"),
];
const options: Omit<Alibaba2025Options, "source"> = { startAtMs: START, seed: 3, tenants };

type Column = (typeof ALIBABA_2025_COLUMNS)[number];
/** A valid HN instance with one GPU, created at 100 s and deleted at 1,000 s; cells may be replaced. */
const BASE: ReadonlyMap<Column, string> = new Map<Column, string>([
  ["instance_sn", "instance_1"],
  ["role", "HN"],
  ["app_name", "app_1"],
  ["cpu_request", "8"],
  ["cpu_limit", "8"],
  ["gpu_request", "1"],
  ["gpu_limit", "1"],
  ["rdma_request", "25"],
  ["rdma_limit", "25"],
  ["memory_request", "40.0"],
  ["memory_limit", "40.0"],
  ["disk_request", "85.0"],
  ["disk_limit", "100.0"],
  ["max_instance_per_node", "4"],
  ["creation_time", "100.0"],
  ["scheduled_time", "130.0"],
  ["deletion_time", "1000.0"],
]);
const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const row = (cells: Partial<Record<Column, string>> = {}) =>
  ALIBABA_2025_COLUMNS.map((c) => csvCell(Object.hasOwn(cells, c) ? cells[c]! : BASE.get(c)!)).join(",");
const csv = (...rows: string[]) => [ALIBABA_2025_COLUMNS.join(","), ...rows].join("\n");
const parse = (text: string, more: Partial<Alibaba2025Options> = {}) =>
  parseAlibaba2025(text, { source: "t.csv", ...options, ...more });

describe("parseAlibaba2025 on the made-up fixture", () => {
  const result = loadAlibaba2025(FIXTURE, options);
  const byId = new Map(result.jobs.map((s) => [s.job.id, s]));

  it("turns every GPU instance into a job and counts the CPU-node instances", () => {
    expect(result.jobs.map((s) => s.job.id)).toEqual([
      "instance_0",
      "instance_1",
      "instance_2",
      "instance_5",
      "instance_7",
      "instance_8",
      "instance_10",
      "instance_11",
      "instance_12",
      "instance_13",
    ]);
    expect(result.skipped).toEqual([{ reason: SKIP_CPU_NODE, count: 5 }]);
    expect(result.traceEndS).toBe(259_200);
  });

  it("runs services still up at the trace's end until its last timestamp, and counts what it assumed", () => {
    expect(byId.get("instance_0")!.runtimeS).toBe(259_200);
    expect(byId.get("instance_0")!.job.labels.openEnded).toBe("true");
    expect(byId.get("instance_8")!.runtimeS).toBe(259_200 - 3655);
    expect(byId.get("instance_7")!.runtimeS).toBe(86_400);
    expect(byId.get("instance_7")!.job.labels.openEnded).toBeUndefined();
    expect(result.adjusted).toEqual([
      { reason: ADJUSTED_BEFORE_TRACE, count: 4 },
      { reason: ADJUSTED_OPEN_END, count: 6 },
      { reason: ADJUSTED_NEVER_SCHEDULED, count: 1 },
    ]);
  });

  it("submits at trace second 0 what existed before the trace, and runs it from its scheduled_time", () => {
    const recall = byId.get("instance_5")!;
    expect(recall.job.submittedAtMs).toBe(START);
    expect(recall.runtimeS).toBe(259_200 - 5400);
    expect(byId.get("instance_10")!.job.submittedAtMs).toBe(START + 43_200_000);
  });

  it("runs a never-scheduled instance from its creation_time", () => {
    expect(byId.get("instance_13")!.runtimeS).toBe(259_200 - 200_000);
  });

  it("asks for gpu_request GPUs on one node, any model, at latency-sensitive priority", () => {
    const feed = byId.get("instance_10")!.job;
    expect(feed.shape).toEqual({ kind: "gang", nodes: 1, gpusPerNode: 4 });
    expect(feed.gpuModels).toBeNull();
    expect(feed.priority).toBe(2);
    expect(feed.labels).toEqual({
      trace: "alibaba-gpu-2025",
      role: "HN",
      app: "app_feed",
      gpuRequest: "4",
      rdmaPercent: "75",
    });
    expect(byId.get("instance_7")!.job.labels.maxInstancePerNode).toBe("4");
  });

  it("estimates the runtime rounded up to a minute and limits at twice the estimate", () => {
    const feed = byId.get("instance_10")!;
    expect(feed.runtimeS).toBe(86_340);
    expect(feed.job.estimatedRuntimeS).toBe(86_340);
    expect(feed.job.limitS).toBe(172_680);
    expect(byId.get("instance_8")!.job.estimatedRuntimeS).toBe(255_600);
  });

  it("gives every instance of a service the same national tenant", () => {
    const tenantsOf = (app: string) =>
      new Set(result.jobs.filter((s) => s.job.labels.app === app).map((s) => s.job.tenantId));
    for (const app of ["app_ranker", "app_recall", "app_ctr", "app_feed"]) {
      expect(tenantsOf(app).size, app).toBe(1);
      expect(["nat-a", "nat-b", "nat-c"]).toContain([...tenantsOf(app)][0]);
    }
  });

  it("sorts jobs by submission", () => {
    const at = result.jobs.map((s) => s.job.submittedAtMs);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });
});

describe("the replay horizon of open-ended services", () => {
  const text = csv(
    row({ instance_sn: "instance_open", deletion_time: "" }),
    row({
      instance_sn: "instance_late",
      creation_time: "5000",
      scheduled_time: "5000",
      deletion_time: "9000",
    }),
  );

  it("is the trace's last timestamp, or a later openEndAtMs", () => {
    expect(parse(text).jobs[0]!.runtimeS).toBe(9000 - 130);
    expect(parse(text, { openEndAtMs: START + 20_000_000 }).jobs[0]!.runtimeS).toBe(20_000 - 130);
  });

  it("is never shortened by an earlier openEndAtMs", () => {
    expect(parse(text, { openEndAtMs: START + 1_000_000 }).jobs[0]!.runtimeS).toBe(9000 - 130);
  });

  it("goes to the given tiers' tenants", () => {
    expect(parse(text, { tiers: "global" }).jobs.map((s) => s.job.tenantId)).toEqual(["glob-a", "glob-a"]);
  });
});

describe("GPU fractions", () => {
  it("round up to whole GPUs, keep the exact request in a label and are counted", () => {
    const result = parse(
      csv(
        row({ instance_sn: "instance_half", gpu_request: "0.5", gpu_limit: "0.5" }),
        row({ instance_sn: "instance_more", gpu_request: "1.25", gpu_limit: "1.25" }),
      ),
    );
    expect(result.jobs.map((s) => [s.job.shape, s.job.labels.gpuRequest])).toEqual([
      [{ kind: "gang", nodes: 1, gpusPerNode: 1 }, "0.5"],
      [{ kind: "gang", nodes: 1, gpusPerNode: 2 }, "1.25"],
    ]);
    expect(result.adjusted).toEqual([{ reason: ADJUSTED_FRACTION, count: 2 }]);
  });
});

describe("rows a replay cannot use", () => {
  it.each<[string, Partial<Record<Column, string>>, string]>([
    ["a GPU-node instance with no GPUs", { gpu_request: "0", gpu_limit: "0" }, SKIP_NO_GPUS],
    [
      "scheduled before it was created",
      { creation_time: "200", scheduled_time: "150" },
      SKIP_SCHEDULED_BEFORE_CREATED,
    ],
    ["deleted before it was scheduled", { deletion_time: "120" }, SKIP_NEGATIVE_RUNTIME],
    [
      "deleted before it was created, never scheduled",
      { scheduled_time: "", deletion_time: "50" },
      SKIP_NEGATIVE_RUNTIME,
    ],
    ["deleted the second it was scheduled", { deletion_time: "130" }, SKIP_ZERO_RUNTIME],
  ])("skips %s, counted with its line", (_, cells, reason) => {
    const result = parse(csv(row({ instance_sn: "instance_ok" }), row(cells)));
    expect(result.jobs.map((s) => s.job.id)).toEqual(["instance_ok"]);
    expect(result.skipped).toEqual([{ reason: `${reason}; first on line 3`, count: 1 }]);
  });

  it("counts CPU-node instances without a line: they are the trace's, not a problem in it", () => {
    const result = parse(csv(row({ role: "CN", gpu_request: "0", gpu_limit: "0" })));
    expect(result.skipped).toEqual([{ reason: SKIP_CPU_NODE, count: 1 }]);
  });

  it("accounts for every row: jobs plus skipped rows make the file", () => {
    const result = parse(
      csv(
        row({ instance_sn: "instance_a" }),
        row({ instance_sn: "instance_a" }),
        row({ instance_sn: "instance_b", cpu_request: "x" }),
        row({ instance_sn: "instance_c", role: "CN", gpu_request: "0", gpu_limit: "0" }),
        row({ instance_sn: "instance_d", deletion_time: "100" }),
        row({ instance_sn: "instance_e", creation_time: "", scheduled_time: "", deletion_time: "" }),
      ),
    );
    const skipped = result.skipped.reduce((n, s) => n + s.count, 0);
    expect(result.jobs.length).toBe(2);
    expect(result.jobs.length + skipped).toBe(6);
  });
});

describe("hostile service names", () => {
  it("map __proto__ and constructor to real tenants and keep them as plain label values", () => {
    const result = parse(
      csv(
        row({ instance_sn: "instance_a", app_name: "__proto__" }),
        row({ instance_sn: "instance_b", app_name: "constructor" }),
        row({ instance_sn: "instance_c", app_name: "toString" }),
      ),
    );
    for (const { job } of result.jobs) {
      expect(["nat-a", "nat-b", "nat-c"]).toContain(job.tenantId);
      expect(Object.keys(job.labels)).toEqual([
        "trace",
        "role",
        "app",
        "gpuRequest",
        "rdmaPercent",
        "maxInstancePerNode",
      ]);
    }
    expect(result.jobs.map((s) => s.job.labels.app)).toEqual(["__proto__", "constructor", "toString"]);
  });
});
