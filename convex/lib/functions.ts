// Access wrappers. Every public function in convex/ starts from one of these, so whether a caller
// may run it is decided in one place, on the server. Feature files never import the raw
// `query`/`mutation`/`action` builders.
import { customAction, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { makeFunctionReference } from "convex/server";
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
import { ownerAccessError, requireOwner, type OwnerCheck } from "./owners";
import type { OwnerRole } from "./validators";
import { requireVisitor, SESSION_TOUCH_MS } from "./visitorSession";

// Every function module loads this file, so nothing a function prints escapes the scrubber.
installConsoleScrubber();

/** Who a public function admits. Internal functions have none: the browser cannot call them. */
export type Access = "public" | "visitor" | "identity" | "owner" | "admin";

const ACCESS = new WeakMap<object, Access>();

/** The access a wrapper gave a registered function; undefined for one built without a wrapper. */
export function accessOf(fn: unknown): Access | undefined {
  return (typeof fn === "function" || typeof fn === "object") && fn !== null ? ACCESS.get(fn) : undefined;
}

/** The builder, recording the access of every function it builds (the default-deny test reads it). */
function tagged<B>(builder: B, access: Access): B {
  const build = builder as unknown as (definition: unknown) => object;
  const wrapped = (definition: unknown) => {
    const fn = build(definition);
    ACCESS.set(fn, access);
    return fn;
  };
  return wrapped as unknown as B;
}

/**
 * A query any caller may run, with no access check. `reason` is required so that every exception
 * to default-deny says why it is safe (what it returns and why that is public).
 */
export function publicQuery(reason: string): typeof query {
  requireReason(reason);
  return tagged(query, "public");
}

/** An action any caller may run; `reason` as for `publicQuery`. */
export function publicAction(reason: string): typeof action {
  requireReason(reason);
  return tagged(action, "public");
}

function requireReason(reason: string): void {
  if (reason.trim().length < 10) throw new Error("A public function needs a real reason");
}

/**
 * A query for an anonymous chat visitor: takes `sessionToken`, refuses an invalid one, and gives
 * the handler `ctx.visitor`. The token is consumed here and never reaches the handler's args.
 */
export const visitorQuery = tagged(customQuery(query, {
  args: { sessionToken: v.string() },
  input: async (ctx, { sessionToken }) => ({ ctx: { visitor: await requireVisitor(ctx, sessionToken, Date.now()) }, args: {} }),
}), "visitor");

/** A mutation for an anonymous chat visitor; also records that the session was seen. */
export const visitorMutation = tagged(customMutation(mutation, {
  args: { sessionToken: v.string() },
  input: async (ctx, { sessionToken }) => {
    const now = Date.now();
    const visitor = await requireVisitor(ctx, sessionToken, now);
    if (now - visitor.session.lastSeenAt > SESSION_TOUCH_MS) {
      await ctx.db.patch("visitorSessions", visitor.sessionId, { lastSeenAt: now });
    }
    return { ctx: { visitor }, args: {} };
  },
}), "visitor");

/**
 * A query for a signed-in owner (any role): refuses anyone else with NotSignedIn or NotOwner, and
 * gives the handler `ctx.owner`. Ownership is re-read from the database on every call, so a
 * removed owner is refused at once.
 */
export const ownerQuery = tagged(customQuery(query, {
  args: {},
  input: async (ctx) => ({ ctx: { owner: await requireOwner(ctx) }, args: {} }),
}), "owner");

/** A mutation for a signed-in owner (any role); `ctx.owner` as for `ownerQuery`. */
export const ownerMutation = tagged(customMutation(mutation, {
  args: {},
  input: async (ctx) => ({ ctx: { owner: await requireOwner(ctx) }, args: {} }),
}), "owner");

/** A mutation only an admin owner may run: managing owners and invitations. */
export const adminMutation = tagged(customMutation(mutation, {
  args: {},
  input: async (ctx) => ({ ctx: { owner: await requireOwner(ctx, "admin") }, args: {} }),
}), "admin");

/**
 * `owners:guard`, named directly rather than through the generated api: owners.ts builds its own
 * functions with these wrappers, so the api's type would refer to itself.
 */
const OWNER_GUARD = makeFunctionReference<"query", { role: OwnerRole }, OwnerCheck>("owners:guard");

/** An action for a signed-in owner of `role`; the check runs as an internal query before the handler. */
function actionFor(role: OwnerRole) {
  return customAction(action, {
    args: {},
    input: async (ctx) => {
      const owner = await ctx.runQuery(OWNER_GUARD, { role });
      return { ctx: { owner: owner.ok ? owner.owner : ownerAccessError(owner.error) }, args: {} };
    },
  });
}

/** An action for a signed-in owner (any role); `ctx.owner` as for `ownerQuery`. */
export const ownerAction = tagged(actionFor("owner"), "owner");

/** An action only an admin owner may run. */
export const adminAction = tagged(actionFor("admin"), "admin");

/**
 * A mutation for any signed-in identity, owner or not (redeeming an owner code): refuses an
 * anonymous caller with NotSignedIn and gives the handler `ctx.identity`.
 */
export const identityMutation = tagged(customMutation(mutation, {
  args: {},
  input: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    return { ctx: { identity: identity ?? ownerAccessError({ kind: "NotSignedIn" }) }, args: {} };
  },
}), "identity");

/** Functions for the deployment itself: crons, scheduled work, the admin key. Never the browser. */
export const internalQuery = rawInternalQuery;
export const internalMutation = rawInternalMutation;
export const internalAction = rawInternalAction;
