// Code skills and templates reach the database from code: a code skill registers as pending and
// inactive, a changed declaration goes back to review, a removed module cannot run; review
// requests past the hourly limit are batched, never dropped.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { internal } from "../../convex/_generated/api";
import { requestApproval } from "../../convex/approvals";
import { checkSchemaDocument } from "../../convex/security/jsonSchema";
import { CODE_SKILLS } from "../../convex/skills/code";
import { TEMPLATES } from "../../convex/skills/templates/registry";
import { newDeployment } from "./setup";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the skill registry", () => {
  it("registers the site search skill as pending and inactive, with its declared permissions", async () => {
    const t = newDeployment();
    expect(await t.mutation(internal.skills.registry.sync, {})).toMatchObject({ registered: 1, changed: 0, missing: 0 });
    const skill = await t.run(async (ctx) => await ctx.db.query("skills").withIndex("by_name", (q) => q.eq("name", "site_search")).unique());
    expect(skill).toMatchObject({
      type: "code",
      approvalStatus: "pending",
      status: "inactive",
      configVersion: 1,
      code: { module: "siteSearch", allowedDomains: ["api.search.brave.com"], secretNames: ["BRAVE_SEARCH_API_KEY"], requiresApproval: true },
    });
    const requests = await t.run(async (ctx) => await ctx.db.query("approvalRequests").collect());
    expect(requests).toMatchObject([{ subject: "skill", skillId: skill!._id, reason: "registered", status: "pending", requestedBy: "system" }]);
  });

  it("changes nothing when run again with the same code", async () => {
    const t = newDeployment();
    await t.mutation(internal.skills.registry.sync, {});
    const before = await t.run(async (ctx) => ({ skills: await ctx.db.query("skills").collect(), templates: await ctx.db.query("skillTemplates").collect() }));
    expect(await t.mutation(internal.skills.registry.sync, {})).toEqual({ templates: 0, registered: 0, changed: 0, missing: 0 });
    expect(await t.run(async (ctx) => ({ skills: await ctx.db.query("skills").collect(), templates: await ctx.db.query("skillTemplates").collect() }))).toEqual(before);
  });

  it("sends an approved code skill back to review when its declaration changes", async () => {
    const t = newDeployment();
    await t.mutation(internal.skills.registry.sync, {});
    // As if an owner approved it, then a deploy widened what the code declares.
    await t.run(async (ctx) => {
      const skill = (await ctx.db.query("skills").withIndex("by_name", (q) => q.eq("name", "site_search")).unique())!;
      await ctx.db.patch("skills", skill._id, { approvalStatus: "approved", approvedConfigVersion: 1, status: "active", code: { ...skill.code!, metaHash: "an older declaration" } });
    });
    expect(await t.mutation(internal.skills.registry.sync, {})).toMatchObject({ changed: 1 });
    const skill = await t.run(async (ctx) => await ctx.db.query("skills").withIndex("by_name", (q) => q.eq("name", "site_search")).unique());
    expect(skill).toMatchObject({ approvalStatus: "pending", configVersion: 2, approvedConfigVersion: 1 });
    const requests = await t.run(async (ctx) => await ctx.db.query("approvalRequests").collect());
    expect(requests.map((r) => [r.reason, r.status])).toEqual([
      ["registered", "superseded"],
      ["permissionsChanged", "pending"],
    ]);
  });

  it("marks a code skill whose module left the deployment, so it cannot run", async () => {
    const t = newDeployment();
    await t.run(async (ctx) => {
      await ctx.db.insert("skills", {
        name: "old_skill",
        displayName: "Old",
        description: "Removed from the code.",
        type: "code",
        approvalStatus: "approved",
        status: "active",
        configVersion: 1,
        approvedConfigVersion: 1,
        inputSchemaJson: "{}",
        code: { module: "removedModule", metaHash: "h", allowedDomains: [], secretNames: [], requiresApproval: true },
        timeoutMs: 10_000,
        maxOutputBytes: 1000,
        updatedAt: 0,
      });
    });
    expect(await t.mutation(internal.skills.registry.sync, {})).toMatchObject({ missing: 1 });
    const old = await t.run(async (ctx) => await ctx.db.query("skills").withIndex("by_name", (q) => q.eq("name", "old_skill")).unique());
    expect(old).toMatchObject({ status: "inactive", code: { missingSince: expect.any(Number) } });
  });

  it("writes one catalogue row per template the code defines", async () => {
    const t = newDeployment();
    await t.mutation(internal.skills.registry.sync, {});
    const rows = await t.run(async (ctx) => await ctx.db.query("skillTemplates").collect());
    expect(rows.map((row) => row.key).sort()).toEqual(Object.keys(TEMPLATES).sort());
    const calculator = rows.find((row) => row.key === "calculator")!;
    expect(JSON.parse(calculator.inputSchemaJson)).toEqual(TEMPLATES.calculator!.inputSchema);
  });
});

describe("shipped declarations", () => {
  it.each([
    ...Object.entries(TEMPLATES).flatMap(([key, template]) => [
      [`template ${key} config`, template.configSchema],
      [`template ${key} input`, template.inputSchema],
    ]),
    ...Object.entries(CODE_SKILLS).map(([key, skill]) => [`code skill ${key} input`, skill.skillMeta.inputSchema]),
  ])("%s schema passes the checker's schema rules", (_name, schema) => {
    expect(checkSchemaDocument(JSON.stringify(schema))).toMatchObject({ ok: true });
  });
});

describe("review requests", () => {
  it("are batched past the hourly limit, never dropped, with one event for the batch", async () => {
    const t = newDeployment();
    const skillIds = await t.run(async (ctx) => {
      const ids = [];
      for (let i = 0; i < 13; i++) {
        ids.push(
          await ctx.db.insert("skills", {
            name: `skill_${i}`,
            displayName: `Skill ${i}`,
            description: "d",
            type: "template",
            approvalStatus: "pending",
            status: "inactive",
            configVersion: 1,
            inputSchemaJson: "{}",
            template: { templateKey: "calculator", configJson: "{}", templateVersion: 1 },
            timeoutMs: 10_000,
            maxOutputBytes: 1000,
            updatedAt: 0,
          }),
        );
      }
      return ids;
    });
    for (const skillId of skillIds) await t.run(async (ctx) => void (await requestApproval(ctx, { subject: "skill", skillId }, "created", "owner")));
    const { requests, batches, events } = await t.run(async (ctx) => ({
      requests: await ctx.db.query("approvalRequests").collect(),
      batches: await ctx.db.query("approvalBatches").collect(),
      events: await ctx.db.query("securityEvents").collect(),
    }));
    expect(requests).toHaveLength(13);
    expect(requests.every((r) => r.status === "pending")).toBe(true);
    expect(requests.filter((r) => r.batchId === undefined)).toHaveLength(10);
    expect(batches).toMatchObject([{ status: "open", itemCount: 3 }]);
    expect(requests.slice(10).every((r) => r.batchId === batches[0]._id)).toBe(true);
    expect(events.map((e) => e.code)).toEqual(["APPROVALS_BATCHED"]);
  });
});
