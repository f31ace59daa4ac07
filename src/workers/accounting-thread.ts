// /v1/usage and /v1/reports model every hour of their period at every site with all runs in it: a month
// of a busy facility's runs is seconds of CPU, a year more. On the API's event loop that would hold up
// every other request, so the accounting runs on a worker thread of its own, started on the first request
// (the facility sent once; runs and signals with each request, which take turns).
import type { EedReport, ReportInputs } from "../accounting/eed-report.ts";
import type { HourFlows } from "../accounting/facility-hour.ts";
import type { Footprint } from "../accounting/footprint.ts";
import type { TenantFootprint } from "../accounting/footprint-report.ts";
import type { LiveReportInput } from "../api/live-reports.ts";
import type { UsageInput } from "../api/usage-footprint.ts";
import type { Facility } from "../model/types.ts";
import { WorkerThread } from "./worker-thread.ts";

type WithoutFacility<T> = Omit<T, "facility">;

export type AccountingCommand =
  | { id: number; op: "usage"; input: WithoutFacility<UsageInput> }
  | {
      id: number;
      op: "eed";
      input: WithoutFacility<LiveReportInput> & { siteIds: readonly string[]; inputs: ReportInputs };
    }
  | { id: number; op: "footprint"; input: WithoutFacility<LiveReportInput> & { tenantId: string } }
  | {
      id: number;
      op: "facility-energy";
      input: WithoutFacility<LiveReportInput> & { siteIds: readonly string[] };
    };

export class AccountingThread {
  private thread: WorkerThread<AccountingCommand> | null = null;

  constructor(private readonly facility: Facility) {}

  /** usageByTenant (usage-footprint.ts) on the accounting thread. */
  usageByTenant(input: WithoutFacility<UsageInput>): Promise<Map<string, Footprint>> {
    return this.started().request((id) => ({ id, op: "usage", input }));
  }

  /** liveEedReport (live-reports.ts) on the accounting thread. */
  eedReport(input: Extract<AccountingCommand, { op: "eed" }>["input"]): Promise<EedReport> {
    return this.started().request((id) => ({ id, op: "eed", input }));
  }

  /** liveFootprint (live-reports.ts) on the accounting thread. */
  footprint(input: Extract<AccountingCommand, { op: "footprint" }>["input"]): Promise<TenantFootprint> {
    return this.started().request((id) => ({ id, op: "footprint", input }));
  }

  /** liveFacilityEnergy (live-reports.ts) on the accounting thread. */
  facilityEnergy(
    input: Extract<AccountingCommand, { op: "facility-energy" }>["input"],
  ): Promise<{ siteId: string; hourly: HourFlows[] }[]> {
    return this.started().request((id) => ({ id, op: "facility-energy", input }));
  }

  async close(): Promise<void> {
    await this.thread?.close();
    this.thread = null;
  }

  private started(): WorkerThread<AccountingCommand> {
    // A thread that died (out of memory on a huge period, say) failed the requests it had; the next one
    // gets a new thread rather than the same error for ever.
    if (this.thread?.failure()) this.thread = null;
    this.thread ??= new WorkerThread(
      "accounting thread",
      new URL("./accounting-worker.ts", import.meta.url),
      this.facility,
    );
    return this.thread;
  }
}
