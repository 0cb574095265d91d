// Lets an action worker yield the CPU to the runtime's thread. Every transaction runs on that one
// thread while holding the write lock, so any time it loses to a busy worker is added to every
// visitor's wait; actions are throughput work and can run a little later instead.
import fs from "node:fs";
import os from "node:os";

/** The niceness given to action workers: below normal, above idle. */
export const ACTION_WORKER_NICENESS = 10;

/**
 * Lowers the calling thread's scheduling priority. Linux schedules threads individually and
 * `setpriority` accepts a thread id, which `/proc/thread-self` names; elsewhere it would lower the
 * whole process, runtime thread included, so it does nothing there. Returns whether it applied.
 */
export function lowerThisThreadPriority(niceness = ACTION_WORKER_NICENESS): boolean {
  if (process.platform !== "linux") return false;
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid === process.pid) return false;
    os.setPriority(tid, niceness);
    return true;
  } catch {
    // A sandbox without /proc or one that refuses setpriority: run at normal priority.
    return false;
  }
}
