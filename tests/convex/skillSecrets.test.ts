// Encrypted secrets in the database (skill and channel secrets): envelopes only, masked to the last
// 4 characters, read only for their own row's owner, and re-encrypted under a new key by the
// rotation job.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { readChannelSecret } from "../../convex/channelSecrets";
import { readSkillSecrets } from "../../convex/skillSecrets";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

/** A random 32-byte key as base64, made at run time (no key is written in this file). */
function newKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

const SECRET = ["sk", "test", "canary", "9f8e7d6c5b4a3210"].join("-");

beforeEach(() => {
  process.env.SKILL_SECRET_ENCRYPTION_KEY = newKey();
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS;
});
afterEach(() => {
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS;
});

async function twoSkills(t: Deployment): Promise<[Id<"skills">, Id<"skills">]> {
  return await t.run(async (ctx) => {
    const make = async (name: string) =>
      await ctx.db.insert("skills", {
        name,
        displayName: name,
        description: "d",
        type: "webhook",
        approvalStatus: "approved",
        status: "active",
        configVersion: 1,
        approvedConfigVersion: 1,
        inputSchemaJson: "{}",
        webhook: { method: "GET", urlTemplate: "https://api.example.com/", headers: [], responseFormat: "text" },
        timeoutMs: 10_000,
        maxOutputBytes: 1000,
        updatedAt: 0,
      });
    return [await make("one"), await make("two")];
  });
}

describe("skill secrets", () => {
  it("are stored only as an envelope, shown only as their last 4 characters", async () => {
    const t = newDeployment();
    const [skillId] = await twoSkills(t);
    expect(await t.action(internal.skillSecrets.set, { skillId, name: "API_TOKEN", value: SECRET })).toEqual({ name: "API_TOKEN", last4: "3210" });
    const rows = await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect());
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(JSON.stringify(rows)).not.toContain("9f8e7d6c");
    expect(rows[0]).toMatchObject({ alg: "AES-256-GCM", last4: "3210" });
    expect(await t.query(internal.skillSecrets.listMasked, { skillId })).toEqual([{ name: "API_TOKEN", last4: "3210", updatedAt: expect.any(Number) }]);
  });

  it("decrypt only for the skill they belong to", async () => {
    const t = newDeployment();
    const [one, two] = await twoSkills(t);
    await t.action(internal.skillSecrets.set, { skillId: one, name: "API_TOKEN", value: SECRET });
    const own = await t.query(internal.skillSecrets.envelopesFor, { skillId: one, names: ["API_TOKEN"] });
    expect(await readSkillSecrets(own, one)).toEqual(new Map([["API_TOKEN", SECRET]]));
    // Another skill asking for the same name gets nothing from the store...
    expect(await t.query(internal.skillSecrets.envelopesFor, { skillId: two, names: ["API_TOKEN"] })).toEqual([]);
    // ...and an envelope copied to it does not decrypt: the row is bound into the ciphertext.
    expect(await readSkillSecrets(own, two)).toEqual(new Map());
  });

  it("refuse to store anything without a valid encryption key", async () => {
    const t = newDeployment();
    const [skillId] = await twoSkills(t);
    process.env.SKILL_SECRET_ENCRYPTION_KEY = "changeme";
    await expect(t.action(internal.skillSecrets.set, { skillId, name: "API_TOKEN", value: SECRET })).rejects.toThrow(/SKILL_SECRET_ENCRYPTION_KEY/);
    expect(await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect())).toEqual([]);
  });

  it.each([
    ["a lower-case name", "api_token", SECRET],
    ["an empty value", "API_TOKEN", ""],
    ["an oversized value", "API_TOKEN", "x".repeat(8193)],
  ])("refuse %s and store nothing", async (_name, name, value) => {
    const t = newDeployment();
    const [skillId] = await twoSkills(t);
    await expect(t.action(internal.skillSecrets.set, { skillId, name, value })).rejects.toThrow();
    expect(await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect())).toEqual([]);
  });

  it("are re-encrypted under a new key by the rotation job, and readable throughout", async () => {
    const t = newDeployment();
    const [skillId] = await twoSkills(t);
    const oldKey = process.env.SKILL_SECRET_ENCRYPTION_KEY!;
    await t.action(internal.skillSecrets.set, { skillId, name: "API_TOKEN", value: SECRET });
    const before = (await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect()))[0];
    process.env.SKILL_SECRET_ENCRYPTION_KEY = newKey();
    process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS = oldKey;
    // During the rotation both keys decrypt.
    expect(await readSkillSecrets(await t.query(internal.skillSecrets.envelopesFor, { skillId, names: ["API_TOKEN"] }), skillId)).toEqual(new Map([["API_TOKEN", SECRET]]));
    expect(await t.action(internal.secretRotation.rotate, {})).toEqual({ reencrypted: 1, failed: 0, more: false });
    const after = (await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect()))[0];
    expect(after.keyId).not.toBe(before.keyId);
    // With the old key gone the secret still reads.
    delete process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS;
    expect(await readSkillSecrets(await t.query(internal.skillSecrets.envelopesFor, { skillId, names: ["API_TOKEN"] }), skillId)).toEqual(new Map([["API_TOKEN", SECRET]]));
  });
});

