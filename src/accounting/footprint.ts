// What a job, a tenant or the idle facility is accountable for: its IT energy and, pro rata to it within
// each hour and site, the facility's overhead, water, reused heat, renewable supply, emissions and cost.

export interface Footprint {
  gpuHours: number;
  itKWh: number;
  /** itKWh plus its share of cooling, electrical losses and auxiliary load. */
  facilityKWh: number;
  waterL: number;
  heatReusedKWh: number;
  renewableKWh: number;
  co2eLocationKg: number;
  co2eMarketKg: number;
  energyCostEur: number;
}

export const FOOTPRINT_FIELDS = [
  "gpuHours",
  "itKWh",
  "facilityKWh",
  "waterL",
  "heatReusedKWh",
  "renewableKWh",
  "co2eLocationKg",
  "co2eMarketKg",
  "energyCostEur",
] as const satisfies readonly (keyof Footprint)[];

export function emptyFootprint(): Footprint {
  return {
    gpuHours: 0,
    itKWh: 0,
    facilityKWh: 0,
    waterL: 0,
    heatReusedKWh: 0,
    renewableKWh: 0,
    co2eLocationKg: 0,
    co2eMarketKg: 0,
    energyCostEur: 0,
  };
}

/** Adds `b` into `a`. */
export function addFootprint(a: Footprint, b: Footprint): void {
  for (const k of FOOTPRINT_FIELDS) a[k] += b[k];
}

export function sumFootprints(all: Iterable<Footprint>): Footprint {
  const total = emptyFootprint();
  for (const f of all) addFootprint(total, f);
  return total;
}
