// Access wrappers. Every public function in convex/ starts from one of these, so whether a caller
// may run it is decided in one place, on the server. Feature files never import the raw
// `query`/`mutation`/`action` builders.
import { customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { v } from "convex/values";

import {
  action,
  internalAction as rawInternalAction,
  internalMutation as rawInternalMutation,
  internalQuery as rawInternalQuery,
  mutation,
  query,
} from "../_generated/server";
import { installConsoleScrubber } from "./consoleScrub";
import { requireVisitor, SESSION_TOUCH_MS } from "./visitorSession";

// Every function module loads this file, so nothing a function prints escapes the scrubber.
installConsoleScrubber();

/**
 * A query any caller may run, with no access check. `reason` is required so that every exception
 * to default-deny says why it is safe (what it returns and why that is public).
 */
export function publicQuery(reason: string): typeof query {
  requireReason(reason);
  return query;
}

/** An action any caller may run; `reason` as for `publicQuery`. */
export function publicAction(reason: string): typeof action {
  requireReason(reason);
  return action;
}

function requireReason(reason: string): void {
  if (reason.trim().length < 10) throw new Error("A public function needs a real reason");
}

/**
 * A query for an anonymous chat visitor: takes `sessionToken`, refuses an invalid one, and gives
 * the handler `ctx.visitor`. The token is consumed here and never reaches the handler's args.
 */
export const visitorQuery = customQuery(query, {
  args: { sessionToken: v.string() },
  input: async (ctx, { sessionToken }) => ({ ctx: { visitor: await requireVisitor(ctx, sessionToken, Date.now()) }, args: {} }),
});

/** A mutation for an anonymous chat visitor; also records that the session was seen. */
export const visitorMutation = customMutation(mutation, {
  args: { sessionToken: v.string() },
  input: async (ctx, { sessionToken }) => {
    const now = Date.now();
    const visitor = await requireVisitor(ctx, sessionToken, now);
    if (now - visitor.session.lastSeenAt > SESSION_TOUCH_MS) {
      await ctx.db.patch("visitorSessions", visitor.sessionId, { lastSeenAt: now });
    }
    return { ctx: { visitor }, args: {} };
  },
});

/** Functions for the deployment itself: crons, scheduled work, the admin key. Never the browser. */
export const internalQuery = rawInternalQuery;
export const internalMutation = rawInternalMutation;
export const internalAction = rawInternalAction;
