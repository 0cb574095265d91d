// Owners: the first owner claims the deployment with a single-use code, an admin invites and removes
// owners, wrong codes lock an identity out for five minutes after ten a minute, and every step is in
// the auth audit log. The attacks: a used, forged, expired or revoked code, guessing, a non-admin
// inviting, a removed owner carrying on.
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const as = (t: Deployment, subject: string) => t.withIdentity({ subject, issuer: "https://idp.test", name: `Person ${subject}` });

async function mintClaim(t: Deployment): Promise<string> {
  const minted = await t.action(internal.owners.mintClaimCode, {});
  expect(minted).not.toBeNull();
  return minted!.code;
}

async function auditEvents(t: Deployment) {
  return await t.run(async (ctx) => (await ctx.db.query("authAuditLog").collect()).map((row) => row.event));
}

async function owners(t: Deployment) {
  return await t.run(async (ctx) => (await ctx.db.query("owners").collect()).map(({ tokenIdentifier, role, status }) => ({ tokenIdentifier, role, status })));
}

function refusalKind(error: unknown): string | undefined {
  return error instanceof ConvexError ? (error.data as { kind?: string }).kind : undefined;
}

async function kindOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return refusalKind(error);
  }
}

describe("claiming the deployment", () => {
  it("makes the first identity to redeem the claim code the admin owner, and the code works once", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    expect(await as(t, "ada").query(api.owners.me, {})).toEqual({ signedIn: true, owner: null, awaitingFirstOwner: true });
    expect(await as(t, "ada").mutation(api.owners.redeem, { code })).toEqual({ ok: true, role: "admin" });
    expect(await as(t, "ada").query(api.owners.me, {})).toEqual({ signedIn: true, owner: { role: "admin", name: "Person ada" }, awaitingFirstOwner: false });
    // The same code a second time, by someone else: refused, and nobody else became an owner.
    expect(await as(t, "eve").mutation(api.owners.redeem, { code })).toEqual({ ok: false, reason: "invalid" });
    expect(await owners(t)).toEqual([{ tokenIdentifier: "https://idp.test|ada", role: "admin", status: "active" }]);
    expect(await auditEvents(t)).toEqual(["claimCodeMinted", "claimCodeRedeemed", "ownerJoined", "claimCodeRejected"]);
  });

  it("stores only the code's hash", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    const rows = await t.run(async (ctx) => JSON.stringify(await ctx.db.query("ownerClaimCodes").collect()));
    expect(rows).not.toContain(code);
  });

  it("mints no claim code once the deployment has an owner", async () => {
    const t = newDeployment();
    await as(t, "ada").mutation(api.owners.redeem, { code: await mintClaim(t) });
    expect(await t.action(internal.owners.mintClaimCode, {})).toBeNull();
  });

  it("refuses a claim code left over from before the first owner", async () => {
    const t = newDeployment();
    const first = await mintClaim(t);
    const second = await mintClaim(t);
    await as(t, "ada").mutation(api.owners.redeem, { code: first });
    expect(await as(t, "eve").mutation(api.owners.redeem, { code: second })).toEqual({ ok: false, reason: "invalid" });
    expect((await owners(t)).map((owner) => owner.tokenIdentifier)).toEqual(["https://idp.test|ada"]);
  });

  it("refuses an expired code", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000 + 1);
    expect(await as(t, "ada").mutation(api.owners.redeem, { code })).toEqual({ ok: false, reason: "invalid" });
    expect(await owners(t)).toEqual([]);
  });

  it("refuses an anonymous caller before looking at the code", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    expect(await kindOf(t.mutation(api.owners.redeem, { code }))).toBe("NotSignedIn");
    expect(await owners(t)).toEqual([]);
  });
});

