// Checkpoints the service takes itself (`fjord serve --audit-checkpoint`), appended to the operator's
// checkpoint file: one when it starts, then one whenever the log has grown, looked at every interval and
// when the service stops, after the control loop has written its last entries. On an embedded database
// nothing else can read the log while the service runs, so without these a tail cut during a long run
// would leave no checkpoint behind it.
import { appendCheckpoint } from "./checkpoint-file.ts";
import type { AuditCheckpointer } from "./checkpointer.ts";
import type { ChainHead } from "./hash-chain.ts";

export interface PeriodicCheckpointsOptions {
  checkpointer: AuditCheckpointer;
  /** The checkpoint file, appended to. */
  file: string;
  intervalMs: number;
  /** Wall-clock time, for the checkpoint's `at` (not the simulated executor's clock). */
  nowMs: () => number;
  /** A line for the operator's log: each checkpoint written, refused or failed. */
  report: (line: string) => void;
}

export class PeriodicCheckpoints {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  /** The head of the last checkpoint written: an idle service does not repeat it every interval. */
  private lastWritten: ChainHead | null = null;

  constructor(private readonly options: PeriodicCheckpointsOptions) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    // The service's own lifetime decides when the process ends, not this timer.
    this.timer.unref();
  }

  /** Waits for a checkpoint in flight, then takes the last one. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.inFlight;
    await this.takeNow();
  }

  /** Takes a checkpoint and appends it; never throws, so a full disk cannot stop the service. */
  async takeNow(): Promise<void> {
    const { checkpointer, file, nowMs, report } = this.options;
    try {
      const outcome = await checkpointer.take(nowMs());
      if (outcome.kind === "signed") {
        const { seq, hash } = outcome.checkpoint;
        if (this.lastWritten?.seq === seq && this.lastWritten.hash === hash) return;
        appendCheckpoint(file, outcome.checkpoint);
        this.lastWritten = { seq, hash };
        report(`fjord: audit checkpoint: entry ${seq} appended to ${file}`);
      } else if (outcome.kind === "broken") {
        const { seq, kind, reason } = outcome.problem;
        report(
          `fjord: audit checkpoint REFUSED: the audit log's hash chain is broken at entry ${seq} (${kind}): ${reason}`,
        );
      }
    } catch (err) {
      report(`fjord: audit checkpoint failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One checkpoint at a time: a tick while one is still being taken (a long first walk) is skipped. */
  private tick(): void {
    if (this.inFlight !== null || this.stopped) return;
    this.inFlight = this.takeNow().finally(() => {
      this.inFlight = null;
    });
  }
}
