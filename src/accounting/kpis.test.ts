import { describe, expect, it } from "vitest";
import { cue, erf, pue, ref, wue } from "./kpis.ts";

describe("data-centre KPIs (ISO/IEC 30134, Delegated Regulation (EU) 2024/1364 Annex III)", () => {
  it("PUE is facility energy over IT energy: 1,500 MWh for 1,200 MWh of IT is 1.25", () => {
    expect(pue(1_500_000, 1_200_000)).toBe(1.25);
  });

  it("WUE is litres of water per kWh of IT energy: 240 m³ for 1,200 MWh is 0.2 L/kWh", () => {
    expect(wue(240_000, 1_200_000)).toBeCloseTo(0.2, 12);
  });

  it("ERF is reused heat over facility energy: 300 MWh handed over of 1,500 MWh is 0.2", () => {
    expect(erf(300_000, 1_500_000)).toBeCloseTo(0.2, 12);
  });

  it("REF is renewable energy over facility energy: 1,125 MWh of 1,500 MWh is 0.75", () => {
    expect(ref(1_125_000, 1_500_000)).toBe(0.75);
  });

  it("CUE is kg CO2e over IT kWh: 18 t for 1,200 MWh is 0.015 kg/kWh", () => {
    expect(cue(18_000, 1_200_000)).toBeCloseTo(0.015, 12);
  });

  it("is undefined (null), not infinite, when there was no energy to divide by", () => {
    expect([pue(5, 0), wue(5, 0), erf(5, 0), ref(5, 0), cue(5, 0)]).toEqual([null, null, null, null, null]);
  });
});