describe("guessing codes", () => {
  it("locks an identity out after 10 wrong codes in a minute, even for the right code, and lets it in after 5 minutes", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    const mallory = as(t, "mallory");
    for (let i = 0; i < 10; i++) expect(await mallory.mutation(api.owners.redeem, { code: `guess-${i}` })).toEqual({ ok: false, reason: "invalid" });
    const locked = await mallory.mutation(api.owners.redeem, { code });
    expect(locked).toMatchObject({ ok: false, reason: "lockedOut" });
    expect((locked as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(4 * 60 * 1000);
    expect(await owners(t)).toEqual([]);
    const events = await t.run(async (ctx) => (await ctx.db.query("securityEvents").collect()).map((row) => row.code));
    expect(events.filter((code) => code === "AUTH_CLAIM_CODE_INVALID")).toHaveLength(10);
    expect(events.filter((code) => code === "AUTH_LOCKED_OUT")).toHaveLength(1);
    expect((await auditEvents(t)).filter((event) => event === "lockedOut")).toHaveLength(1);
    // The lockout is mallory's alone, and it ends after five minutes.
    vi.advanceTimersByTime(5 * 60 * 1000);
    expect(await mallory.mutation(api.owners.redeem, { code })).toEqual({ ok: true, role: "admin" });
  });

  it("does not lock out anyone else while one identity is locked out", async () => {
    const t = newDeployment();
    const code = await mintClaim(t);
    for (let i = 0; i < 10; i++) await as(t, "mallory").mutation(api.owners.redeem, { code: `guess-${i}` });
    expect(await as(t, "mallory").mutation(api.owners.redeem, { code })).toMatchObject({ reason: "lockedOut" });
    expect(await as(t, "ada").mutation(api.owners.redeem, { code })).toEqual({ ok: true, role: "admin" });
  });

  it("keeps no identity in the audit log or lockout table, only keyed hashes", async () => {
    const t = newDeployment();
    await mintClaim(t);
    await as(t, "mallory").mutation(api.owners.redeem, { code: "wrong" });
    const stored = await t.run(async (ctx) => JSON.stringify([await ctx.db.query("authAuditLog").collect(), await ctx.db.query("authLockouts").collect()]));
    expect(stored).not.toContain("mallory");
  });
});

describe("inviting and removing owners", () => {
  async function withAdmin() {
    const t = newDeployment();
    await as(t, "ada").mutation(api.owners.redeem, { code: await mintClaim(t) });
    return t;
  }

  it("lets an admin invite an owner, who joins with the code once", async () => {
    const t = await withAdmin();
    const invite = await as(t, "ada").action(api.owners.invite, { label: "for Bob" });
    expect(invite).not.toBeNull();
    expect(await as(t, "bob").mutation(api.owners.redeem, { code: invite!.code })).toEqual({ ok: true, role: "owner" });
    expect(await as(t, "carol").mutation(api.owners.redeem, { code: invite!.code })).toEqual({ ok: false, reason: "invalid" });
    const listing = await as(t, "bob").query(api.owners.list, {});
    expect(listing.owners.map(({ name, role, isYou }) => ({ name, role, isYou }))).toEqual([
      { name: "Person ada", role: "admin", isYou: false },
      { name: "Person bob", role: "owner", isYou: true },
    ]);
    expect(await auditEvents(t)).toEqual(expect.arrayContaining(["ownerInvited", "claimCodeRedeemed", "ownerJoined"]));
  });

  it("refuses invitations from an owner who is not an admin, and owner functions to everyone else", async () => {
    const t = await withAdmin();
    const invite = await as(t, "ada").action(api.owners.invite, {});
    await as(t, "bob").mutation(api.owners.redeem, { code: invite!.code });
    expect(await kindOf(as(t, "bob").action(api.owners.invite, {}))).toBe("NotAdmin");
    expect(await kindOf(as(t, "stranger").query(api.owners.list, {}))).toBe("NotOwner");
    expect(await kindOf(t.query(api.owners.list, {}))).toBe("NotSignedIn");
    expect(await kindOf(t.action(api.owners.invite, {}))).toBe("NotSignedIn");
  });

  it("removes an owner, who is refused at once, and never lets an admin remove themself", async () => {
    const t = await withAdmin();
    const invite = await as(t, "ada").action(api.owners.invite, {});
    await as(t, "bob").mutation(api.owners.redeem, { code: invite!.code });
    const bobId = (await as(t, "bob").query(api.owners.list, {})).owners.find((owner) => owner.isYou)!.ownerId;
    const adaId = (await as(t, "ada").query(api.owners.list, {})).owners.find((owner) => owner.isYou)!.ownerId;
    expect(await as(t, "ada").mutation(api.owners.remove, { ownerId: adaId })).toEqual({ ok: false, reason: "self" });
    expect(await as(t, "ada").mutation(api.owners.remove, { ownerId: bobId })).toEqual({ ok: true });
    expect(await kindOf(as(t, "bob").query(api.owners.list, {}))).toBe("NotOwner");
    expect(await as(t, "bob").query(api.owners.me, {})).toMatchObject({ owner: null, awaitingFirstOwner: false });
    expect(await auditEvents(t)).toContain("ownerRemoved");
  });

  it("refuses a revoked invitation", async () => {
    const t = await withAdmin();
    await as(t, "ada").action(api.owners.invite, {});
    const { invites } = await as(t, "ada").query(api.owners.list, {});
    expect(invites).toHaveLength(1);
    const code = await as(t, "ada").action(api.owners.invite, {});
    const listed = (await as(t, "ada").query(api.owners.list, {})).invites;
    for (const { codeId } of listed) expect(await as(t, "ada").mutation(api.owners.revokeInvite, { codeId })).toBe(true);
    expect(await as(t, "bob").mutation(api.owners.redeem, { code: code!.code })).toEqual({ ok: false, reason: "invalid" });
    expect((await as(t, "ada").query(api.owners.list, {})).invites).toEqual([]);
  });
});
