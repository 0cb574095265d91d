// The always-on security checker for skills. Every skill invocation, whoever asks for it (the agent's
// tool call, SyncBoard's dry run, an MCP client), goes through `skills/runner:invoke`, which admits
// it here before anything runs and records the result here after. There is no option, config field
// or second entry point that skips a check: `admit` takes only the request, and the runner has no
// other way to learn how to run a skill than the plan `admit` returns.
//
// Checks, in order, each with its own code: the skill exists, is approved, is active, runs the
// configuration an owner approved; its rate limit, the limit for all skills, and for webhook
// skills the limit for all webhooks; the input's size and its schema; every host it would contact
// is on the allowlist. Output size and the time limit are enforced by the runner and recorded here.
// Every decision, pass or fail, becomes one `skillInvocationLog` row; a refusal also becomes a
// security event.
import { v, type Infer } from "convex/values";

import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { internalMutation } from "../lib/functions";
import { rateLimitConfig, takeRateLimit } from "../lib/rateLimits";
import {
  LIMITS,
  vCaller,
  vChannel,
  vCheckCode,
  vCodeSkillSpec,
  vSkillType,
  vTemplateSkillSpec,
  vWebhookSkillSpec,
  type CheckFailureCode,
  type Severity,
} from "../lib/validators";
import { hostOf, invocationHosts } from "../skills/hosts";
import { checkMessage, hostsNotAllowed, mcpServerFailure, skillLimits, skillStateFailure } from "./checks";
import { compileSchema, inputSizeOk, validateInput } from "./jsonSchema";
import { scrubForLog } from "./redact";

/** One request to run a skill, as every execution path states it. */
export const vInvocationRequest = v.object({
  skillName: v.string(),
  // The input as JSON text: its shape is the skill's own, checked against its schema here.
  inputJson: v.string(),
  caller: vCaller,
  channel: vChannel,
  threadId: v.optional(v.string()),
  // SyncBoard's test runner: checked and run in full, marked in the log.
  dryRun: v.boolean(),
});
export type InvocationRequest = Infer<typeof vInvocationRequest>;

/** What the runner needs to run an admitted invocation, and nothing more (no secret values). */
export const vExecutionPlan = v.object({
  skillId: v.id("skills"),
  name: v.string(),
  type: vSkillType,
  timeoutMs: v.number(),
  maxOutputBytes: v.number(),
  template: v.optional(vTemplateSkillSpec),
  webhook: v.optional(vWebhookSkillSpec),
  code: v.optional(vCodeSkillSpec),
  // The only hosts this run may contact: checked against the allowlist just now.
  allowedHosts: v.array(v.string()),
});
export type ExecutionPlan = Infer<typeof vExecutionPlan>;

export const vAdmission = v.union(
  v.object({ admitted: v.literal(true), plan: vExecutionPlan }),
  v.object({ admitted: v.literal(false), code: vCheckCode, message: v.string() }),
);
export type Admission = Infer<typeof vAdmission>;

/** Severity of each refusal as a security event. */
const DENIAL_SEVERITY: Partial<Record<CheckFailureCode, Severity>> = {
  SKILL_NOT_FOUND: "low",
  SKILL_NOT_APPROVED: "medium",
  SKILL_INACTIVE: "low",
  SKILL_CONFIG_UNREVIEWED: "medium",
  INPUT_TOO_LARGE: "low",
  INPUT_INVALID: "low",
  URL_INVALID: "low",
  DOMAIN_NOT_ALLOWED: "high",
  ADDRESS_BLOCKED: "high",
  REDIRECT_BLOCKED: "medium",
  SECRET_NOT_PERMITTED: "high",
  MCP_SERVER_NOT_FOUND: "low",
  MCP_SERVER_NOT_APPROVED: "medium",
  MCP_SERVER_INACTIVE: "low",
  MCP_TOOL_UNAVAILABLE: "low",
};

