import { describe, expect, it } from "vitest";
import { catchInputError, issueLines } from "../../test/support/catch-input-error.ts";
import {
  ALIBABA_2025_COLUMNS,
  readAlibaba2025Rows,
  SKIP_BAD_ID,
  SKIP_DUPLICATE_ID,
  SKIP_GPU_LIMIT,
  SKIP_MAX_PER_NODE,
  SKIP_RDMA_RANGE,
  SKIP_UNKNOWN_ROLE,
  SKIP_UNSTORABLE_APP,
  skipEmpty,
  skipNegative,
  skipNotNumber,
} from "./alibaba-2025-rows.ts";

type Column = (typeof ALIBABA_2025_COLUMNS)[number];
const HEADER = ALIBABA_2025_COLUMNS.join(",");
const GOOD = "instance_1,HN,app_1,8,8,1,1,25,25,40.0,40.0,85.0,100.0,4,100.0,130.0,1000.0";
/** The good row with one cell replaced (quoted, so commas, quotes and newlines survive). */
function withCell(column: Column, text: string): string {
  const cells = GOOD.split(",");
  cells[ALIBABA_2025_COLUMNS.indexOf(column)] = `"${text.replaceAll('"', '""')}"`;
  return cells.join(",");
}
const read = (...rows: string[]) => readAlibaba2025Rows([HEADER, ...rows].join("\n"), "t.csv");
const rejectedOf = (...rows: string[]) => read(...rows).rejected.map((r) => `${r.line}: ${r.reason}`);

describe("readAlibaba2025Rows", () => {
  it("reads a row as the trace means it", () => {
    expect(read(GOOD).instances).toEqual([
      {
        line: 2,
        id: "instance_1",
        role: "HN",
        app: "app_1",
        gpus: 1,
        rdmaPercent: 25,
        maxPerNode: 4,
        creationS: 100,
        scheduledS: 130,
        deletionS: 1000,
      },
    ]);
  });

  it("reads empty and NaN times as absent, -1 per node as no limit, and times to the millisecond", () => {
    const cells = GOOD.split(",");
    cells[13] = "-1";
    cells[14] = "";
    cells[15] = "NaN";
    cells[16] = "1938696.0000000002";
    const [instance] = read(cells.join(",")).instances;
    expect(instance).toMatchObject({
      maxPerNode: null,
      creationS: null,
      scheduledS: null,
      deletionS: 1938696,
    });
  });

  it("takes the columns in any order", () => {
    const reversed = [...ALIBABA_2025_COLUMNS].reverse();
    const text = `${reversed.join(",")}\n${GOOD.split(",").reverse().join(",")}`;
    expect(readAlibaba2025Rows(text, "t.csv").instances[0]!.id).toBe("instance_1");
  });

  it.each<[string, string, string]>([
    ["an empty id", withCell("instance_sn", ""), skipEmpty("instance_sn")],
    ["an id with capitals", withCell("instance_sn", "Instance_1"), SKIP_BAD_ID],
    ["an empty role", withCell("role", ""), skipEmpty("role")],
    ["a role of neither kind", withCell("role", "GN"), SKIP_UNKNOWN_ROLE],
    ["an empty app", withCell("app_name", " "), skipEmpty("app_name")],
    ["a missing cpu_request", withCell("cpu_request", ""), skipEmpty("cpu_request")],
    ["a malformed cpu_request", withCell("cpu_request", "8 cores"), skipNotNumber("cpu_request")],
    ["a malformed memory_limit", withCell("memory_limit", "1e3"), skipNotNumber("memory_limit")],
    ["a negative disk_request", withCell("disk_request", "-5"), skipNegative("disk_request")],
    ["a malformed gpu_request", withCell("gpu_request", "one"), skipNotNumber("gpu_request")],
    ["a negative gpu_request", withCell("gpu_request", "-1"), skipNegative("gpu_request")],
    ["a gpu_limit above the request", withCell("gpu_limit", "2"), SKIP_GPU_LIMIT],
    ["an RDMA share above 100 %", withCell("rdma_request", "101"), SKIP_RDMA_RANGE],
    [
      "an empty max_instance_per_node",
      withCell("max_instance_per_node", ""),
      skipEmpty("max_instance_per_node"),
    ],
    [
      "a malformed max_instance_per_node",
      withCell("max_instance_per_node", "many"),
      skipNotNumber("max_instance_per_node"),
    ],
    ["a zero max_instance_per_node", withCell("max_instance_per_node", "0"), SKIP_MAX_PER_NODE],
    ["a fractional max_instance_per_node", withCell("max_instance_per_node", "2.5"), SKIP_MAX_PER_NODE],
    ["a malformed creation_time", withCell("creation_time", "yesterday"), skipNotNumber("creation_time")],
    ["a negative scheduled_time", withCell("scheduled_time", "-3"), skipNegative("scheduled_time")],
    ["an infinite deletion_time", withCell("deletion_time", "Infinity"), skipNotNumber("deletion_time")],
  ])("rejects %s with a named reason and its line", (_, bad, reason) => {
    expect(rejectedOf(GOOD.replace("instance_1", "instance_0"), bad)).toEqual([`3: ${reason}`]);
  });

  it("rejects a repeated id and keeps the first", () => {
    const rows = read(GOOD, withCell("app_name", "app_2"));
    expect(rows.instances.map((i) => i.app)).toEqual(["app_1"]);
    expect(rows.rejected).toEqual([{ reason: SKIP_DUPLICATE_ID, line: 3 }]);
  });
});

