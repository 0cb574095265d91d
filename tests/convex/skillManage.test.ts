// Owners' skill operations enforce the checker's preconditions on the server: template config
// against the template's configSchema, webhook URLs with a fixed public host, allowlist entries as
// plain host names, and any change sending the skill back to review before it can run again.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

async function owner(t: Deployment): Promise<Id<"owners">> {
  return await t.run(async (ctx) => await ctx.db.insert("owners", { tokenIdentifier: "test|owner", role: "admin", status: "active", joinedAt: Date.now() }));
}

const calculator = (ownerId: Id<"owners">, configJson = '{"precision": 2}') => ({
  name: "calc",
  displayName: "Calculator",
  description: "Does sums.",
  templateKey: "calculator" as const,
  configJson,
  ownerId,
});

async function invoke(t: Deployment, input: object) {
  return await t.action(internal.skills.runner.invoke, { skillName: "calc", inputJson: JSON.stringify(input), caller: { kind: "system" }, channel: "syncboard", dryRun: true });
}

describe("template skills", () => {
  it("are created pending with a review request, and run only once approved", async () => {
    const t = newDeployment();
    const ownerId = await owner(t);
    const skillId = await t.mutation(internal.skills.manage.createTemplateSkill, calculator(ownerId));
    expect(await invoke(t, { expression: "1/3" })).toMatchObject({ ok: false, code: "SKILL_NOT_APPROVED" });
    await t.mutation(internal.skills.manage.approve, { skillId, ownerId, activate: true });
    expect(await invoke(t, { expression: "1/3" })).toEqual({ ok: true, output: "0.33" });
    const requests = await t.run(async (ctx) => await ctx.db.query("approvalRequests").collect());
    expect(requests).toMatchObject([{ skillId, reason: "created", status: "approved", decidedBy: ownerId }]);
  });

  it.each([
    ["not JSON", "{precision:"],
    ["a field the template does not have", '{"precision": 2, "url": "https://evil.example"}'],
    ["a value out of range", '{"precision": 99}'],
    ["the wrong type", '{"precision": "two"}'],
  ])("refuse a config that is %s, storing nothing", async (_name, configJson) => {
    const t = newDeployment();
    const ownerId = await owner(t);
    await expect(t.mutation(internal.skills.manage.createTemplateSkill, calculator(ownerId, configJson))).rejects.toThrow(/configuration/);
    expect(await t.run(async (ctx) => await ctx.db.query("skills").collect())).toEqual([]);
  });

  it("go back to review when their config changes, and the old approval no longer runs them", async () => {
    const t = newDeployment();
    const ownerId = await owner(t);
    const skillId = await t.mutation(internal.skills.manage.createTemplateSkill, calculator(ownerId));
    await t.mutation(internal.skills.manage.approve, { skillId, ownerId, activate: true });
    expect(await t.mutation(internal.skills.manage.updateTemplateConfig, { skillId, configJson: '{"precision": 0}', ownerId })).toBe(2);
    expect(await invoke(t, { expression: "1/3" })).toMatchObject({ ok: false, code: "SKILL_NOT_APPROVED" });
    await t.mutation(internal.skills.manage.approve, { skillId, ownerId, activate: false });
    expect(await invoke(t, { expression: "1/3" })).toEqual({ ok: true, output: "0" });
    await expect(t.mutation(internal.skills.manage.updateTemplateConfig, { skillId, configJson: '{"precision": -1}', ownerId })).rejects.toThrow();
    expect((await t.run(async (ctx) => await ctx.db.get("skills", skillId)))!.configVersion).toBe(2);
  });
});

describe("webhook skills", () => {
  const webhook = (urlTemplate: string) => ({
    method: "GET" as const,
    urlTemplate,
    headers: [],
    responseFormat: "json" as const,
  });

  it.each([
    ["plain http", "http://api.example.com/x"],
    ["a placeholder in the host", "https://{host}/x"],
    ["an IP address", "https://169.254.169.254/latest"],
    ["an internal name", "https://metadata.google.internal/x"],
    ["a port", "https://api.example.com:8443/x"],
    ["credentials", "https://user:pass@api.example.com/x"],
  ])("refuse a URL template with %s", async (_name, urlTemplate) => {
    const t = newDeployment();
    const ownerId = await owner(t);
    await expect(
      t.mutation(internal.skills.manage.createWebhookSkill, { name: "hook", displayName: "Hook", description: "d", ownerId, webhook: webhook(urlTemplate), inputSchemaJson: '{"type":"object"}' }),
    ).rejects.toThrow();
    expect(await t.run(async (ctx) => await ctx.db.query("skills").collect())).toEqual([]);
  });

  it("accept a fixed public host with placeholders in the path and query", async () => {
    const t = newDeployment();
    const ownerId = await owner(t);
    const skillId = await t.mutation(internal.skills.manage.createWebhookSkill, {
      name: "hook",
      displayName: "Hook",
      description: "d",
      ownerId,
      webhook: webhook("https://api.example.com/v1/{id}?q={q}"),
      inputSchemaJson: '{"type":"object","properties":{"id":{"type":"string"},"q":{"type":"string"}}}',
    });
    expect(await t.run(async (ctx) => await ctx.db.get("skills", skillId))).toMatchObject({ approvalStatus: "pending", status: "inactive" });
  });
});

describe("the domain allowlist", () => {
  it.each(["*.example.com", "https://api.example.com", "api.example.com:443", "api.example.com/path", "127.0.0.1", "API.EXAMPLE.COM", "localhost", ""])(
    "refuses %j",
    async (hostname) => {
      const t = newDeployment();
      const ownerId = await owner(t);
      await expect(t.mutation(internal.skills.manage.allowDomain, { hostname, ownerId })).rejects.toThrow(/host name/);
      expect(await t.run(async (ctx) => await ctx.db.query("domainAllowlist").collect())).toEqual([]);
    },
  );

  it("adds a plain host name once, as the owner's explicit action", async () => {
    const t = newDeployment();
    const ownerId = await owner(t);
    const first = await t.mutation(internal.skills.manage.allowDomain, { hostname: "api.example.com", ownerId });
    expect(await t.mutation(internal.skills.manage.allowDomain, { hostname: "api.example.com", ownerId })).toBe(first);
    expect(await t.run(async (ctx) => await ctx.db.query("domainAllowlist").collect())).toMatchObject([{ hostname: "api.example.com", addedBy: ownerId }]);
  });
});
