// The always-on security checker on skill invocations: every check refuses with its own code, a
// refused call changes nothing but the log (and the security events), every decision is one log
// row, and the agent's tool calls reach skills only through it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Doc, Id } from "../../convex/_generated/dataModel";
import type { CheckCode } from "../../convex/lib/validators";
import { insertMcpServer, type ServerFields } from "./mcpFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;
type SkillFields = Partial<Omit<Doc<"skills">, "_id" | "_creationTime">>;

beforeEach(() => {
  vi.useFakeTimers();
  process.env.LOCAL_MODEL_CHUNK_DELAY_MS = "0";
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.LOCAL_MODEL_CHUNK_DELAY_MS;
});

const calculatorInputSchema = JSON.stringify({
  type: "object",
  properties: { expression: { type: "string", maxLength: 500 } },
  required: ["expression"],
  additionalProperties: false,
});

/** An approved, active calculator skill, with any field replaced. */
async function insertSkill(t: Deployment, fields: SkillFields = {}): Promise<Id<"skills">> {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("skills", {
        name: "calculator",
        displayName: "Calculator",
        description: "Evaluates arithmetic.",
        type: "template",
        approvalStatus: "approved",
        status: "active",
        configVersion: 1,
        approvedConfigVersion: 1,
        inputSchemaJson: calculatorInputSchema,
        template: { templateKey: "calculator", configJson: "{}", templateVersion: 1 },
        timeoutMs: 10_000,
        maxOutputBytes: 50 * 1024,
        updatedAt: Date.now(),
        ...fields,
      }),
  );
}

