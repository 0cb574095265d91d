// Skill secrets in the database: encrypted envelopes only, masked to the last 4 characters, read
// only for their own skill, and re-encrypted under a new key by the rotation job.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
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
    expect(await t.action(internal.skillSecrets.rotate, {})).toEqual({ reencrypted: 1, failed: 0, more: false });
    const after = (await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect()))[0];
    expect(after.keyId).not.toBe(before.keyId);
    // With the old key gone the secret still reads.
    delete process.env.SKILL_SECRET_ENCRYPTION_KEY_PREVIOUS;
    expect(await readSkillSecrets(await t.query(internal.skillSecrets.envelopesFor, { skillId, names: ["API_TOKEN"] }), skillId)).toEqual(new Map([["API_TOKEN", SECRET]]));
  });
});
