// The data-centre KPIs of ISO/IEC 30134 and of Delegated Regulation (EU) 2024/1364, Annex III. Each is
// null when its denominator is zero (a period with no IT energy has no PUE).

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** ISO/IEC 30134-2; Annex III: PUE = EDC / EIT. */
export function pue(facilityKWh: number, itKWh: number): number | null {
  return ratio(facilityKWh, itKWh);
}

/** ISO/IEC 30134-9; Annex III: WUE = WIN / EIT, in L/kWh (= m³/MWh). */
export function wue(waterL: number, itKWh: number): number | null {
  return ratio(waterL, itKWh);
}

/** ISO/IEC 30134-6; Annex III: ERF = EREUSE / EDC. */
export function erf(reusedKWh: number, facilityKWh: number): number | null {
  return ratio(reusedKWh, facilityKWh);
}

/** ISO/IEC 30134-3; Annex III: REF = ERES-TOT / EDC. */
export function ref(renewableKWh: number, facilityKWh: number): number | null {
  return ratio(renewableKWh, facilityKWh);
}

/** ISO/IEC 30134-8: CUE = kg CO2e of the facility's energy / EIT, in kg CO2e/kWh. Not in the EU set. */
export function cue(co2eKg: number, itKWh: number): number | null {
  return ratio(co2eKg, itKWh);
}
