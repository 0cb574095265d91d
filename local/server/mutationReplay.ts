// Exactly-once mutations across reconnects. The client re-sends every unanswered mutation after a
// reconnect, with the same session id and request id; a mutation that already ran (or is still
// running) is answered from here instead of running twice.
import type { MutationResponse } from "./syncSession.ts";

const MAX_SESSIONS = 1000;
const MAX_PER_SESSION = 256;
const TTL_MS = 15 * 60 * 1000;

type Entry = { promise: Promise<MutationResponse>; at: number };

export class MutationReplayCache {
  private readonly sessions = new Map<string, Map<number, Entry>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs the mutation unless this session already sent this request id; `replayed` says which. */
  run(sessionId: string, requestId: number, execute: () => Promise<MutationResponse>): { promise: Promise<MutationResponse>; replayed: boolean } {
    const now = this.now();
    let requests = this.sessions.get(sessionId);
    const existing = requests?.get(requestId);
    if (existing && now - existing.at < TTL_MS) return { promise: existing.promise, replayed: true };
    if (!requests) {
      requests = new Map();
      this.sessions.set(sessionId, requests);
      if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    } else {
      // Most recently used sessions stay; Map order is insertion order.
      this.sessions.delete(sessionId);
      this.sessions.set(sessionId, requests);
    }
    const promise = execute();
    requests.set(requestId, { promise, at: now });
    if (requests.size > MAX_PER_SESSION) requests.delete(requests.keys().next().value!);
    return { promise, replayed: false };
  }
}
