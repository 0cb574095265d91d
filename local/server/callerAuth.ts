// Turns what a client presents (a user JWT, the admin key, or nothing) into the Caller a function
// runs as. The same rules apply to the websocket and the HTTP API.
import type { JSONValue } from "convex/values";

import { adminKeyMatches, parseConvexAuthorization } from "../auth/adminKey.ts";
import type { JwtVerifier } from "../auth/jwtVerifier.ts";
import { ANONYMOUS, type Caller, type Identity } from "../engine/types.ts";

export type Authentication = { ok: true; caller: Caller; expiresAtMs: number | null } | { ok: false; error: string };

export class CallerAuthenticator {
  constructor(
    private readonly adminKey: string,
    private readonly verifier: JwtVerifier,
  ) {}

  async user(token: string): Promise<Authentication> {
    const result = await this.verifier.verify(token);
    if (!result.ok) return { ok: false, error: result.error };
    return { ok: true, caller: { identity: result.identity as unknown as Identity, isAdmin: false, token }, expiresAtMs: result.expiresAtMs };
  }

  /** The admin key, optionally acting as a user identity (the dashboard's "act as" feature). */
  admin(key: string, actingAs: Record<string, unknown> | undefined): Authentication {
    if (!adminKeyMatches(key, this.adminKey)) return { ok: false, error: "The provided admin key is invalid for this deployment" };
    return { ok: true, caller: { identity: actingAs ? impersonated(actingAs) : null, isAdmin: true, token: null }, expiresAtMs: null };
  }

  /** Authenticates an HTTP `Authorization` header; no header means an anonymous caller. */
  async header(header: string | undefined): Promise<Authentication> {
    const parsed = parseConvexAuthorization(header);
    switch (parsed.kind) {
      case "none":
        return { ok: true, caller: ANONYMOUS, expiresAtMs: null };
      case "user":
        return await this.user(parsed.token);
      case "admin":
        return this.admin(parsed.key, parsed.actingAs);
      case "malformed":
        return { ok: false, error: "The Authorization header is malformed" };
    }
  }
}

/** An identity the admin acts as; `tokenIdentifier` is derived as Convex derives it. */
function impersonated(attributes: Record<string, unknown>): Identity {
  const subject = typeof attributes.subject === "string" ? attributes.subject : "admin";
  const issuer = typeof attributes.issuer === "string" ? attributes.issuer : "https://admin.local";
  const tokenIdentifier = typeof attributes.tokenIdentifier === "string" ? attributes.tokenIdentifier : `${issuer}|${subject}`;
  return { ...(attributes as Record<string, JSONValue>), subject, issuer, tokenIdentifier };
}