/** A webhook skill calling `host`, approved and active. */
async function insertWebhookSkill(t: Deployment, host: string, fields: SkillFields = {}): Promise<Id<"skills">> {
  return await insertSkill(t, {
    name: "weather",
    type: "webhook",
    template: undefined,
    webhook: { method: "GET", urlTemplate: `https://${host}/v1/forecast?city={city}`, headers: [], responseFormat: "json" },
    inputSchemaJson: JSON.stringify({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
    ...fields,
  });
}

async function allowHost(t: Deployment, hostname: string, skillId?: Id<"skills">): Promise<void> {
  await t.run(async (ctx) => {
    const ownerId = await ctx.db.insert("owners", { tokenIdentifier: "test|owner", role: "admin", status: "active", joinedAt: Date.now() });
    await ctx.db.insert("domainAllowlist", { hostname, ...(skillId ? { skillId } : {}), addedBy: ownerId, addedAt: Date.now() });
  });
}

const visitorCaller = { kind: "system" as const };

function request(skillName: string, input: unknown, extra: { threadId?: string; dryRun?: boolean } = {}) {
  return { skillName, inputJson: typeof input === "string" ? input : JSON.stringify(input), caller: visitorCaller, channel: "web" as const, dryRun: false, ...extra };
}

async function invoke(t: Deployment, skillName: string, input: unknown) {
  return await t.action(internal.skills.runner.invoke, request(skillName, input));
}

async function logRows(t: Deployment) {
  return await t.run(async (ctx) => await ctx.db.query("skillInvocationLog").collect());
}

async function securityEvents(t: Deployment) {
  return await t.run(async (ctx) => await ctx.db.query("securityEvents").collect());
}

/** Everything a refused call must leave as it was: every table but the log and the events. */
async function stateOutsideTheLog(t: Deployment) {
  return await t.run(async (ctx) => ({
    skills: await ctx.db.query("skills").collect(),
    summaries: await ctx.db.query("skillInvocationSummary").collect(),
    allowlist: await ctx.db.query("domainAllowlist").collect(),
    files: await ctx.db.system.query("_storage").collect(),
    activity: await ctx.db.query("activityLog").collect(),
  }));
}

describe("an admitted skill call", () => {
  it("runs the skill and logs one OK row with the redacted input and the output", async () => {
    const t = newDeployment();
    const skillId = await insertSkill(t);
    expect(await invoke(t, "calculator", { expression: "2 + 3 * 4" })).toEqual({ ok: true, output: "14" });
    const [row] = await logRows(t);
    expect(row).toMatchObject({ skillId, skillName: "calculator", skillType: "template", code: "OK", outcome: "ok", outputPreview: "14", outputBytes: 2, dryRun: false });
    expect(JSON.parse(row.inputRedacted)).toEqual({ expression: "2 + 3 * 4" });
    expect(await securityEvents(t)).toEqual([]);
  });

  it("reports a skill's own failure as EXECUTION_FAILED with its message", async () => {
    const t = newDeployment();
    await insertSkill(t);
    const result = await invoke(t, "calculator", { expression: "1 / 0" });
    expect(result).toMatchObject({ ok: false, code: "EXECUTION_FAILED" });
    expect((await logRows(t))[0]).toMatchObject({ code: "EXECUTION_FAILED", outcome: "failed" });
  });

  it("refuses an output over the skill's size limit as OUTPUT_TOO_LARGE, and never returns it", async () => {
    const t = newDeployment();
    await insertSkill(t, { maxOutputBytes: 1 });
    expect(await invoke(t, "calculator", { expression: "10 + 4" })).toMatchObject({ ok: false, code: "OUTPUT_TOO_LARGE" });
    const [row] = await logRows(t);
    expect(row).toMatchObject({ code: "OUTPUT_TOO_LARGE", outcome: "failed", outputBytes: 2 });
    expect(row.outputPreview).toBeUndefined();
  });

  it("stores a long output in file storage and keeps a preview in the row", async () => {
    const t = newDeployment();
    const content = "Opening hours are nine to five. ".repeat(200);
    await t.run(async (ctx) => {
      await ctx.db.insert("knowledgeEntries", { collection: "faq", title: "Hours", content, updatedAt: Date.now() });
    });
    await insertSkill(t, {
      name: "faq",
      template: { templateKey: "knowledgeLookup", configJson: JSON.stringify({ collection: "faq" }), templateVersion: 1 },
      inputSchemaJson: JSON.stringify({ type: "object", properties: { query: { type: "string" } }, required: ["query"] }),
    });
    const result = await invoke(t, "faq", { query: "hours" });
    expect(result.ok).toBe(true);
    const [row] = await logRows(t);
    expect(row.outputStorageId).toBeDefined();
    expect(row.outputPreview!.length).toBeLessThanOrEqual(2000);
    const stored = await t.run(async (ctx) => await (await ctx.storage.get(row.outputStorageId!))!.text());
    expect(stored).toContain(content.trim());
  });
});

describe("every skill type runs through the checker", () => {
  it("a webhook skill: admitted, then stopped before any request when its secret is not set", async () => {
    const t = newDeployment();
    const skillId = await insertWebhookSkill(t, "api.weather.example", {
      webhook: { method: "GET", urlTemplate: "https://api.weather.example/v1?city={city}", headers: [{ name: "X-Key", valueTemplate: "{{secret.WEATHER_KEY}}" }], responseFormat: "json" },
    });
    await allowHost(t, "api.weather.example");
    expect(await invoke(t, "weather", { city: "Oslo" })).toMatchObject({ ok: false, code: "SECRET_UNAVAILABLE" });
    expect(await logRows(t)).toMatchObject([{ skillId, skillType: "webhook", code: "SECRET_UNAVAILABLE", outcome: "failed" }]);
  });

  it("a code skill: registered pending, refused until approved, then run with only its declared capabilities", async () => {
    const t = newDeployment();
    await t.mutation(internal.skills.registry.sync, {});
    const input = { site: "docs.example.com", query: "install" };
    expect(await invoke(t, "site_search", input)).toMatchObject({ ok: false, code: "SKILL_NOT_APPROVED" });
    const skillId = await t.run(async (ctx) => {
      const skill = (await ctx.db.query("skills").withIndex("by_name", (q) => q.eq("name", "site_search")).unique())!;
      await ctx.db.patch("skills", skill._id, { approvalStatus: "approved", approvedConfigVersion: skill.configVersion, status: "active" });
      return skill._id;
    });
    // Approved but its declared host is not allowlisted: the run may reach nothing, and its fetch is refused.
    expect(await invoke(t, "site_search", input)).toMatchObject({ ok: false, code: "SECRET_UNAVAILABLE" });
    await allowHost(t, "api.search.brave.com");
    const admitted = await t.mutation(internal.security.checker.admit, request("site_search", input));
    expect(admitted).toMatchObject({ admitted: true, plan: { skillId, type: "code", allowedHosts: ["api.search.brave.com"] } });
    expect((await logRows(t)).map((row) => row.code)).toEqual(["SKILL_NOT_APPROVED", "SECRET_UNAVAILABLE"]);
  });
});

describe("refusals", () => {
  it.each<[string, SkillFields, CheckCode]>([
    ["a pending skill", { approvalStatus: "pending", approvedConfigVersion: undefined }, "SKILL_NOT_APPROVED"],
    ["a rejected skill", { approvalStatus: "rejected" }, "SKILL_NOT_APPROVED"],
    ["an inactive skill", { status: "inactive" }, "SKILL_INACTIVE"],
    ["a skill changed since its approval", { configVersion: 2 }, "SKILL_CONFIG_UNREVIEWED"],
  ])("refuses %s with its code, logging it and changing nothing else", async (_name, fields, code) => {
    const t = newDeployment();
    const skillId = await insertSkill(t, fields);
    const before = await stateOutsideTheLog(t);
    expect(await invoke(t, "calculator", { expression: "1 + 1" })).toMatchObject({ ok: false, code });
    expect(await stateOutsideTheLog(t)).toEqual(before);
    expect(await logRows(t)).toMatchObject([{ skillId, code, outcome: "denied" }]);
    expect(await securityEvents(t)).toMatchObject([{ code, skillId }]);
  });

  it("refuses a skill that does not exist with SKILL_NOT_FOUND", async () => {
    const t = newDeployment();
    expect(await invoke(t, "no_such_skill", {})).toMatchObject({ ok: false, code: "SKILL_NOT_FOUND" });
    expect(await logRows(t)).toMatchObject([{ skillName: "no_such_skill", code: "SKILL_NOT_FOUND", outcome: "denied" }]);
  });

  it.each<[string, string, CheckCode]>([
    ["input that is not JSON", "{not json", "INPUT_INVALID"],
    ["input missing a required field", JSON.stringify({ expr: "1+1" }), "INPUT_INVALID"],
    ["input of the wrong type", JSON.stringify({ expression: 42 }), "INPUT_INVALID"],
    ["input with an extra field", JSON.stringify({ expression: "1", extra: true }), "INPUT_INVALID"],
    ["input over the size limit", JSON.stringify({ expression: "1+".repeat(9000) + "1" }), "INPUT_TOO_LARGE"],
  ])("refuses %s before running", async (_name, inputJson, code) => {
    const t = newDeployment();
    await insertSkill(t);
    const before = await stateOutsideTheLog(t);
    expect(await invoke(t, "calculator", inputJson)).toMatchObject({ ok: false, code });
    expect(await stateOutsideTheLog(t)).toEqual(before);
    expect(await logRows(t)).toMatchObject([{ code, outcome: "denied" }]);
  });

  it("applies the skill's own rate limit, then refuses with RATE_LIMIT_SKILL", async () => {
    const t = newDeployment();
    await insertSkill(t, { rateLimit: { kind: "fixed window", rate: 2, period: 60_000 } });
    await invoke(t, "calculator", { expression: "1" });
    await invoke(t, "calculator", { expression: "2" });
    expect(await invoke(t, "calculator", { expression: "3" })).toMatchObject({ ok: false, code: "RATE_LIMIT_SKILL" });
    expect((await logRows(t)).map((row) => row.code)).toEqual(["OK", "OK", "RATE_LIMIT_SKILL"]);
    expect((await securityEvents(t)).map((event) => event.code)).toEqual(["RATE_LIMIT_SKILL"]);
    // A minute later the skill runs again.
    vi.advanceTimersByTime(60_000);
    expect(await invoke(t, "calculator", { expression: "4" })).toEqual({ ok: true, output: "4" });
  });

  it("applies the limit for all skills together, read from the rate limit table", async () => {
    const t = newDeployment();
    await insertSkill(t);
    await insertSkill(t, { name: "calculator_two" });
    await t.run(async (ctx) => {
      await ctx.db.insert("rateLimitConfig", { name: "skillGlobal", kind: "fixed window", rate: 1, period: 60_000, updatedAt: Date.now() });
    });
    expect(await invoke(t, "calculator", { expression: "1" })).toMatchObject({ ok: true });
    expect(await invoke(t, "calculator_two", { expression: "1" })).toMatchObject({ ok: false, code: "RATE_LIMIT_SKILL_GLOBAL" });
  });
});

describe("the domain allowlist", () => {
  it("refuses a webhook skill whose host is not on the allowlist, as a high-severity security event", async () => {
    const t = newDeployment();
    const skillId = await insertWebhookSkill(t, "api.weather.example");
    const result = await t.mutation(internal.security.checker.admit, request("weather", { city: "Oslo" }));
    expect(result).toMatchObject({ admitted: false, code: "DOMAIN_NOT_ALLOWED" });
    expect(await securityEvents(t)).toMatchObject([{ code: "DOMAIN_NOT_ALLOWED", severity: "high", skillId, metadata: { hostname: "api.weather.example" } }]);
  });

  it.each([
    ["the parent domain", "weather.example"],
    ["a longer name ending in it", "evilapi.weather.example"],
    ["a sibling", "www.weather.example"],
  ])("does not match %s: entries are exact hostnames", async (_name, entry) => {
    const t = newDeployment();
    await insertWebhookSkill(t, "api.weather.example");
    await allowHost(t, entry);
    expect(await t.mutation(internal.security.checker.admit, request("weather", { city: "Oslo" }))).toMatchObject({ admitted: false, code: "DOMAIN_NOT_ALLOWED" });
  });

  it("admits a host allowed for all skills, or for this skill, but not one allowed only for another skill", async () => {
    const t = newDeployment();
    const weather = await insertWebhookSkill(t, "api.weather.example");
    const other = await insertSkill(t, { name: "other" });
    await allowHost(t, "api.weather.example", other);
    expect(await t.mutation(internal.security.checker.admit, request("weather", { city: "Oslo" }))).toMatchObject({ admitted: false });
    await allowHost(t, "api.weather.example", weather);
    expect(await t.mutation(internal.security.checker.admit, request("weather", { city: "Oslo" }))).toMatchObject({
      admitted: true,
      plan: { skillId: weather, allowedHosts: ["api.weather.example"] },
    });
  });

  it.each([
    ["a host that is not on the allowlist", "https://intranet.example/wiki", "DOMAIN_NOT_ALLOWED"],
    ["a local file", "file:///etc/passwd", "DOMAIN_NOT_ALLOWED"],
    ["the cloud metadata address", "http://169.254.169.254/latest/meta-data/", "DOMAIN_NOT_ALLOWED"],
  ])("refuses the page reader %s before anything is read", async (_name, url, code) => {
    const t = newDeployment();
    await insertSkill(t, {
      name: "reader",
      template: { templateKey: "webPageReader", configJson: "{}", templateVersion: 1 },
      inputSchemaJson: JSON.stringify({ type: "object", properties: { url: { type: "string" } }, required: ["url"] }),
    });
    await allowHost(t, "docs.example.com");
    expect(await invoke(t, "reader", { url })).toMatchObject({ ok: false, code });
    expect(await logRows(t)).toMatchObject([{ code, outcome: "denied" }]);
  });

  it("counts webhook skills against the webhook limit too", async () => {
    const t = newDeployment();
    await insertWebhookSkill(t, "api.weather.example");
    await allowHost(t, "api.weather.example");
    await t.run(async (ctx) => {
      await ctx.db.insert("rateLimitConfig", { name: "webhookSkillsGlobal", kind: "fixed window", rate: 1, period: 60_000, updatedAt: Date.now() });
    });
    expect(await t.mutation(internal.security.checker.admit, request("weather", { city: "Oslo" }))).toMatchObject({ admitted: true });
    expect(await t.mutation(internal.security.checker.admit, request("weather", { city: "Bergen" }))).toMatchObject({ admitted: false, code: "RATE_LIMIT_WEBHOOK_GLOBAL" });
  });
});

describe("the agent's tool calls", () => {
  it("reach the skill through the checker, logged with the visitor, the channel and the thread", async () => {
    const t = newDeployment();
    const skillId = await insertSkill(t);
    const { token } = await t.action(api.visitorSessions.create, {});
    const { threadId } = await t.mutation(api.chat.createThread, { sessionToken: token });
    await t.mutation(api.chat.sendMessage, { sessionToken: token, threadId, text: 'Please use calculator {"expression": "6 * 7"}' });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const [row] = await logRows(t);
    expect(row).toMatchObject({ skillId, code: "OK", channel: "web", threadId, caller: { kind: "visitor" }, outputPreview: "42" });
    const page = await t.query(api.chat.listMessages, { sessionToken: token, threadId, paginationOpts: { numItems: 20, cursor: null } });
    expect(JSON.stringify(page.page)).toContain("42");
    // The model received the result marked as untrusted data from the skill.
    expect(JSON.stringify(page.page)).toContain('<untrusted_content source=\\"skill calculator\\">\\n42\\n</untrusted_content>');
  });

  it("are offered only approved, active skills", async () => {
    const t = newDeployment();
    await insertSkill(t, { status: "inactive" });
    await insertSkill(t, { name: "pending_skill", approvalStatus: "pending" });
    const { token } = await t.action(api.visitorSessions.create, {});
    const { threadId } = await t.mutation(api.chat.createThread, { sessionToken: token });
    expect((await t.query(internal.skills.tools.forThread, { threadId })).skills).toEqual([]);
    await t.mutation(api.chat.sendMessage, { sessionToken: token, threadId, text: 'calculator {"expression": "1"} and pending_skill {}' });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    // Not offered, so the model could not name them: no call reached the checker.
    expect(await logRows(t)).toEqual([]);
  });
});

describe("MCP tool calls", () => {

  const call = (toolName = "lookup", input: unknown = { q: "install" }) => ({ ...request(`docs__${toolName}`, input), serverName: "docs", toolName });

  it("admits a call to an approved, active server's enabled tool, limited to the server's own host", async () => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t);
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toEqual({
      admitted: true,
      plan: { mcpServerId, url: "https://mcp.docs.example/mcp", toolName: "lookup", timeoutMs: 10_000, maxOutputBytes: 50 * 1024, allowedHosts: ["mcp.docs.example"] },
    });
  });

  it.each<[string, ServerFields, { name: string; enabled: boolean } | undefined, CheckCode]>([
    ["a pending server", { approvalStatus: "pending" }, undefined, "MCP_SERVER_NOT_APPROVED"],
    ["a rejected server", { approvalStatus: "rejected" }, undefined, "MCP_SERVER_NOT_APPROVED"],
    ["a server whose tools changed since approval", { toolsHash: "tools-v2" }, undefined, "MCP_SERVER_NOT_APPROVED"],
    ["a server switched off by its owner", { status: "inactive" }, undefined, "MCP_SERVER_INACTIVE"],
    ["a server the health check disabled", { status: "autoDisabled" }, undefined, "MCP_SERVER_INACTIVE"],
    ["a tool switched off", {}, { name: "lookup", enabled: false }, "MCP_TOOL_UNAVAILABLE"],
  ])("refuses %s, logging the call as an MCP tool call", async (_name, fields, tool, code) => {
    const t = newDeployment();
    const mcpServerId = await insertMcpServer(t, fields, tool);
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: false, code });
    expect(await logRows(t)).toMatchObject([{ target: "mcpTool", mcpServerId, toolName: "lookup", code, outcome: "denied" }]);
    expect(await securityEvents(t)).toMatchObject([{ code, mcpServerId }]);
  });

  it("refuses an unknown server, a tool the server does not offer, and input that fails the tool's schema", async () => {
    const t = newDeployment();
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: false, code: "MCP_SERVER_NOT_FOUND" });
    await insertMcpServer(t);
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call("delete_everything", {}))).toMatchObject({ admitted: false, code: "MCP_TOOL_UNAVAILABLE" });
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call("lookup", { q: 7 }))).toMatchObject({ admitted: false, code: "INPUT_INVALID" });
  });

  it("applies the server's rate limit", async () => {
    const t = newDeployment();
    await insertMcpServer(t, { rateLimit: { kind: "fixed window", rate: 1, period: 60_000 } });
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: true });
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: false, code: "RATE_LIMIT_MCP_SERVER" });
  });

  it("limits a server without its own limit to 50 calls a minute, the spec's default", async () => {
    const t = newDeployment();
    await insertMcpServer(t);
    for (let i = 0; i < 50; i++) expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: true });
    expect(await t.mutation(internal.security.checker.admitMcpToolCall, call())).toMatchObject({ admitted: false, code: "RATE_LIMIT_MCP_SERVER" });
  });
});