describe("channel secrets", () => {
  async function channels(t: Deployment): Promise<[Id<"channelConfig">, Id<"channelConfig">]> {
    return await t.run(async (ctx) => {
      const slack = await ctx.db.insert("channelConfig", { platform: "slack", enabled: true, settings: { platform: "slack" }, accessPolicy: "open", updatedAt: 0 });
      const telegram = await ctx.db.insert("channelConfig", { platform: "telegram", enabled: true, settings: { platform: "telegram" }, accessPolicy: "open", updatedAt: 0 });
      return [slack, telegram];
    });
  }

  it("are stored encrypted and masked, and read back only for their own channel", async () => {
    const t = newDeployment();
    const [slack, telegram] = await channels(t);
    expect(await t.action(internal.channelSecrets.set, { channelId: slack, name: "SLACK_SIGNING_SECRET", value: SECRET })).toEqual({ name: "SLACK_SIGNING_SECRET", last4: "3210" });
    const rows = await t.run(async (ctx) => await ctx.db.query("channelSecrets").collect());
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(await t.query(internal.channelSecrets.listMasked, { channelId: slack })).toMatchObject([{ name: "SLACK_SIGNING_SECRET", last4: "3210" }]);
    const envelope = await t.query(internal.channelSecrets.envelopeFor, { channelId: slack, name: "SLACK_SIGNING_SECRET" });
    expect(await readChannelSecret(slack, "SLACK_SIGNING_SECRET", envelope)).toBe(SECRET);
    // The same envelope presented for another channel does not decrypt.
    expect(await readChannelSecret(telegram, "SLACK_SIGNING_SECRET", envelope)).toBeUndefined();
  });

  it("refuse a secret name of another platform, storing nothing", async () => {
    const t = newDeployment();
    const [slack] = await channels(t);
    await expect(t.action(internal.channelSecrets.set, { channelId: slack, name: "TELEGRAM_BOT_TOKEN", value: SECRET })).rejects.toThrow(/not a secret of a slack channel/);
    expect(await t.run(async (ctx) => await ctx.db.query("channelSecrets").collect())).toEqual([]);
  });

  it("are re-encrypted by the same rotation job as skill secrets", async () => {
    const t = newDeployment();
    const [slack] = await channels(t);
    const [skillId] = await twoSkills(t);
    const oldKey = process.env.SKILL_SECRET_ENCRYPTION_KEY!;
    await t.action(internal.channelSecrets.set, { channelId: slack, name: "SLACK_BOT_TOKEN", value: SECRET });
    await t.action(internal.skillSecrets.set, { skillId, name: "API_TOKEN", value: SECRET });
    process.env.SKILL_SECRET_ENCRYPTION_KEY = newKey();
    process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS = oldKey;
    expect(await t.action(internal.secretRotation.rotate, {})).toEqual({ reencrypted: 2, failed: 0, more: false });
    delete process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS;
    const envelope = await t.query(internal.channelSecrets.envelopeFor, { channelId: slack, name: "SLACK_BOT_TOKEN" });
    expect(await readChannelSecret(slack, "SLACK_BOT_TOKEN", envelope)).toBe(SECRET);
  });
});
