// What the public chat shows and accepts, as SyncBoard's config page edits it: the presentation
// toggles and placeholder (uiConfig) and the longest message a visitor may send (agentConfig).
// `chat.settings` reads the same rows, so a change reaches visitors at once.
import { v } from "convex/values";

import { recordActivity } from "./activity";
import { ensureSeeded, readAgentSettings, readUiConfig } from "./agentSettings";
import { ownerMutation, ownerQuery } from "./lib/functions";
import { LIMITS } from "./lib/validators";

const vToggles = {
  showModelBadge: v.boolean(),
  showSkillIndicators: v.boolean(),
  showActivityFeed: v.boolean(),
};

export const get = ownerQuery({
  args: {},
  returns: v.object({
    ...vToggles,
    chatPlaceholder: v.string(),
    maxMessageChars: v.number(),
    placeholderMaxChars: v.number(),
    messageCharsCeiling: v.number(),
  }),
  handler: async (ctx) => {
    const ui = await readUiConfig(ctx);
    const agent = await readAgentSettings(ctx);
    return {
      showModelBadge: ui.showModelBadge,
      showSkillIndicators: ui.showSkillIndicators,
      showActivityFeed: ui.showActivityFeed,
      chatPlaceholder: ui.chatPlaceholder,
      maxMessageChars: agent.maxMessageChars,
      placeholderMaxChars: LIMITS.summaryChars,
      messageCharsCeiling: LIMITS.messageCharsCeiling,
    };
  },
});

export type UiSettingsInput = { chatPlaceholder: string; maxMessageChars: number };

/** Why these chat settings cannot be saved, or null when they can. */
export function uiSettingsProblem({ chatPlaceholder, maxMessageChars }: UiSettingsInput): string | null {
  if (chatPlaceholder.trim() === "") return "The placeholder cannot be blank.";
  if (chatPlaceholder.length > LIMITS.summaryChars) return `The placeholder is limited to ${LIMITS.summaryChars} characters.`;
  if (!Number.isInteger(maxMessageChars) || maxMessageChars < 1 || maxMessageChars > LIMITS.messageCharsCeiling) {
    return `The maximum message length must be a whole number from 1 to ${LIMITS.messageCharsCeiling}.`;
  }
  return null;
}

/** Saves the whole chat section at once, as the form submits it. */
export const update = ownerMutation({
  args: { ...vToggles, chatPlaceholder: v.string(), maxMessageChars: v.number() },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, args) => {
    const problem = uiSettingsProblem(args);
    if (problem !== null) return { ok: false as const, error: problem };
    await ensureSeeded(ctx);
    const now = Date.now();
    const updatedBy = ctx.owner.ownerId;
    const { ui } = await readUiConfig(ctx);
    const fields = {
      showModelBadge: args.showModelBadge,
      showSkillIndicators: args.showSkillIndicators,
      showActivityFeed: args.showActivityFeed,
      chatPlaceholder: args.chatPlaceholder.trim(),
      updatedAt: now,
      updatedBy,
    };
    if (ui === null) await ctx.db.insert("uiConfig", fields);
    else await ctx.db.patch("uiConfig", ui._id, fields);
    const { config } = await readAgentSettings(ctx);
    // ensureSeeded has just made sure the agent's row exists.
    await ctx.db.patch("agentConfig", config!._id, { maxMessageChars: args.maxMessageChars, updatedAt: now, updatedBy });
    await recordActivity(ctx, { kind: "config.chat", summary: `Chat settings updated (messages up to ${args.maxMessageChars} characters)`, actorKind: "owner" });
    return { ok: true as const };
  },
});
