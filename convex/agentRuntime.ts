// The agent's turn: after a visitor's message is stored, this action reads the configuration at
// run time (so a soul or model change applies to the very next reply), calls the planned model
// with its fallback, streams the reply into the thread as it is generated, and records what
// happened: the reply, every fallback activation and every provider error (never a key or the
// conversation's text).
import { Agent, stepCountIs } from "@convex-dev/agent";
import { jsonSchema, tool, type ToolSet } from "ai";
import { v, type Infer } from "convex/values";

import { components, internal } from "./_generated/api";
import { env } from "./_generated/server";
import { recordActivity } from "./activity";
import type { ActionCtx } from "./_generated/server";
import { internalAction, internalMutation } from "./lib/functions";
import { planModels, type PlannedModel } from "./lib/modelRouting";
import { vModelErrorKind } from "./lib/validators";
import { createLocalModel } from "./models/localModel";
import { withFallback } from "./models/fallback";
import { buildProviderModel, resolveModelSettings } from "./models/providers";
import { markUntrusted, UNTRUSTED_GUIDANCE } from "./security/untrusted";

/** How long a model may take to start answering before the fallback takes over. */
const DEFAULT_MODEL_TIMEOUT_MS = 30_000;

const chatAgent = new Agent(components.agent, {
  name: "ClawSync",
  // Replaced on every call by the model the configuration plans; see `respond`.
  languageModel: createLocalModel(),
});

function buildModel(planned: PlannedModel) {
  if (planned.kind === "local") {
    const delay = Number(env.LOCAL_MODEL_CHUNK_DELAY_MS);
    return createLocalModel({ modelId: planned.modelId, ...(Number.isFinite(delay) && env.LOCAL_MODEL_CHUNK_DELAY_MS ? { chunkDelayMs: delay } : {}) });
  }
  return buildProviderModel({ kind: planned.kind, modelId: planned.modelId, apiKey: planned.apiKey, baseUrl: planned.baseUrl, providerSlug: planned.providerSlug });
}

/**
 * The approved, active skills as tools for one reply. Each call goes to the skill runner, which
 * passes it through the security checker; the model gets the output or the refusal's message.
 */
async function skillTools(ctx: ActionCtx, threadId: string): Promise<ToolSet> {
  const offer = await ctx.runQuery(internal.skills.tools.forThread, { threadId });
  const caller = offer.caller ?? { kind: "system" as const };
  const tools: ToolSet = {};
  for (const skill of offer.skills) {
    tools[skill.name] = tool({
      description: skill.description,
      inputSchema: jsonSchema(JSON.parse(skill.inputSchemaJson) as Parameters<typeof jsonSchema>[0]),
      execute: async (input: unknown) => {
        const result = await ctx.runAction(internal.skills.runner.invoke, {
          skillName: skill.name,
          inputJson: JSON.stringify(input ?? {}),
          caller,
          channel: offer.channel,
          threadId,
          dryRun: false,
        });
        return result.ok ? markUntrusted(`skill ${skill.name}`, result.output) : `The skill did not run: ${result.message} (${result.code})`;
      },
    });
  }
  return tools;
}

const vModelEvent = v.union(
  v.object({
    type: v.literal("error"),
    model: v.union(v.literal("primary"), v.literal("fallback")),
    errorKind: vModelErrorKind,
    httpStatus: v.optional(v.number()),
    message: v.string(),
    fallbackActivated: v.boolean(),
  }),
  v.object({ type: v.literal("fallback"), reason: vModelErrorKind }),
);