/** Admits one invocation or refuses it with the first failing check's code, logging either way. */
export const admit = internalMutation({
  args: vInvocationRequest,
  returns: vAdmission,
  handler: async (ctx, request): Promise<Admission> => {
    const started = Date.now();
    const deny = async (code: CheckFailureCode, skill: Doc<"skills"> | null, detail?: Record<string, string>) => {
      await writeLog(ctx, request, skill, { code, outcome: "denied", durationMs: Date.now() - started });
      // Rate-limit refusals were recorded as security events by the limiter helper already.
      if (!code.startsWith("RATE_LIMIT_")) await securityEvent(ctx, request, skill, code, detail);
      return { admitted: false as const, code, message: checkMessage(code) };
    };

    const skill = await ctx.db
      .query("skills")
      .withIndex("by_name", (q) => q.eq("name", request.skillName.slice(0, LIMITS.nameChars)))
      .unique();
    if (skill === null) return await deny("SKILL_NOT_FOUND", null);
    const stateFailure = skillStateFailure(skill);
    if (stateFailure) return await deny(stateFailure, skill);

    for (const limit of skillLimits(skill)) {
      const config = limit.name === "skillPerSkill" && skill.rateLimit ? skill.rateLimit : await rateLimitConfig(ctx, limit.name);
      const taken = await takeRateLimit(ctx, limit.name, { key: limit.key, caller: request.caller, channel: request.channel, config });
      if (!taken.ok) return await deny(limit.code, skill);
    }

    if (!inputSizeOk(request.inputJson, LIMITS.skillInputChars)) return await deny("INPUT_TOO_LARGE", skill);
    const input = parseJson(request.inputJson);
    const schema = compileSchema(skill.inputSchemaJson);
    if (input === undefined || !schema.ok || !validateInput(schema.schema, input).ok) return await deny("INPUT_INVALID", skill);

    const hosts = invocationHosts(skill, input);
    if (!hosts.ok) return await deny("URL_INVALID", skill);
    const allowlist = await allowedHostsFor(ctx, skill._id, skill.type === "code" ? (skill.code?.allowedDomains ?? []) : hosts.hosts);
    const refused = hostsNotAllowed(hosts.hosts, allowlist);
    if (refused.length > 0) return await deny("DOMAIN_NOT_ALLOWED", skill, { hostname: refused[0] });

    return {
      admitted: true,
      plan: {
        skillId: skill._id,
        name: skill.name,
        type: skill.type,
        timeoutMs: skill.timeoutMs,
        maxOutputBytes: skill.maxOutputBytes,
        ...(skill.template ? { template: skill.template } : {}),
        ...(skill.webhook ? { webhook: skill.webhook } : {}),
        ...(skill.code ? { code: skill.code } : {}),
        allowedHosts: [...allowlist],
      },
    };
  },
});

/** One MCP tool call: the server and tool by name; `skillName` of the request is "<server>__<tool>". */
export const vMcpToolRequest = v.object({ ...vInvocationRequest.fields, serverName: v.string(), toolName: v.string() });

export const vMcpAdmission = v.union(
  v.object({
    admitted: v.literal(true),
    plan: v.object({
      mcpServerId: v.id("mcpServers"),
      url: v.string(),
      toolName: v.string(),
      timeoutMs: v.number(),
      maxOutputBytes: v.number(),
      // The server's own host: approving the server is the owner's decision to let ClawSync call it.
      allowedHosts: v.array(v.string()),
    }),
  }),
  v.object({ admitted: v.literal(false), code: vCheckCode, message: v.string() }),
);

/**
 * Admits one tool call to an external MCP server, or refuses it: the server exists, is approved,
 * active and still offers the tool list the owner approved; the tool exists and is switched on;
 * the server's rate limit (50/min by default); the input's size and the tool's schema. Logged as
 * every skill decision is, with the target "mcpTool".
 */