describe("summaries and retention", () => {
  it("counts every log row exactly once, however often the aggregation runs", async () => {
    const t = newDeployment();
    await insertSkill(t, { rateLimit: { kind: "fixed window", rate: 3, period: 60_000 } });
    for (const expression of ["1", "2", "1/0", "4"]) await invoke(t, "calculator", { expression });
    await invoke(t, "missing", {});
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    const summaries = await t.run(async (ctx) => await ctx.db.query("skillInvocationSummary").collect());
    const all = summaries.find((row) => row.scope === "all")!;
    expect(all).toMatchObject({ total: 5, ok: 2, denied: 2, failed: 1, rateLimited: 1 });
    expect(all.codeCounts).toEqual(
      expect.arrayContaining([
        { code: "EXECUTION_FAILED", count: 1 },
        { code: "RATE_LIMIT_SKILL", count: 1 },
        { code: "SKILL_NOT_FOUND", count: 1 },
      ]),
    );
    expect(summaries.find((row) => row.scope === "skill")).toMatchObject({ total: 4 });
    // New rows after a run are added to the same bucket, once.
    await invoke(t, "missing", {});
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    const after = await t.run(async (ctx) => await ctx.db.query("skillInvocationSummary").collect());
    expect(after.find((row) => row.scope === "all")).toMatchObject({ total: 6, denied: 3 });
  });

  it("prunes only rows past retention that the aggregation has counted", async () => {
    const t = newDeployment();
    await insertSkill(t);
    await invoke(t, "calculator", { expression: "1" });
    vi.advanceTimersByTime(31 * 24 * 60 * 60 * 1000);
    // Old enough, but not yet counted: kept.
    expect(await t.mutation(internal.security.summaries.pruneSkillInvocationLog, {})).toEqual({ rows: 0, more: false });
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    await invoke(t, "calculator", { expression: "2" });
    await t.mutation(internal.security.summaries.aggregateSkillInvocations, {});
    expect(await t.mutation(internal.security.summaries.pruneSkillInvocationLog, {})).toEqual({ rows: 1, more: false });
    expect((await logRows(t)).map((row) => row.outputPreview)).toEqual(["2"]);
  });
});
