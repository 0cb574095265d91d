// Access wrappers. Every public function in convex/ starts from one of these, so whether a caller
// may run it is decided in one place, on the server. Later issues add the owner and visitor
// guards here; feature files never import the raw `query`/`mutation` builders.
import { internalMutation as rawInternalMutation, internalQuery as rawInternalQuery, query } from "../_generated/server";

/**
 * A query any caller may run, with no access check. `reason` is required so that every exception
 * to default-deny says why it is safe (what it returns and why that is public).
 */
export function publicQuery(reason: string): typeof query {
  if (reason.trim().length < 10) throw new Error("publicQuery needs a real reason");
  return query;
}

/** Functions for the deployment itself: crons, scheduled work, the admin key. Never the browser. */
export const internalQuery = rawInternalQuery;
export const internalMutation = rawInternalMutation;
