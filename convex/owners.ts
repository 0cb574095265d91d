// Owners: who may run SyncBoard. Ownership is bound to a verified identity and created only by
// redeeming a single-use code: a claim code for the first owner (printed by `npm start`, or minted
// with the admin key on a cloud deployment), an invitation code for each further owner (minted by an
// admin owner). Codes are random in an action (where randomness is real), stored only as SHA-256
// hashes, expire, and are refused after 10 failed attempts a minute per identity for 5 minutes.
// Every step is written to the auth audit log.
import { ConvexError, v } from "convex/values";

import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import type { ActionCtx, MutationCtx } from "./_generated/server";
import { attemptAllowed, clearFailures, countFailure, recordAuthEvent, subjectHash } from "./lib/authAudit";
import { adminAction, adminMutation, identityMutation, internalAction, internalMutation, internalQuery, ownerQuery, publicQuery } from "./lib/functions";
import { sha256Hex } from "./lib/hash";
import { activeOwnerByToken, hasActiveOwner, requireOwner, type OwnerAccessError } from "./lib/owners";
import { DAY, LIMITS, vClaimCodePurpose, vOwnerRole, vOwnerStatus, type ClaimCodePurpose, type OwnerRole } from "./lib/validators";

/** How long a code can be redeemed: a claim code is meant for the next few minutes, an invitation for a week. */
export const CLAIM_CODE_TTL_MS = DAY;
export const INVITE_TTL_MS = 7 * DAY;

/** 32 random bytes, URL-safe base64 (43 characters). Only ever made in an action. */
function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const vOwnerRef = v.object({ ownerId: v.id("owners"), role: vOwnerRole, tokenIdentifier: v.string() });
const vAccessError = v.union(v.object({ kind: v.literal("NotSignedIn") }), v.object({ kind: v.literal("NotOwner") }), v.object({ kind: v.literal("NotAdmin") }));

/** The owner check of `ownerAction`/`adminAction`, run as a query because actions cannot read tables. */
export const guard = internalQuery({
  args: { role: vOwnerRole },
  returns: v.union(v.object({ ok: v.literal(true), owner: vOwnerRef }), v.object({ ok: v.literal(false), error: vAccessError })),
  handler: async (ctx, { role }) => {
    try {
      return { ok: true as const, owner: await requireOwner(ctx, role) };
    } catch (error) {
      if (error instanceof ConvexError) return { ok: false as const, error: error.data as OwnerAccessError };
      throw error;
    }
  },
});

export const me = publicQuery("answers only about the caller's own verified identity: whether it is an owner, and whether the deployment still waits for its first owner")({
  args: {},
  returns: v.object({
    signedIn: v.boolean(),
    owner: v.union(v.null(), v.object({ role: vOwnerRole, name: v.union(v.string(), v.null()) })),
    awaitingFirstOwner: v.boolean(),
  }),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return { signedIn: false, owner: null, awaitingFirstOwner: false };
    const row = await activeOwnerByToken(ctx, identity.tokenIdentifier);
    return {
      signedIn: true,
      owner: row === null ? null : { role: row.role, name: row.name ?? null },
      awaitingFirstOwner: row === null && !(await hasActiveOwner(ctx)),
    };
  },
});

const vClaimResult = v.union(
  v.object({ ok: v.literal(true), role: vOwnerRole }),
  v.object({ ok: v.literal(false), reason: v.union(v.literal("invalid"), v.literal("lockedOut")), retryAfterMs: v.optional(v.number()) }),
);

/**
 * Redeems a claim or invitation code for the signed-in identity. A refusal is returned, not thrown,
 * so that the failure count and the audit entry are kept; every refusal reads the same whatever was
 * wrong with the code (unknown, used, expired, revoked, or a claim code once an owner exists).
 */
