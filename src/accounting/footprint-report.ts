// A tenant's footprint: per job and per month, the energy, water, reused heat, renewable supply, emissions on
// both bases and cost its jobs are accountable for (account.ts explains the attribution).
import type { EnergyAccount } from "./account.ts";
import { addFootprint, emptyFootprint, type Footprint } from "./footprint.ts";
import { cue } from "./kpis.ts";

export interface JobFootprint {
  jobId: string;
  tierId: string;
  utilisation: number;
  utilisationRule: string;
  total: Footprint;
  months: ({ month: string } & Footprint)[];
}

export interface TenantFootprint {
  format: "fjord-footprint/1";
  tenantId: string;
  period: { fromMs: number; toMs: number };
  total: Footprint & { cueLocationKgPerKWh: number | null; cueMarketKgPerKWh: number | null };
  months: ({ month: string } & Footprint)[];
  jobs: JobFootprint[];
}

export function tenantFootprint(account: EnergyAccount, tenantId: string): TenantFootprint {
  const total = emptyFootprint();
  const byMonth = new Map<string, Footprint>();
  const jobs: JobFootprint[] = [];
  for (const job of account.jobs) {
    if (job.tenantId !== tenantId) continue;
    addFootprint(total, job.total);
    const months = [...job.byMonth].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [month, f] of months) {
      let m = byMonth.get(month);
      if (m === undefined) {
        m = emptyFootprint();
        byMonth.set(month, m);
      }
      addFootprint(m, f);
    }
    jobs.push({
      jobId: job.jobId,
      tierId: job.tierId,
      utilisation: job.utilisation,
      utilisationRule: job.utilisationRule,
      total: job.total,
      months: months.map(([month, f]) => ({ month, ...f })),
    });
  }
  return {
    format: "fjord-footprint/1",
    tenantId,
    period: { fromMs: account.period.fromMs, toMs: account.period.toMs },
    total: {
      ...total,
      cueLocationKgPerKWh: cue(total.co2eLocationKg, total.itKWh),
      cueMarketKgPerKWh: cue(total.co2eMarketKg, total.itKWh),
    },
    months: [...byMonth]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([month, f]) => ({ month, ...f })),
    jobs,
  };
}
