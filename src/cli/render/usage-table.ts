// `fjord usage`: GPU-hours per tenant over the period, and any other figure /v1/usage returns per tenant
// as a column of its own, so a figure the service adds shows up without a new fjord.
import { formatUtcMinute } from "../../model/format.ts";
import { type Cell, plainTable, right } from "./plain-table.ts";

export interface UsageWire {
  from: string;
  to: string;
  tenants: ({ tenant: string; gpuHours: number } & Record<string, unknown>)[];
}

const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const HEADINGS: Record<string, string> = { gpuHours: "GPU-hours" };

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
  return `Usage ${period}\n${plainTable(["Tenant", ...columns.map((c) => HEADINGS[c] ?? c)], rows)}\n`;
}

function value(v: unknown): Cell {
  if (typeof v === "number") return right(twoDecimals.format(v));
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
