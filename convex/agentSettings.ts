// The agent's configuration as the chat reads it at run time: name, soul document, models and
// limits. A new deployment has no rows; the first message seeds the defaults (the offline local
// model and the soul from content/soul.md), so the product works with no configuration at all.
import { v } from "convex/values";

import type { Doc, Id } from "./_generated/dataModel";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { recordActivity } from "./activity";
import { DEFAULT_SOUL } from "./content/defaultSoul";
import { internalMutation, internalQuery } from "./lib/functions";
import { LOCAL_MODEL, vResolvedModel, type ResolvedModel } from "./lib/modelRouting";
import { LIMITS, vModelSelection, type ModelSelection } from "./lib/validators";

export const DEFAULT_AGENT_NAME = "ClawSync";
export const DEFAULT_MAX_STEPS = 5;
export const DEFAULT_PLACEHOLDER = "Message the agent…";

/** The agent's settings, with defaults for a deployment nobody has configured yet. */
export async function readAgentSettings(ctx: QueryCtx) {
  const config = await ctx.db.query("agentConfig").first();
  return {
    config,
    name: config?.name ?? DEFAULT_AGENT_NAME,
    tagline: config?.tagline ?? null,
    maxSteps: config?.maxSteps ?? DEFAULT_MAX_STEPS,
    maxMessageChars: Math.min(config?.maxMessageChars ?? LIMITS.messageCharsDefault, LIMITS.messageCharsCeiling),
  };
}

/** The highest soul version, or null before anyone saved or seeded one. */
export async function latestSoul(ctx: QueryCtx): Promise<Doc<"soulDocuments"> | null> {
  return await ctx.db.query("soulDocuments").withIndex("by_version").order("desc").first();
}

/** The live soul document: the highest version, or the default. Read on every reply. */
export async function readSoul(ctx: QueryCtx): Promise<string> {
  return (await latestSoul(ctx))?.content ?? DEFAULT_SOUL;
}

/** Why a soul document cannot be saved, or null when it can. */
export function soulProblem(content: string): string | null {
  if (content.trim().length === 0) return "The soul document cannot be blank.";
  if (content.length > LIMITS.soulChars) return `The soul document is limited to ${LIMITS.soulChars} characters.`;
  return null;
}

/** Stores `content` as the next soul version and logs it; the caller has checked `soulProblem`. */
export async function saveSoulVersion(ctx: MutationCtx, content: string, ownerId?: Id<"owners">): Promise<number> {
  const version = ((await latestSoul(ctx))?.version ?? 0) + 1;
  await ctx.db.insert("soulDocuments", { version, content, source: "owner", ...(ownerId ? { createdBy: ownerId } : {}) });
  await recordActivity(ctx, { kind: "soul.updated", summary: `Soul document updated to version ${version}`, actorKind: "owner" });
  return version;
}

/** The visitor-facing chat settings, with defaults for a deployment nobody has configured yet. */
export async function readUiConfig(ctx: QueryCtx) {
  const ui = await ctx.db.query("uiConfig").first();
  return {
    ui,
    showModelBadge: ui?.showModelBadge ?? true,
    showSkillIndicators: ui?.showSkillIndicators ?? true,
    showActivityFeed: ui?.showActivityFeed ?? true,
    chatPlaceholder: ui?.chatPlaceholder ?? DEFAULT_PLACEHOLDER,
    welcomeMessage: ui?.welcomeMessage ?? null,
  };
}

/** A model selection joined with its provider; null when the provider row is gone. */
export async function resolveSelection(ctx: QueryCtx, selection: ModelSelection | undefined): Promise<ResolvedModel | null> {
  if (!selection) return null;
  const provider = await ctx.db.get("modelProviders", selection.providerId);
  if (provider === null) return null;
  return fromProvider(provider, selection);
}

function fromProvider(provider: Doc<"modelProviders">, selection: ModelSelection): ResolvedModel {
  return {
    providerId: provider._id,
    providerSlug: provider.slug,
    kind: provider.kind,
    displayName: provider.displayName,
    modelId: selection.modelId,
    enabled: provider.enabled,
    ...(provider.apiKeyEnvVar ? { apiKeyEnvVar: provider.apiKeyEnvVar } : {}),
    ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}),
    ...(selection.temperature !== undefined ? { temperature: selection.temperature } : {}),
    ...(selection.maxTokens !== undefined ? { maxTokens: selection.maxTokens } : {}),
  };
}

