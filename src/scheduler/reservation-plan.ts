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
  /** GPUs per node the reservation frees at its end: its placement's, less what later ones took over. */
  masks: number[];
  /** The placement's masks as found, shared with the search's answer (the memo compares these). */
  placedMasks: number[];
  startAtMs: number;
  endAtMs: number;
}
