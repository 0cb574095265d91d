// A shared clock for relative times: one timer for the whole page, running only while in use.
import { useSyncExternalStore } from "react";

const TICK_MS = 15_000;

let nowMs = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function tick() {
  nowMs = Date.now();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    // The clock may have idled; catch up before the first reader renders again.
    tick();
    timer = setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot(): number {
  return nowMs;
}

/** The current time in ms, re-rendering the caller every few seconds. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