/** Seeds the default configuration once: the local provider, the agent, the first soul, the UI. */
export async function ensureSeeded(ctx: MutationCtx): Promise<void> {
  if ((await ctx.db.query("agentConfig").first()) !== null) return;
  const now = Date.now();
  const local =
    (await ctx.db
      .query("modelProviders")
      .withIndex("by_slug", (q) => q.eq("slug", LOCAL_MODEL.providerSlug))
      .unique()) ??
    (await ctx.db.get(
      "modelProviders",
      await ctx.db.insert("modelProviders", { slug: LOCAL_MODEL.providerSlug, kind: "local", displayName: LOCAL_MODEL.displayName, enabled: true, updatedAt: now }),
    ));
  await ctx.db.insert("agentConfig", {
    name: DEFAULT_AGENT_NAME,
    primaryModel: { providerId: local!._id, modelId: LOCAL_MODEL.modelId },
    maxSteps: DEFAULT_MAX_STEPS,
    maxMessageChars: LIMITS.messageCharsDefault,
    updatedAt: now,
  });
  if ((await ctx.db.query("soulDocuments").withIndex("by_version").first()) === null) {
    await ctx.db.insert("soulDocuments", { version: 1, content: DEFAULT_SOUL, source: "seed" });
  }
  if ((await ctx.db.query("uiConfig").first()) === null) {
    await ctx.db.insert("uiConfig", {
      showModelBadge: true,
      showSkillIndicators: true,
      showActivityFeed: true,
      chatPlaceholder: DEFAULT_PLACEHOLDER,
      updatedAt: now,
    });
  }
}

/** What one reply needs, read when the reply starts. */
export const runConfig = internalQuery({
  args: {},
  returns: v.object({
    agentName: v.string(),
    soul: v.string(),
    maxSteps: v.number(),
    primary: v.union(v.null(), vResolvedModel),
    fallback: v.union(v.null(), vResolvedModel),
  }),
  handler: async (ctx) => {
    const settings = await readAgentSettings(ctx);
    return {
      agentName: settings.name,
      soul: await readSoul(ctx),
      maxSteps: settings.maxSteps,
      primary: await resolveSelection(ctx, settings.config?.primaryModel),
      fallback: await resolveSelection(ctx, settings.config?.fallbackModel),
    };
  },
});

/** Saves a new soul version; the next reply uses it, with no deploy. SyncBoard's editor calls this. */
export const setSoul = internalMutation({
  args: { content: v.string() },
  returns: v.number(),
  handler: async (ctx, { content }) => {
    const problem = soulProblem(content);
    if (problem !== null) throw new Error(problem);
    return await saveSoulVersion(ctx, content);
  },
});

/** Switches the primary and fallback models; every switch is logged. SyncBoard's models page calls this. */
export const setModels = internalMutation({
  args: { primary: vModelSelection, fallback: v.optional(vModelSelection) },
  returns: v.null(),
  handler: async (ctx, { primary, fallback }) => {
    await applyModels(ctx, primary, fallback);
    return null;
  },
});

/** Stores the primary and fallback models, logging the switch when it changes what answers. */
export async function applyModels(ctx: MutationCtx, primary: ModelSelection, fallback: ModelSelection | undefined, ownerId?: Id<"owners">): Promise<void> {
  await ensureSeeded(ctx);
  const config = (await ctx.db.query("agentConfig").first())!;
  const describe = async (selection: ModelSelection | undefined) => {
    const resolved = await resolveSelection(ctx, selection);
    if (selection && resolved === null) throw new Error("Unknown model provider");
    return resolved ? `${resolved.providerSlug}/${resolved.modelId}` : "none";
  };
  const before = `${await describe(config.primaryModel)} (fallback ${await describe(config.fallbackModel)})`;
  const after = `${await describe(primary)} (fallback ${await describe(fallback)})`;
  await ctx.db.patch("agentConfig", config._id, { primaryModel: primary, fallbackModel: fallback, updatedAt: Date.now(), ...(ownerId ? { updatedBy: ownerId } : {}) });
  if (before !== after) await recordActivity(ctx, { kind: "model.switched", summary: `Model switched from ${before} to ${after}`, actorKind: "owner" });
}
