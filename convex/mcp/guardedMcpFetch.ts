"use node";
// The MCP SDK's client transport sends its HTTP requests through a `fetch` it is given. ClawSync
// gives it this one, so every request to an external MCP server passes the same guarded fetch as a
// webhook skill: https only, the server's own host only, its address checked and pinned, no
// redirect, a size cap and a deadline. A refusal is thrown as a GuardedFetchError carrying the
// checker's code, which the SDK passes through to the caller unchanged.
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";

import { guardedFetch, type GuardedFetchDeps, type GuardedPolicy, type GuardedRequest } from "../security/guardedFetch";
import { GuardedFetchError } from "./toolResult";

export type { GuardedFetchDeps };

/** A `fetch` for `StreamableHTTPClientTransport` that only ever sends through `guardedFetch`. */
export function guardedMcpFetch(policy: GuardedPolicy, deps: GuardedFetchDeps = {}): FetchLike {
  return async (url, init = {}) => {
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const method = (init.method ?? "GET").toUpperCase();
    // A GET opens the SDK's optional stream of server-initiated messages, which would hold a
    // connection open past the call; 405 is how a server says it has none, and the SDK carries on.
    if (method === "GET") return new Response(null, { status: 405, statusText: "Method Not Allowed" });
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") throw new TypeError("Only a text body can be sent to an MCP server.");
    const request: GuardedRequest = {
      url: String(url),
      method,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof init.body === "string" ? { body: init.body } : {}),
    };
    const result = await abortable(guardedFetch(request, policy, deps), signal);
    if (!result.ok) throw new GuardedFetchError(result.code, result.message);
    // The default transport refuses a 3xx itself; this holds for any transport, because the SDK
    // would otherwise follow a same-origin redirect on its own.
    if (result.status >= 300 && result.status < 400) {
      throw new GuardedFetchError("REDIRECT_BLOCKED", `The server answered with a redirect (${result.status}); redirects are never followed.`);
    }
    // Copied: a Response body must sit on a plain ArrayBuffer, and the guarded body's type does not promise one.
    return new Response(NULL_BODY_STATUSES.has(result.status) ? null : new Uint8Array(result.body), { status: result.status, headers: result.headers });
  };
}

/** Statuses a `Response` may not be built with a body for. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/**
 * Rejects with the signal's reason when it aborts, as `fetch` does. The guarded request itself
 * runs on to its own deadline (the same limit as the whole call) and its answer is dropped.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
