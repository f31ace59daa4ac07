import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ControlPlaneEvent } from "../service/control-plane.ts";
import { EventHistory } from "./event-history.ts";

const queueEvent = (atMs: number): ControlPlaneEvent => ({
  type: "queue",
  atMs,
  queued: 0,
  queuedByTier: {},
});

describe("EventHistory", () => {
  it("gives exactly the events after any id it still covers, and says when it cannot", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 120 }), (capacity, count) => {
        const history = new EventHistory(capacity, "e1");
        const ids = Array.from({ length: count }, (_, i) => history.append(queueEvent(i)).id);
        ids.forEach((id, i) => {
          const resumed = history.since(id);
          const missed = count - 1 - i;
          if (resumed.ok)
            expect(resumed.events.map((e) => e.event.atMs)).toEqual(
              Array.from({ length: missed }, (_, k) => i + 1 + k),
            );
          else expect(resumed.reason).toBe("too-old");
          // Whatever is trimmed, the most recent `capacity` events are always there to resume from.
          if (missed <= capacity) expect(resumed.ok).toBe(true);
        });
      }),
    );
  });

  it("does not take an id from another process, or one it never gave, for one of its own", () => {
    const history = new EventHistory(10, "epoch-b");
    history.append(queueEvent(1));
    for (const id of ["epoch-a-1", "epoch-b-2", "epoch-b", "nonsense", ""])
      expect(history.since(id)).toEqual({ ok: false, reason: "unknown-id" });
    expect(history.since("epoch-b-1")).toEqual({ ok: true, events: [] });
  });

  it("tells its subscribers every event with its id, until they unsubscribe", () => {
    const history = new EventHistory(10, "e");
    const seen: string[] = [];
    const unsubscribe = history.subscribe((n) => seen.push(n.id));
    history.append(queueEvent(1));
    unsubscribe();
    history.append(queueEvent(2));
    expect(seen).toEqual(["e-1"]);
  });
});
