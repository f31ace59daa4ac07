// /v1/usage models every hour of the period at every site with all runs in it: a month of a busy
// facility's runs is seconds of CPU. On the API's event loop that would hold up every other request, so
// the accounting runs on a worker thread of its own, started on the first request. Requests take turns.
import type { Footprint } from "../accounting/footprint.ts";
import type { Facility } from "../model/types.ts";
import { WorkerThread } from "../workers/worker-thread.ts";
import type { UsageCommand, UsageInput } from "./usage-footprint.ts";

export class UsageThread {
  private thread: WorkerThread<UsageCommand> | null = null;

  constructor(private readonly facility: Facility) {}

  /** usageByTenant(input) on the usage thread. */
  async usageByTenant(input: Omit<UsageInput, "facility">): Promise<Map<string, Footprint>> {
    this.thread ??= new WorkerThread(
      "usage thread",
      new URL("./usage-worker.ts", import.meta.url),
      this.facility,
    );
    const { tierOf, ...rest } = input;
    const entries = await this.thread.request<[string, Footprint][]>((id) => ({
      id,
      input: { ...rest, tierOf: [...tierOf] },
    }));
    return new Map(entries);
  }

  async close(): Promise<void> {
    await this.thread?.close();
    this.thread = null;
  }
}
