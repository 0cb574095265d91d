// Who the caller is as an owner: a verified identity (ctx.auth) bound to an active row in `owners`.
// Every owner guard and every owner-management function decides with these, on the server.
import { ConvexError } from "convex/values";

import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { OwnerRole } from "./validators";

export type Owner = { ownerId: Id<"owners">; role: OwnerRole; tokenIdentifier: string };

/** Why an owner function refused: nobody signed in, or signed in without being an (admin) owner. */
export type OwnerAccessError = { kind: "NotSignedIn" } | { kind: "NotOwner" } | { kind: "NotAdmin" };

export function ownerAccessError(data: OwnerAccessError): never {
  throw new ConvexError(data);
}

/** What `owners:guard` answers an owner action. */
export type OwnerCheck = { ok: true; owner: Owner } | { ok: false; error: OwnerAccessError };

/** The active owner row of a verified identity, or null. */
export async function activeOwnerByToken(ctx: Pick<QueryCtx, "db">, tokenIdentifier: string): Promise<Doc<"owners"> | null> {
  const row = await ctx.db
    .query("owners")
    .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", tokenIdentifier))
    .unique();
  return row !== null && row.status === "active" ? row : null;
}

/** The caller as an owner, or a NotSignedIn / NotOwner / NotAdmin refusal. */
export async function requireOwner(ctx: Pick<QueryCtx, "db" | "auth">, role: OwnerRole = "owner"): Promise<Owner> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) ownerAccessError({ kind: "NotSignedIn" });
  const row = await activeOwnerByToken(ctx, identity.tokenIdentifier);
  if (row === null) ownerAccessError({ kind: "NotOwner" });
  if (role === "admin" && row.role !== "admin") ownerAccessError({ kind: "NotAdmin" });
  return { ownerId: row._id, role: row.role, tokenIdentifier: row.tokenIdentifier };
}

/** Whether any owner is active: until one is, only a claim code can create the first. */
export async function hasActiveOwner(ctx: Pick<QueryCtx, "db">): Promise<boolean> {
  return (
    (await ctx.db
      .query("owners")
      .withIndex("by_status", (q) => q.eq("status", "active"))
      .first()) !== null
  );
}