export const redeem = identityMutation({
  args: { code: v.string() },
  returns: vClaimResult,
  handler: async (ctx, { code }) => {
    const now = Date.now();
    const { identity } = ctx;
    const subject = subjectHash(identity.tokenIdentifier);
    const allowed = await attemptAllowed(ctx, "claimCode", subject, now);
    if (!allowed.allowed) {
      await recordAuthEvent(ctx, { event: "claimCodeRejected", scope: "claimCode", subjectHash: subject, reason: "lockedOut" });
      return { ok: false as const, reason: "lockedOut" as const, retryAfterMs: allowed.retryAfterMs };
    }
    const row = code.length > 128 ? null : await ctx.db.query("ownerClaimCodes").withIndex("by_codeHash", (q) => q.eq("codeHash", sha256Hex(code))).unique();
    const usable = row !== null && row.usedAt === undefined && row.revokedAt === undefined && row.expiresAt > now && (row.purpose === "invite" || !(await hasActiveOwner(ctx)));
    if (!usable) return await refuseCode(ctx, subject, now);

    await clearFailures(ctx, "claimCode", subject);
    const existing = await activeOwnerByToken(ctx, identity.tokenIdentifier);
    // Already an owner: the code stays unspent for whoever it was meant for.
    if (existing !== null) return { ok: true as const, role: existing.role };
    const ownerId = await becomeOwner(ctx, identity, row.role, row.createdBy, now);
    await ctx.db.patch("ownerClaimCodes", row._id, { usedAt: now, usedBy: ownerId });
    await recordAuthEvent(ctx, { event: "claimCodeRedeemed", ownerId, ...(row.createdBy ? { actorOwnerId: row.createdBy } : {}), reason: row.purpose });
    await recordAuthEvent(ctx, { event: "ownerJoined", ownerId, ...(row.createdBy ? { actorOwnerId: row.createdBy } : {}) });
    return { ok: true as const, role: row.role };
  },
});

async function refuseCode(ctx: MutationCtx, subject: string, now: number) {
  const lockoutStarted = await countFailure(ctx, "claimCode", subject, now);
  await recordAuthEvent(ctx, { event: "claimCodeRejected", scope: "claimCode", subjectHash: subject, reason: "invalid" });
  await ctx.db.insert("securityEvents", { code: "AUTH_CLAIM_CODE_INVALID", severity: "medium", message: "An owner claim or invitation code was refused.", metadata: { subject: subject.slice(0, 12) } });
  if (lockoutStarted) {
    await recordAuthEvent(ctx, { event: "lockedOut", scope: "claimCode", subjectHash: subject });
    await ctx.db.insert("securityEvents", { code: "AUTH_LOCKED_OUT", severity: "high", message: "Too many refused owner codes: locked out for 5 minutes.", metadata: { subject: subject.slice(0, 12) } });
  }
  return { ok: false as const, reason: "invalid" as const };
}

/** Makes the identity an active owner, reusing its row if it was an owner before. */
async function becomeOwner(
  ctx: MutationCtx,
  identity: { tokenIdentifier: string; name?: string; email?: string },
  role: OwnerRole,
  invitedBy: Id<"owners"> | undefined,
  now: number,
): Promise<Id<"owners">> {
  const profile = {
    ...(identity.name ? { name: identity.name.slice(0, LIMITS.nameChars) } : {}),
    ...(identity.email ? { email: identity.email.slice(0, 320) } : {}),
  };
  const previous = await ctx.db
    .query("owners")
    .withIndex("by_tokenIdentifier", (q) => q.eq("tokenIdentifier", identity.tokenIdentifier))
    .unique();
  const row = { tokenIdentifier: identity.tokenIdentifier, role, status: "active" as const, ...profile, ...(invitedBy ? { invitedBy } : {}), joinedAt: now };
  if (previous === null) return await ctx.db.insert("owners", row);
  await ctx.db.replace("owners", previous._id, row);
  return previous._id;
}

/** Stores a new code's hash; the code itself leaves only through the action that made it. */
export const storeCode = internalMutation({
  args: { codeHash: v.string(), purpose: vClaimCodePurpose, role: vOwnerRole, ttlMs: v.number(), label: v.optional(v.string()), createdBy: v.optional(v.id("owners")) },
  returns: v.union(v.null(), v.object({ codeId: v.id("ownerClaimCodes"), expiresAt: v.number() })),
  handler: async (ctx, { codeHash, purpose, role, ttlMs, label, createdBy }) => {
    // A claim code only makes sense while nobody owns the deployment.
    if (purpose === "claim" && (await hasActiveOwner(ctx))) return null;
    const expiresAt = Date.now() + ttlMs;
    const codeId = await ctx.db.insert("ownerClaimCodes", { codeHash, purpose, role, expiresAt, ...(label ? { label: label.slice(0, LIMITS.nameChars) } : {}), ...(createdBy ? { createdBy } : {}) });
    await recordAuthEvent(ctx, { event: purpose === "claim" ? "claimCodeMinted" : "ownerInvited", ...(createdBy ? { actorOwnerId: createdBy } : {}), reason: purpose });
    return { codeId, expiresAt };
  },
});