describe("hostile text", () => {
  it.each([["__proto__"], ["instance\u0000_1"], ["instance_\uD800"], ["instance_\uDC00x"]])(
    "rejects %j as an instance_sn: not a job id",
    (id) => {
      expect(rejectedOf(withCell("instance_sn", id))).toEqual([`2: ${SKIP_BAD_ID}`]);
    },
  );

  it("rejects an app_name with NUL; a lone surrogate arrives as U+FFFD, which Fjord can store", () => {
    expect(rejectedOf(withCell("app_name", "app\u0000x"))).toEqual([`2: ${SKIP_UNSTORABLE_APP}`]);
    expect(read(withCell("app_name", "app_\uD83D")).instances[0]!.app).toBe("app_\uFFFD");
  });

  it("takes constructor as a plain id, like any other", () => {
    expect(read(withCell("instance_sn", "constructor")).instances[0]!.id).toBe("constructor");
  });

  it("treats __proto__ and toString as plain values of role and app_name", () => {
    expect(rejectedOf(withCell("role", "__proto__"))).toEqual([`2: ${SKIP_UNKNOWN_ROLE}`]);
    expect(rejectedOf(withCell("role", "toString"))).toEqual([`2: ${SKIP_UNKNOWN_ROLE}`]);
    const rows = read(
      withCell("app_name", "__proto__"),
      withCell("app_name", "constructor").replace("instance_1", "instance_2"),
    );
    expect(rows.instances.map((i) => i.app)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts an id that merely contains __proto__ and tells repeats apart by their own text", () => {
    const rows = read(
      withCell("instance_sn", "instance___proto__"),
      withCell("instance_sn", "instance_constructor"),
      withCell("instance_sn", "instance___proto__"),
    );
    expect(rows.instances.map((i) => i.id)).toEqual(["instance___proto__", "instance_constructor"]);
    expect(rows.rejected).toEqual([{ reason: SKIP_DUPLICATE_ID, line: 4 }]);
  });
});

describe("a file that is not the 2025 trace", () => {
  it("names each missing column at the header line", () => {
    const header = ALIBABA_2025_COLUMNS.filter((c) => c !== "deletion_time" && c !== "gpu_limit").join(",");
    const lines = issueLines(catchInputError(() => readAlibaba2025Rows(`${header}\n`, "t.csv")));
    expect(lines).toEqual([
      expect.stringMatching(/^gpu_limit: column is missing/),
      expect.stringMatching(/^deletion_time: column is missing/),
    ]);
    expect(catchInputError(() => readAlibaba2025Rows(`${header}\n`, "t.csv")).issues[0]!.line).toBe(1);
  });

  it("refuses the 2023 task list, naming what it lacks", () => {
    const openb =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
    const lines = issueLines(catchInputError(() => readAlibaba2025Rows(openb, "t.csv")));
    expect(lines).toContain(
      "name: is not a known column (column 1; known: " + `${ALIBABA_2025_COLUMNS.join(", ")})`,
    );
    expect(lines.some((l) => l.startsWith("instance_sn: column is missing"))).toBe(true);
  });

  it("refuses an unknown or repeated column", () => {
    const extra = `${HEADER},gpu_model\n`;
    expect(issueLines(catchInputError(() => readAlibaba2025Rows(extra, "t.csv")))[0]).toMatch(
      /^gpu_model: is not a known column \(column 18/,
    );
    const twice = `${HEADER},role\n`;
    expect(issueLines(catchInputError(() => readAlibaba2025Rows(twice, "t.csv")))[0]).toMatch(
      /^role: appears twice in the header \(columns 2 and 18\)/,
    );
  });

  it("refuses an empty file and a row with the wrong number of fields, as broken CSV", () => {
    expect(issueLines(catchInputError(() => readAlibaba2025Rows("", "t.csv")))[0]).toMatch(/is empty/);
    const short = catchInputError(() => read(GOOD, "instance_2,HN,app_1"));
    expect(short.issues.map((i) => [i.line, i.message])).toEqual([[3, "has 3 fields, the header has 17"]]);
  });
});
