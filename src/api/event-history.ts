// The recent control-plane events, numbered, so a client whose event stream dropped can resume where it
// left off (SSE `Last-Event-ID`) instead of re-reading everything it follows. Ids are `<epoch>-<n>`: the
// epoch changes with every process, so an id from before a restart is recognised as unknown rather than
// taken for a different event of the same number.
import type { ControlPlaneEvent } from "../service/control-plane.ts";

export interface NumberedEvent {
  id: string;
  event: ControlPlaneEvent;
}

/** The events after a given id, or why they cannot be given. */
export type Resumption =
  | { ok: true; events: NumberedEvent[] }
  | { ok: false; reason: "unknown-id" | "too-old" };

export class EventHistory {
  /** Oldest first; at most `capacity`. */
  private readonly events: NumberedEvent[] = [];
  /** Number of the oldest event kept (numbers run from 1). */
  private first = 1;
  private next = 1;
  private readonly listeners = new Set<(numbered: NumberedEvent) => void>();

  constructor(
    private readonly capacity: number,
    /** Distinguishes this process's ids from an earlier one's. */
    readonly epoch: string,
  ) {}

  append(event: ControlPlaneEvent): NumberedEvent {
    const numbered = { id: `${this.epoch}-${this.next}`, event };
    this.next += 1;
    this.events.push(numbered);
    // Trimmed in chunks, so an append costs O(1) on average instead of a shift of the whole array.
    if (this.events.length >= this.capacity * 1.25) {
      const drop = this.events.length - this.capacity;
      this.events.splice(0, drop);
      this.first += drop;
    }
    for (const listener of this.listeners) listener(numbered);
    return numbered;
  }

  /** The events after `lastId`, oldest first. */
  since(lastId: string): Resumption {
    const match = /^(.+)-(\d+)$/.exec(lastId);
    if (match === null || match[1] !== this.epoch) return { ok: false, reason: "unknown-id" };
    const n = Number(match[2]);
    if (n >= this.next) return { ok: false, reason: "unknown-id" };
    // The event with number n itself may be gone; what matters is that everything after it is kept.
    if (n + 1 < this.first) return { ok: false, reason: "too-old" };
    return { ok: true, events: this.events.slice(n + 1 - this.first) };
  }

  /** Every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: (numbered: NumberedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
