// Types shared by the runtime's engine and servers.
import type { JSONValue } from "convex/values";

/** What `ctx.auth.getUserIdentity()` returns: verified claims, keyed as Convex keys them. */
export type Identity = { tokenIdentifier: string; subject: string; issuer: string } & Record<string, JSONValue>;

/** Who is calling: a verified user (or nobody), or the holder of the admin key. */
export type Caller = {
  identity: Identity | null;
  /** The admin key may call internal and component functions, as on a deployment. */
  isAdmin: boolean;
  /** The raw token the identity came from, for `getRequestMetadata().authToken`. */
  token: string | null;
};

export const ANONYMOUS: Caller = { identity: null, isAdmin: false, token: null };

/** Request facts a function can read through `ctx.meta.getRequestMetadata()`. */
export type RequestMeta = { ip: string | null; userAgent: string | null };

export const NO_REQUEST_META: RequestMeta = { ip: null, userAgent: null };

/** A function's address: which component, and `module:export` within it. */
export type FunctionPath = { componentPath: string; udfPath: string };

export type UdfType = "query" | "mutation" | "action";
