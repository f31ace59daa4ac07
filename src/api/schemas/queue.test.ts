import { describe, expect, it } from "vitest";
import { reasonToWire, waitingReasonSchema } from "./queue.ts";

describe("the queue's waiting reasons on the wire", () => {
  it("gives a deferral its hour, signal, saving and deadline as the schema describes them", () => {
    const wire = reasonToWire({
      kind: "deferred",
      untilAtMs: Date.parse("2026-12-02T02:00:00Z"),
      signal: "carbon",
      saving: 0.62,
      deadlineAtMs: null,
    });
    expect(wire).toEqual({
      kind: "deferred",
      until: "2026-12-02T02:00:00.000Z",
      signal: "carbon",
      saving: 0.62,
      deadline: null,
    });
    expect(waitingReasonSchema.parse(wire)).toEqual(wire);
  });
});