export const admitMcpToolCall = internalMutation({
  args: vMcpToolRequest,
  returns: vMcpAdmission,
  handler: async (ctx, { serverName, toolName, ...request }) => {
    const started = Date.now();
    const server = await ctx.db
      .query("mcpServers")
      .withIndex("by_name", (q) => q.eq("name", serverName.slice(0, LIMITS.nameChars)))
      .unique();
    const mcp = { toolName, ...(server ? { mcpServerId: server._id } : {}) };
    const deny = async (code: CheckFailureCode) => {
      await writeLog(ctx, request, null, { code, outcome: "denied", durationMs: Date.now() - started }, mcp);
      if (!code.startsWith("RATE_LIMIT_")) await securityEvent(ctx, request, null, code, { toolName: toolName.slice(0, LIMITS.nameChars) }, server?._id);
      return { admitted: false as const, code, message: checkMessage(code) };
    };
    if (server === null) return await deny("MCP_SERVER_NOT_FOUND");
    const stateFailure = mcpServerFailure(server);
    if (stateFailure) return await deny(stateFailure);
    const tool = await ctx.db
      .query("mcpServerTools")
      .withIndex("by_server_and_name", (q) => q.eq("mcpServerId", server._id).eq("name", toolName))
      .unique();
    if (tool === null || !tool.enabled) return await deny("MCP_TOOL_UNAVAILABLE");
    const config = server.rateLimit ?? (await rateLimitConfig(ctx, "mcpPerServer"));
    const taken = await takeRateLimit(ctx, "mcpPerServer", { key: server._id, caller: request.caller, channel: request.channel, config });
    if (!taken.ok) return await deny("RATE_LIMIT_MCP_SERVER");
    if (!inputSizeOk(request.inputJson, LIMITS.skillInputChars)) return await deny("INPUT_TOO_LARGE");
    const input = parseJson(request.inputJson);
    const schema = compileSchema(tool.inputSchemaJson);
    if (input === undefined || !schema.ok || !validateInput(schema.schema, input).ok) return await deny("INPUT_INVALID");
    const host = hostOf(server.url);
    if (host === null) return await deny("URL_INVALID");
    return {
      admitted: true as const,
      plan: { mcpServerId: server._id, url: server.url, toolName, timeoutMs: server.timeoutMs, maxOutputBytes: server.maxOutputBytes, allowedHosts: [host] },
    };
  },
});

/** How an admitted skill run or MCP tool call ended: the fields both reports share. */
export const vEndedRun = v.object({
  code: vCheckCode,
  durationMs: v.number(),
  // Already scrubbed by the caller with the run's secret values; scrubbed again here by pattern.
  output: v.optional(v.string()),
  outputBytes: v.optional(v.number()),
  outputStorageId: v.optional(v.id("_storage")),
  errorMessage: v.optional(v.string()),
  // A host the run tried to reach and was refused (DOMAIN_NOT_ALLOWED, ADDRESS_BLOCKED, ...).
  refusedHost: v.optional(v.string()),
});
export type EndedRun = Infer<typeof vEndedRun>;

/** How an admitted invocation ended, as the runner reports it. */
export const vRunReport = v.object({ request: vInvocationRequest, skillId: v.id("skills"), ...vEndedRun.fields });

/** Records the end of an admitted invocation: success, a failure while running, or a refusal mid-run. */
export const record = internalMutation({
  args: vRunReport,
  returns: v.null(),
  handler: async (ctx, report) => {
    const skill = await ctx.db.get("skills", report.skillId);
    await writeLog(ctx, report.request, skill, endedRunFields(report));
    if (report.code !== "OK" && DENIAL_SEVERITY[report.code] !== undefined) {
      await securityEvent(ctx, report.request, skill, report.code, report.refusedHost ? { hostname: report.refusedHost } : undefined);
    }
    return null;
  },
});

/** How an admitted MCP tool call ended, as `mcp/toolCall` reports it; its request's toolName is the tool called. */
export const vMcpRunReport = v.object({ request: vMcpToolRequest, mcpServerId: v.id("mcpServers"), ...vEndedRun.fields });

