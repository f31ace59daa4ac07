// Each tenant's past GPU-hours, decayed with the policy's half-life, as the scheduler's fair share needs
// them. Kept as plain data so the control plane can store it and resume it after a restart.
import type { TenantUsage } from "../model/types.ts";
import { decayedGpuHours } from "../scheduler/fair-order.ts";

export type LedgerData = Record<string, { gpuHours: number; atMs: number }>;

export class FairShareLedger {
  private readonly entries: Map<string, { gpuHours: number; atMs: number }>;

  constructor(
    private readonly halfLifeS: number,
    data: LedgerData | null = null,
  ) {
    this.entries = new Map(Object.entries(data ?? {}));
  }

  /** Adds a finished run's GPU-hours at `atMs`, decaying what was there to that time first. */
  add(tenantId: string, gpuHours: number, atMs: number): void {
    const e = this.entries.get(tenantId);
    const before = e ? decayedGpuHours(e.gpuHours, e.atMs, atMs, this.halfLifeS) : 0;
    this.entries.set(tenantId, { gpuHours: before + gpuHours, atMs: Math.max(atMs, e?.atMs ?? atMs) });
  }

  usage(): TenantUsage[] {
    return [...this.entries].map(([tenantId, e]) => ({
      tenantId,
      decayedGpuHours: e.gpuHours,
      atMs: e.atMs,
    }));
  }

  data(): LedgerData {
    return Object.fromEntries(this.entries);
  }
}