export const respond = internalAction({
  args: { threadId: v.string(), promptMessageId: v.string() },
  returns: v.null(),
  handler: async (ctx, { threadId, promptMessageId }) => {
    const config = await ctx.runQuery(internal.agentSettings.runConfig, {});
    const tools = await skillTools(ctx, threadId);
    const plan = planModels(config.primary, config.fallback, env);
    const events: Infer<typeof vModelEvent>[] = [];
    const timeout = Number(env.MODEL_CALL_TIMEOUT_MS);
    const primarySettings = resolveModelSettings(plan.primary);
    const model = withFallback(buildModel(plan.primary), plan.fallback ? buildModel(plan.fallback) : null, {
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_MODEL_TIMEOUT_MS,
      ...(plan.fallback ? { fallbackSettings: resolveModelSettings(plan.fallback) } : {}),
      secrets: [plan.primary.apiKey, plan.fallback?.apiKey].filter((key): key is string => Boolean(key)),
      onError: (event) => {
        events.push({
          type: "error",
          model: event.model,
          errorKind: event.error.kind,
          ...(event.error.httpStatus !== undefined ? { httpStatus: event.error.httpStatus } : {}),
          message: event.error.message,
          fallbackActivated: event.fallbackActivated,
        });
      },
      onFallback: (event) => {
        events.push({ type: "fallback", reason: event.reason });
      },
    });
    let failed = false;
    try {
      const result = await chatAgent.streamText(
        ctx,
        { threadId },
        {
          promptMessageId,
          model,
          system: `${config.soul}\n\n${UNTRUSTED_GUIDANCE}`,
          tools,
          stopWhen: stepCountIs(config.maxSteps),
          // The fallback is this platform's retry; the SDK's own retries would repeat both models.
          maxRetries: 0,
          ...primarySettings,
        },
        { saveStreamDeltas: { chunking: "word", throttleMs: 100 } },
      );
      await result.consumeStream();
      await result.text;
    } catch {
      // The agent has already marked the reply failed in the thread; the events say why.
      failed = true;
    }
    await ctx.runMutation(internal.agentRuntime.recordReply, {
      threadId,
      failed,
      notes: plan.notes,
      primary: { providerId: plan.primary.providerId, label: `${plan.primary.providerSlug}/${plan.primary.modelId}` },
      fallback: plan.fallback ? { providerId: plan.fallback.providerId, label: `${plan.fallback.providerSlug}/${plan.fallback.modelId}` } : null,
      events,
    });
    return null;
  },
});

const vModelRef = v.object({ providerId: v.union(v.id("modelProviders"), v.null()), label: v.string() });

/** Records one reply in the activity log and its model errors, without any conversation text. */
export const recordReply = internalMutation({
  args: {
    threadId: v.string(),
    failed: v.boolean(),
    notes: v.array(v.string()),
    primary: vModelRef,
    fallback: v.union(vModelRef, v.null()),
    events: v.array(vModelEvent),
  },
  returns: v.null(),
  handler: async (ctx, { threadId, failed, notes, primary, fallback, events }) => {
    const now = Date.now();
    for (const note of notes) await recordActivity(ctx, { kind: "model.unavailable", summary: note, actorKind: "system", threadId, channel: "web" });
    for (const event of events) {
      if (event.type === "fallback") {
        await recordActivity(ctx, {
          kind: "model.fallback",
          summary: `Fallback model ${fallback?.label ?? "(none)"} took over from ${primary.label} (${event.reason})`,
          actorKind: "system",
          threadId,
          channel: "web",
          metadata: { reason: event.reason },
        });
        continue;
      }
      const model = event.model === "primary" ? primary : fallback;
      if (!model?.providerId) continue;
      await ctx.db.insert("modelProviderErrors", {
        providerId: model.providerId,
        modelId: model.label.slice(model.label.indexOf("/") + 1),
        errorKind: event.errorKind,
        ...(event.httpStatus !== undefined ? { httpStatus: event.httpStatus } : {}),
        fallbackActivated: event.fallbackActivated,
        threadId,
        message: event.message,
      });
      await ctx.db.patch("modelProviders", model.providerId, { lastErrorAt: now, lastErrorKind: event.errorKind });
    }
    const usedFallback = events.some((event) => event.type === "fallback");
    const answeredWith = usedFallback && fallback ? fallback.label : primary.label;
    await recordActivity(ctx, {
      kind: failed ? "chat.reply_failed" : "chat.reply",
      summary: failed ? "The agent could not answer a visitor on the web chat" : `The agent answered a visitor on the web chat (${answeredWith})`,
      actorKind: "agent",
      threadId,
      channel: "web",
    });
    const conversation = await ctx.db
      .query("conversations")
      .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
      .unique();
    if (conversation && !failed) await ctx.db.patch("conversations", conversation._id, { lastMessageAt: now, messageCount: conversation.messageCount + 1 });
    return null;
  },
});
