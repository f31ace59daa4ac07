import { describe, expect, it } from "vitest";
import { DEFAULT_GPU_UTILISATION } from "./energy-defaults.ts";
import { jobUtilisation } from "./utilisation.ts";

const model = { default: 0.7, byKind: { research: 0.8, inference: 0.6 } };

describe("jobUtilisation", () => {
  it("uses the job's own gpuUtilisation label before anything else", () => {
    expect(jobUtilisation({ gpuUtilisation: "0.95", class: "research" }, model)).toEqual({
      ok: true,
      utilisation: 0.95,
      rule: "label gpuUtilisation",
    });
  });

  it("falls back to the job's kind, then to the default", () => {
    expect(jobUtilisation({ class: "inference" }, model)).toMatchObject({
      utilisation: 0.6,
      rule: "kind inference",
    });
    expect(jobUtilisation({ class: "unheard-of" }, model)).toMatchObject({
      utilisation: 0.7,
      rule: "default",
    });
    expect(jobUtilisation({}, model)).toMatchObject({ utilisation: 0.7, rule: "default" });
  });

  it("scales a GPU-sharing trace task by the fraction of one GPU it asked for", () => {
    expect(jobUtilisation({ gpuMilli: "250", class: "research" }, model)).toMatchObject({
      utilisation: 0.2,
      rule: "kind research × gpuMilli/1000",
    });
  });

  it("refuses a utilisation label that is not a share from 0 to 1, naming the label", () => {
    for (const text of ["1.5", "-0.1", "high", ""])
      expect(jobUtilisation({ gpuUtilisation: text }, model)).toMatchObject({
        ok: false,
        label: "gpuUtilisation",
      });
    expect(jobUtilisation({ gpuMilli: "0" }, model)).toMatchObject({ ok: false, label: "gpuMilli" });
  });

  it("reads a kind that names a built-in object property as any other unknown kind", () => {
    for (const kind of [...Object.getOwnPropertyNames(Object.prototype), "__proto__", "prototype"]) {
      expect(jobUtilisation({ class: kind }, model)).toEqual({ ok: true, utilisation: 0.7, rule: "default" });
      expect(jobUtilisation({ class: kind, gpuMilli: "500" }, model)).toMatchObject({ utilisation: 0.35 });
    }
  });

  it("finds a kind the facility names even when it is also a built-in property's name", () => {
    const withConstructor = { default: 0.7, byKind: Object.fromEntries([["constructor", 0.4]]) };
    expect(jobUtilisation({ class: "constructor" }, withConstructor)).toMatchObject({
      utilisation: 0.4,
      rule: "kind constructor",
    });
  });

  it("reads only the job's own labels, never ones inherited from its prototype", () => {
    const inherited = Object.create({ gpuUtilisation: "0.1", class: "research" }) as Record<string, string>;
    expect(jobUtilisation(inherited, model)).toEqual({ ok: true, utilisation: 0.7, rule: "default" });
  });

  it("has a default for every class of the synthetic workload", () => {
    expect(Object.keys(DEFAULT_GPU_UTILISATION.byKind).sort()).toEqual([
      "frontier",
      "inference",
      "research",
      "startup",
    ]);
  });
});