/** Records the end of an admitted MCP tool call: success, a failure while calling, or a refusal mid-call. */
export const recordMcpToolCall = internalMutation({
  args: vMcpRunReport,
  returns: v.null(),
  handler: async (ctx, report) => {
    const { request, mcpServerId } = report;
    await writeLog(ctx, request, null, endedRunFields(report), { mcpServerId, toolName: request.toolName });
    if (report.code !== "OK" && DENIAL_SEVERITY[report.code] !== undefined) {
      const detail = { toolName: request.toolName.slice(0, LIMITS.nameChars), ...(report.refusedHost ? { hostname: report.refusedHost } : {}) };
      await securityEvent(ctx, request, null, report.code, detail, mcpServerId);
    }
    return null;
  },
});

type LogFields = Pick<Doc<"skillInvocationLog">, "code" | "outcome" | "durationMs"> &
  Partial<Pick<Doc<"skillInvocationLog">, "outputPreview" | "outputBytes" | "outputStorageId" | "errorMessage">>;

/** The log fields of an admitted run that ended, its output and error scrubbed again by pattern. */
function endedRunFields(report: EndedRun): LogFields {
  return {
    code: report.code,
    outcome: report.code === "OK" ? "ok" : "failed",
    durationMs: report.durationMs,
    ...(report.output !== undefined ? { outputPreview: scrubForLog(report.output, LIMITS.logOutputPreviewChars) } : {}),
    ...(report.outputBytes !== undefined ? { outputBytes: report.outputBytes } : {}),
    ...(report.outputStorageId !== undefined ? { outputStorageId: report.outputStorageId } : {}),
    ...(report.errorMessage !== undefined ? { errorMessage: scrubForLog(report.errorMessage, LIMITS.summaryChars) } : {}),
  };
}

async function writeLog(
  ctx: MutationCtx,
  request: InvocationRequest,
  skill: Doc<"skills"> | null,
  fields: LogFields,
  mcp?: { mcpServerId?: Id<"mcpServers">; toolName: string },
): Promise<Id<"skillInvocationLog">> {
  return await ctx.db.insert("skillInvocationLog", {
    target: mcp ? "mcpTool" : "skill",
    ...(skill ? { skillId: skill._id, skillType: skill.type } : {}),
    ...(mcp ? { toolName: mcp.toolName.slice(0, LIMITS.nameChars), ...(mcp.mcpServerId ? { mcpServerId: mcp.mcpServerId } : {}) } : {}),
    skillName: request.skillName.slice(0, LIMITS.nameChars),
    caller: request.caller,
    channel: request.channel,
    ...(request.threadId !== undefined ? { threadId: request.threadId } : {}),
    inputRedacted: scrubForLog(parseJson(request.inputJson) ?? request.inputJson, LIMITS.logInputChars),
    dryRun: request.dryRun,
    ...fields,
  });
}

async function securityEvent(
  ctx: MutationCtx,
  request: InvocationRequest,
  skill: Doc<"skills"> | null,
  code: CheckFailureCode,
  detail?: Record<string, string>,
  mcpServerId?: Id<"mcpServers">,
): Promise<void> {
  await ctx.db.insert("securityEvents", {
    code,
    severity: DENIAL_SEVERITY[code] ?? "low",
    message: `Skill call refused: ${checkMessage(code)}`,
    caller: request.caller,
    channel: request.channel,
    ...(skill ? { skillId: skill._id } : {}),
    ...(mcpServerId ? { mcpServerId } : {}),
    ...(request.threadId !== undefined ? { threadId: request.threadId } : {}),
    metadata: { skillName: request.skillName.slice(0, LIMITS.nameChars), ...detail },
  });
}

/** The hosts on the allowlist for this skill (its own entries and the global ones) among `hosts`. */
async function allowedHostsFor(ctx: MutationCtx, skillId: Id<"skills">, hosts: readonly string[]): Promise<Set<string>> {
  const allowed = new Set<string>();
  for (const raw of hosts.slice(0, LIMITS.allowedDomainsPerSkill)) {
    const hostname = raw.toLowerCase();
    for (const owner of [skillId, undefined]) {
      const entry = await ctx.db
        .query("domainAllowlist")
        .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", owner).eq("hostname", hostname))
        .first();
      if (entry !== null) {
        allowed.add(hostname);
        break;
      }
    }
  }
  return allowed;
}

/** The parsed JSON, or undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
