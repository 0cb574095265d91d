// The auth audit log (finding LOW-03) and the lockout counters it sits beside. Subjects (identities)
// are stored only as keyed hashes, so the tables say "the same subject failed ten times" without
// holding who it was.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

import type { Id } from "../_generated/dataModel";
import { env, type MutationCtx } from "../_generated/server";
import { AUTH_BRUTE_FORCE_POLICY, decideAttempt, recordFailureAt, type AttemptDecision, type FailureRecord } from "../security/lockout";
import type { AuthEvent, AuthScope } from "./validators";

const encoder = new TextEncoder();

/**
 * A keyed hash of a subject. The key is the deployment's encryption key when it is set, so a copy of
 * the tables alone cannot be matched against known identities.
 */
export function subjectHash(subject: string): string {
  const key = encoder.encode(`clawsync-auth-subject|${env.SKILL_SECRET_ENCRYPTION_KEY ?? ""}`);
  return bytesToHex(hmac(sha256, key, encoder.encode(subject)));
}

export async function recordAuthEvent(
  ctx: MutationCtx,
  entry: { event: AuthEvent; ownerId?: Id<"owners">; actorOwnerId?: Id<"owners">; scope?: AuthScope; subjectHash?: string; reason?: string },
): Promise<void> {
  await ctx.db.insert("authAuditLog", entry);
}

async function lockoutRow(ctx: MutationCtx, scope: AuthScope, subject: string) {
  return await ctx.db
    .query("authLockouts")
    .withIndex("by_scope_and_subject", (q) => q.eq("scope", scope).eq("subjectHash", subject))
    .unique();
}

/** Whether the subject may attempt now (refused only while a lockout runs). */
export async function attemptAllowed(ctx: MutationCtx, scope: AuthScope, subject: string, now: number): Promise<AttemptDecision> {
  const row = await lockoutRow(ctx, scope, subject);
  return decideAttempt(row === null ? undefined : { windowStartMs: row.windowStartedAt, failures: row.failures, lockedUntilMs: row.lockedUntil ?? null }, now);
}

/** Counts one failure; true when this failure started a lockout. */
export async function countFailure(ctx: MutationCtx, scope: AuthScope, subject: string, now: number): Promise<boolean> {
  const row = await lockoutRow(ctx, scope, subject);
  const before: FailureRecord | undefined = row === null ? undefined : { windowStartMs: row.windowStartedAt, failures: row.failures, lockedUntilMs: row.lockedUntil ?? null };
  const after = recordFailureAt(before, now, AUTH_BRUTE_FORCE_POLICY);
  const fields = {
    failures: after.failures,
    windowStartedAt: after.windowStartMs,
    ...(after.lockedUntilMs !== null ? { lockedUntil: after.lockedUntilMs } : {}),
    expiresAt: Math.max(after.windowStartMs + AUTH_BRUTE_FORCE_POLICY.windowMs, after.lockedUntilMs ?? 0),
  };
  if (row === null) await ctx.db.insert("authLockouts", { scope, subjectHash: subject, ...fields });
  else await ctx.db.replace("authLockouts", row._id, { scope, subjectHash: subject, ...fields });
  return after.lockedUntilMs !== null && before?.lockedUntilMs == null;
}

/** Forgets the subject's failures after a success. */
export async function clearFailures(ctx: MutationCtx, scope: AuthScope, subject: string): Promise<void> {
  const row = await lockoutRow(ctx, scope, subject);
  if (row !== null) await ctx.db.delete("authLockouts", row._id);
}
