// One hour of one site: from the IT energy and the hour's signals to cooling, electrical losses, facility
// energy, water, heat handed over, renewable supply and emissions. Pure arithmetic on the site's model, so
// every figure can be recomputed by hand (docs/energy.md gives each formula and its source).
import type { CoolingPath, SiteEnergy } from "../model/types.ts";

export interface HourInput {
  /** IT energy of the hour (at the UPS outputs). */
  itKWh: number;
  outdoorTemperatureC: number;
  carbonGPerKWh: number;
  priceEurPerMWh: number;
  /** 0 = January, UTC. */
  month: number;
  /** 0–23, UTC. */
  hourOfDay: number;
}

export interface HourFlows {
  itKWh: number;
  liquidCoolingKWh: number;
  airCoolingKWh: number;
  upsLossKWh: number;
  transformerLossKWh: number;
  auxiliaryKWh: number;
  /** EDC: everything the site draws. */
  facilityKWh: number;
  waterL: number;
  /** Water an evaporative-cooled facility would have used for the same IT energy. */
  baselineWaterL: number;
  heatCapturedKWh: number;
  /** EREUSE: heat handed over to offtakers, at the supply temperature. */
  heatReusedKWh: number;
  /** IT heat not reused, released to the outdoors. */
  heatRejectedKWh: number;
  /** Per offtaker (model order): heat taken at the hand-over point. */
  offtakerKWh: number[];
  onSiteKWh: number;
  ppaKWh: number;
  guaranteesKWh: number;
  /** Location-based: grid energy × the grid's intensity (on-site generation is not from the grid). */
  co2eLocationKg: number;
  /** Market-based: energy no renewable source covers × the residual mix (or the grid's intensity). */
  co2eMarketKg: number;
  /** Facility energy at the day-ahead price. */
  energyCostEur: number;
}

/** Share of a path's heat that needs chillers: none up to its free-cooling limit, all once blendK above it. */
export function mechanicalShare(path: CoolingPath, outdoorC: number, blendK: number): number {
  return Math.min(1, Math.max(0, (outdoorC - path.freeCoolingMaxC) / blendK));
}

export function facilityHour(input: HourInput, model: SiteEnergy): HourFlows {
  const { cooling, electrical, water, heatRecovery, supply } = model;
  const it = input.itKWh;
  // All IT energy ends up as heat; cooling is sized on it (the plant's own losses are left out).
  const liquidHeat = it * cooling.liquidShare;
  const airHeat = it - liquidHeat;
  const pathKWh = (heat: number, path: CoolingPath) =>
    heat *
    (path.auxPowerShare +
      mechanicalShare(path, input.outdoorTemperatureC, cooling.mechanicalBlendK) / cooling.chillerCop);
  const liquidCoolingKWh = pathKWh(liquidHeat, cooling.liquid);
  const airCoolingKWh = pathKWh(airHeat, cooling.air);
  const auxiliaryKWh = electrical.auxiliaryPowerW / 1000;
  // The UPS feeds IT only; the transformers feed everything.
  const upsInput = it / electrical.upsEfficiency;
  const beforeTransformer = upsInput + liquidCoolingKWh + airCoolingKWh + auxiliaryKWh;
  const facilityKWh = beforeTransformer / electrical.transformerEfficiency;

  const heat = handOver(it * heatRecovery.capturedShare, heatRecovery, input);
  const heatRejectedKWh = it - heat.reused;
  const sprayed =
    input.outdoorTemperatureC >= water.adiabaticFromC ? heatRejectedKWh * water.adiabaticLPerKWh : 0;

  const s = renewableSupply(facilityKWh, model);
  const grid = facilityKWh - s.onSite;
  const uncovered = grid - s.ppa - s.guarantees;
  const marketFactor = supply.residualMixGPerKWh ?? input.carbonGPerKWh;
  return {
    itKWh: it,
    liquidCoolingKWh,
    airCoolingKWh,
    upsLossKWh: upsInput - it,
    transformerLossKWh: facilityKWh - beforeTransformer,
    auxiliaryKWh,
    facilityKWh,
    waterL: it * water.makeUpLPerKWh + sprayed,
    baselineWaterL: it * water.baselineWueLPerKWh,
    heatCapturedKWh: it * heatRecovery.capturedShare,
    heatReusedKWh: heat.reused,
    heatRejectedKWh,
    offtakerKWh: heat.perOfftaker,
    onSiteKWh: s.onSite,
    ppaKWh: s.ppa,
    guaranteesKWh: s.guarantees,
    co2eLocationKg: (grid * input.carbonGPerKWh) / 1000,
    co2eMarketKg: (uncovered * marketFactor) / 1000,
    energyCostEur: (facilityKWh * input.priceEurPerMWh) / 1000,
  };
}

/**
 * Captured heat goes to offtakers in the order listed, each up to its demand this hour. An offtaker that needs
 * more than the supply temperature lifts the heat with its own heat pump: delivered = source × COP / (COP − 1),
 * so it takes source heat = demand × (COP − 1) / COP at the hand-over point (FACTS.md).
 */
function handOver(
  capturedKWh: number,
  model: SiteEnergy["heatRecovery"],
  input: HourInput,
): { reused: number; perOfftaker: number[] } {
  let left = capturedKWh;
  const perOfftaker = model.offtakers.map((o) => {
    const demandKWh = (o.peakPowerW * o.monthlyShare[input.month]! * o.hourlyShare[input.hourOfDay]!) / 1000;
    const sourceNeed =
      o.minTemperatureC > model.supplyTemperatureC
        ? (demandKWh * (o.heatPumpCop - 1)) / o.heatPumpCop
        : demandKWh;
    const taken = Math.min(left, sourceNeed);
    left -= taken;
    return taken;
  });
  return { reused: capturedKWh - left, perOfftaker };
}

/** On-site generation first, then PPAs, then guarantees of origin, each capped by what is still uncovered. */
function renewableSupply(
  facilityKWh: number,
  model: SiteEnergy,
): { onSite: number; ppa: number; guarantees: number } {
  let left = facilityKWh;
  const take = (kind: string) => {
    let sum = 0;
    for (const source of model.supply.sources) {
      if (source.kind !== kind) continue;
      const offered =
        "share" in source.amount ? source.amount.share * facilityKWh : source.amount.powerW / 1000;
      const used = Math.min(left, offered);
      left -= used;
      sum += used;
    }
    return sum;
  };
  const onSite = take("on-site");
  const ppa = take("ppa");
  const guarantees = take("guarantees-of-origin");
  return { onSite, ppa, guarantees };
}
