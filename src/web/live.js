// One event stream for the whole dashboard, shared by the pages, and the hooks pages read data with.
import { useEffect, useRef, useState } from "preact/hooks";
import { followEvents } from "./api.js";

const listeners = new Set();
let stop = null;
let state = "connecting";
const stateListeners = new Set();

/** Opens the stream for the signed-in key; call stopLive() on sign-out. */
export function startLive() {
  stop?.();
  let wasLive = false;
  stop = followEvents(
    (type, data) => {
      for (const listener of listeners) listener(type, data);
    },
    (next) => {
      const reopened = next === "live" && wasLive;
      if (next === "live") wasLive = true;
      state = next;
      for (const listener of stateListeners) listener(next);
      // Events missed while away are not replayed: everyone re-reads.
      if (reopened) for (const listener of listeners) listener("reset", { reason: "reconnected" });
    },
  );
}

export function stopLive() {
  stop?.();
  stop = null;
}

/** The stream's state: connecting, live or reconnecting. */
export function useLiveState() {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    stateListeners.add(setCurrent);
    return () => stateListeners.delete(setCurrent);
  }, []);
  return current;
}

/** Calls `listener(type, data)` for every event while the component is shown. */
export function useEvents(listener) {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const forward = (type, data) => latest.current(type, data);
    listeners.add(forward);
    return () => listeners.delete(forward);
  }, []);
}

/**
 * Reads `load()` now and again after events that `matters(type, data)` says change it, at most once per
 * `minGapMs` so a busy facility does not spend the key's rate limit. Returns { data, error }.
 */
export function useLiveData(load, { matters = () => true, minGapMs = 3000 } = {}) {
  const [result, setResult] = useState({ data: null, error: null });
  const timing = useRef({ lastMs: 0, timer: null, running: false, again: false, stopped: false });
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = async () => {
    const t = timing.current;
    if (t.running) {
      t.again = true;
      return;
    }
    t.running = true;
    t.lastMs = performance.now();
    let failed = false;
    try {
      setResult({ data: await loadRef.current(), error: null });
    } catch (error) {
      failed = true;
      setResult((previous) => ({ data: previous.data, error }));
    } finally {
      t.running = false;
      // A failed read is tried again after the gap, whether or not an event comes.
      if (t.again || failed) {
        t.again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    const t = timing.current;
    if (t.timer !== null || t.stopped) return;
    const waitMs = Math.max(0, t.lastMs + minGapMs - performance.now());
    t.timer = setTimeout(() => {
      t.timer = null;
      run();
    }, waitMs);
  };

  useEffect(() => {
    run();
    return () => {
      timing.current.stopped = true;
      clearTimeout(timing.current.timer);
    };
  }, []);
  useEvents((type, data) => {
    if (type === "reset" || matters(type, data)) schedule();
  });
  return result;
}
