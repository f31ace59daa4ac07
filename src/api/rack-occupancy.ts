// Which jobs hold GPUs on which nodes right now, for the per-rack views of /v1/facility/racks. The control
// plane keeps only each running job's site; the nodes come with its job events, so this index follows those
// events and is seeded once from the store's running jobs. A rack view then costs one walk over the running
// jobs' nodes (a few thousand on a full 100,000-GPU facility), not a database read per request.
import type { Facility } from "../model/types.ts";
import type { ControlPlaneEvent } from "../service/control-plane.ts";
import type { JobRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

/** A running job as the rack views need it: whose it is and the GPUs it holds per node. */
export interface RunningOnNodes {
  jobId: string;
  name: string;
  tenantId: string;
  /** GPUs held per node id. */
  gpusByNode: Map<string, number>;
}

const SEED_PAGE = 1000;

export class RackOccupancy {
  private readonly running = new Map<string, { version: number; job: RunningOnNodes }>();
  /** Events that arrive while the seed is read, applied after it so none is lost. */
  private pending: JobRecord[] | null = [];
  private seeded: Promise<void> | null = null;
  readonly nodeRack: Map<string, string>;

  constructor(
    facility: Facility,
    private readonly store: Store,
  ) {
    this.nodeRack = new Map(facility.nodes.map((n) => [n.id, n.rackId]));
  }

  /** Feed every control-plane event here from construction on. */
  observe(event: ControlPlaneEvent): void {
    if (event.type !== "job") return;
    if (this.pending !== null) this.pending.push(event.record);
    else this.apply(event.record);
  }

  /** The running jobs, once the store's have been read. */
  async jobs(): Promise<Iterable<RunningOnNodes>> {
    this.seeded ??= this.seed().catch((err: unknown) => {
      this.seeded = null;
      throw err;
    });
    await this.seeded;
    return [...this.running.values()].map((entry) => entry.job);
  }

  private async seed(): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await this.store.listJobs({ states: ["running"], limit: SEED_PAGE, cursor });
      for (const record of page.items) this.apply(record);
      cursor = page.nextCursor;
    } while (cursor !== null);
    // Events are newer than or as new as what the seed read; versions keep a stale one from undoing it.
    for (const record of this.pending ?? []) this.apply(record);
    this.pending = null;
  }

  private apply(record: JobRecord): void {
    const id = record.job.id;
    const known = this.running.get(id);
    if (known !== undefined && known.version > record.version) return;
    if (record.state !== "running" || record.allocation === null) {
      this.running.delete(id);
      return;
    }
    const gpusByNode = new Map<string, number>();
    for (const node of record.allocation.nodes) gpusByNode.set(node.nodeId, node.gpus.length);
    this.running.set(id, {
      version: record.version,
      job: { jobId: id, name: record.job.name, tenantId: record.job.tenantId, gpusByNode },
    });
  }
}
