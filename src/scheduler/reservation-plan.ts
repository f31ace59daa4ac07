// What a reservation search answers and what a pass records: a start time with exact GPUs, and the
// span of time a reservation holds them.
import type { Placement } from "./placement.ts";

export interface ReservationPlan {
  atMs: number;
  placement: Placement;
}

export interface ReservedSpan {
  pool: number;
  nodes: number[];
  masks: number[];
  startAtMs: number;
  endAtMs: number;
}
