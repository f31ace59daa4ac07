import { describe, expect, it } from "vitest";
import { formatCount, formatInt, formatOneDecimal, formatUtcMinute } from "./format.ts";

describe("format", () => {
  it("groups thousands en-US style, whatever the host locale", () => {
    expect(formatInt(110088)).toBe("110,088");
    expect(formatInt(72)).toBe("72");
    expect(formatOneDecimal(1234.56)).toBe("1,234.6");
    expect(formatOneDecimal(0)).toBe("0.0");
  });

  it("pluralises counts other than one", () => {
    expect(formatCount(1, "GPU")).toBe("1 GPU");
    expect(formatCount(0, "GPU")).toBe("0 GPUs");
    expect(formatCount(2304, "GPU")).toBe("2,304 GPUs");
  });

  it("shows times in UTC to the minute", () => {
    expect(formatUtcMinute(Date.parse("2026-12-02T11:00:59+01:00"))).toBe("2026-12-02T10:00Z");
  });
});
