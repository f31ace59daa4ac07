// `fjord usage`: GPU-hours per tenant over the period, and any other figure /v1/usage returns per tenant
// as a column of its own, so a figure the service adds shows up without a new fjord. Columns are headed in
// words with their units, never with the API's field names.
import { formatUtcMinute } from "../../model/format.ts";
import { type Cell, plainTable, right } from "./plain-table.ts";

export interface UsageWire {
  from: string;
  to: string;
  tenants: ({ tenant: string; gpuHours: number } & Record<string, unknown>)[];
}

const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The heading of each figure /v1/usage documents (a Map: field names come from the service). */
const HEADINGS: ReadonlyMap<string, string> = new Map([
  ["gpuHours", "GPU-hours"],
  ["itEnergyKWh", "IT energy kWh"],
  ["facilityEnergyKWh", "Facility energy kWh"],
  ["waterL", "Water L"],
  ["heatReusedKWh", "Heat reused kWh"],
  ["co2eKgLocationBased", "CO2e kg (location)"],
  ["co2eKgMarketBased", "CO2e kg (market)"],
]);

/** Unit suffixes of Fjord's field names (`…KWh`, `…L`), as people write them. */
const UNITS: ReadonlyMap<string, string> = new Map([
  ["KWh", "kWh"],
  ["MWh", "MWh"],
  ["Kg", "kg"],
  ["L", "L"],
  ["S", "s"],
  ["Ms", "ms"],
  ["W", "W"],
  ["Eur", "EUR"],
]);

/** Longest first, so `…Ms` is read as milliseconds, not as `…M` + seconds. */
const UNIT_SUFFIXES = [...UNITS.keys()].sort((a, b) => b.length - a.length);

export function usageTable(usage: UsageWire): string {
  const columns = ["gpuHours", ...new Set(usage.tenants.flatMap((t) => Object.keys(t)))].filter(
    (key, i, all) => key !== "tenant" && all.indexOf(key) === i,
  );
  const rows = usage.tenants.map((t): Cell[] => [t.tenant, ...columns.map((c) => value(t[c]))]);
  // Only GPU-hours is known to add up across tenants; other figures may be shares or averages.
  if (usage.tenants.length > 1) {
    const total = usage.tenants.reduce((sum, t) => sum + t.gpuHours, 0);
    rows.push(["all", right(twoDecimals.format(total)), ...columns.slice(1).map(() => "")]);
  }
  const period = `${formatUtcMinute(Date.parse(usage.from))} → ${formatUtcMinute(Date.parse(usage.to))}`;
  if (rows.length === 0) return `Usage ${period}: no tenants\n`;
  return `Usage ${period}\n${plainTable(["Tenant", ...columns.map(heading)], rows)}\n`;
}

/**
 * A figure's column heading: its documented words, or for a figure this fjord does not know yet its
 * field name spelled out (`coolingEnergyKWh` → `Cooling energy kWh`).
 */
export function heading(field: string): string {
  const known = HEADINGS.get(field);
  if (known !== undefined) return known;
  const unit = UNIT_SUFFIXES.find((u) => field.endsWith(u) && field.length > u.length);
  const stem = unit === undefined ? field : field.slice(0, -unit.length);
  const words = stem.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
  if (unit !== undefined) words.push(UNITS.get(unit)!);
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function value(v: unknown): Cell {
  if (typeof v === "number") return right(twoDecimals.format(v));
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