async function mint(ctx: ActionCtx, purpose: ClaimCodePurpose, extra: { label?: string; createdBy?: Id<"owners"> } = {}): Promise<{ code: string; expiresAt: number } | null> {
  const code = newCode();
  // Typed here because this module's own functions are part of the generated api's type.
  const stored: { expiresAt: number } | null = await ctx.runMutation(internal.owners.storeCode, {
    codeHash: sha256Hex(code),
    purpose,
    role: purpose === "claim" ? "admin" : "owner",
    ttlMs: purpose === "claim" ? CLAIM_CODE_TTL_MS : INVITE_TTL_MS,
    ...extra,
  });
  return stored === null ? null : { code, expiresAt: stored.expiresAt };
}

const vMinted = v.union(v.null(), v.object({ code: v.string(), expiresAt: v.number() }));

/**
 * The first owner's claim code, for `npm start` to print or an operator to mint with the admin key
 * (`npx convex run owners:mintClaimCode`). Null once the deployment has an owner.
 */
export const mintClaimCode = internalAction({
  args: {},
  returns: vMinted,
  handler: async (ctx) => await mint(ctx, "claim"),
});

/** An invitation for one more owner, shown once to the admin who made it. */
export const invite = adminAction({
  args: { label: v.optional(v.string()) },
  returns: vMinted,
  handler: async (ctx, { label }) => await mint(ctx, "invite", { ...(label ? { label } : {}), createdBy: ctx.owner.ownerId }),
});

export const revokeInvite = adminMutation({
  args: { codeId: v.id("ownerClaimCodes") },
  returns: v.boolean(),
  handler: async (ctx, { codeId }) => {
    const row = await ctx.db.get("ownerClaimCodes", codeId);
    if (row === null || row.purpose !== "invite" || row.usedAt !== undefined || row.revokedAt !== undefined) return false;
    await ctx.db.patch("ownerClaimCodes", codeId, { revokedAt: Date.now() });
    await recordAuthEvent(ctx, { event: "claimCodeRevoked", actorOwnerId: ctx.owner.ownerId });
    return true;
  },
});

/** Removes an owner. An admin cannot remove themself, so the deployment always keeps an admin. */
export const remove = adminMutation({
  args: { ownerId: v.id("owners") },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), reason: v.union(v.literal("notFound"), v.literal("self")) })),
  handler: async (ctx, { ownerId }) => {
    if (ownerId === ctx.owner.ownerId) return { ok: false as const, reason: "self" as const };
    const row = await ctx.db.get("owners", ownerId);
    if (row === null || row.status !== "active") return { ok: false as const, reason: "notFound" as const };
    await ctx.db.patch("owners", ownerId, { status: "removed", removedAt: Date.now(), removedBy: ctx.owner.ownerId });
    await recordAuthEvent(ctx, { event: "ownerRemoved", ownerId, actorOwnerId: ctx.owner.ownerId });
    return { ok: true as const };
  },
});

const vOwnerListing = v.object({
  ownerId: v.id("owners"),
  name: v.union(v.string(), v.null()),
  email: v.union(v.string(), v.null()),
  role: vOwnerRole,
  status: vOwnerStatus,
  joinedAt: v.number(),
  isYou: v.boolean(),
});

/** The owners page: every owner (a small table), and open invitations without their codes. */
export const list = ownerQuery({
  args: {},
  returns: v.object({
    owners: v.array(vOwnerListing),
    invites: v.array(v.object({ codeId: v.id("ownerClaimCodes"), label: v.union(v.string(), v.null()), expiresAt: v.number() })),
  }),
  handler: async (ctx) => {
    const owners = await ctx.db.query("owners").withIndex("by_status").take(100);
    const now = Date.now();
    const open = await ctx.db
      .query("ownerClaimCodes")
      .withIndex("by_expiresAt", (q) => q.gt("expiresAt", now))
      .take(100);
    const toListing = (row: Doc<"owners">) => ({
      ownerId: row._id,
      name: row.name ?? null,
      email: row.email ?? null,
      role: row.role,
      status: row.status,
      joinedAt: row.joinedAt,
      isYou: row._id === ctx.owner.ownerId,
    });
    return {
      owners: owners.map(toListing),
      invites: open
        .filter((row) => row.purpose === "invite" && row.usedAt === undefined && row.revokedAt === undefined)
        .map((row) => ({ codeId: row._id, label: row.label ?? null, expiresAt: row.expiresAt })),
    };
  },
});
