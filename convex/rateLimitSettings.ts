// Rate limit settings: one row per limit, read by every limited call at run time (see
// lib/rateLimits.ts), so a change applies at once. SyncBoard's config page lists and edits them
// through `list` and `update`, which stores through `set` under stricter bounds; the local
// runtime's tools (benchmarks, tests) call `set` with the admin key.
import { v } from "convex/values";

import { internal } from "./_generated/api";
import { recordActivity } from "./activity";
import { internalMutation, ownerMutation, ownerQuery } from "./lib/functions";
import { rateLimitConfig } from "./lib/rateLimits";
import {
  DAY,
  RATE_LIMIT_DEFAULTS,
  RATE_LIMIT_NAMES,
  SECOND,
  vRateLimitConfig,
  vRateLimitName,
  vRateLimitScope,
  vRateLimitUnit,
  type RateLimitConfig,
} from "./lib/validators";

export const set = internalMutation({
  args: { name: vRateLimitName, config: vRateLimitConfig },
  returns: v.null(),
  handler: async (ctx, { name, config }) => {
    if (!(config.rate > 0 && config.period > 0) || (config.capacity !== undefined && config.capacity < 1)) {
      throw new Error("A rate limit needs a positive rate, period and capacity");
    }
    const existing = await ctx.db
      .query("rateLimitConfig")
      .withIndex("by_name", (q) => q.eq("name", name))
      .unique();
    const row = { name, ...config, updatedAt: Date.now() };
    if (existing) await ctx.db.replace("rateLimitConfig", existing._id, row);
    else await ctx.db.insert("rateLimitConfig", row);
    await recordActivity(ctx, { kind: "config.rateLimit", summary: `Rate limit "${name}" set to ${config.rate} per ${config.period / 1000} s`, actorKind: "owner" });
    return null;
  },
});

/** Bounds of an owner-set limit: whole numbers, a period from a second to a day. */
export const RATE_LIMIT_BOUNDS = {
  rateMax: 1_000_000,
  periodMinMs: SECOND,
  periodMaxMs: DAY,
  shardsMax: 100,
} as const;

function wholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Why an owner's limit cannot be stored, in words they can act on; null when it can. */
export function rateLimitProblem(config: RateLimitConfig): string | null {
  const bounds = RATE_LIMIT_BOUNDS;
  if (!wholeIn(config.rate, 1, bounds.rateMax)) return `The rate must be a whole number from 1 to ${bounds.rateMax}.`;
  if (!wholeIn(config.period, bounds.periodMinMs, bounds.periodMaxMs)) return "The period must be a whole number of milliseconds, from one second to one day.";
  if (config.capacity !== undefined && !wholeIn(config.capacity, 1, bounds.rateMax)) return `The burst capacity must be a whole number from 1 to ${bounds.rateMax}.`;
  if (config.shards !== undefined && !wholeIn(config.shards, 1, bounds.shardsMax)) return `Shards must be a whole number from 1 to ${bounds.shardsMax}.`;
  return null;
}

const vLimitRow = v.object({
  name: vRateLimitName,
  label: v.string(),
  unit: vRateLimitUnit,
  scope: vRateLimitScope,
  fromSpec: v.boolean(),
  config: vRateLimitConfig,
  defaultConfig: vRateLimitConfig,
  isDefault: v.boolean(),
});

function sameConfig(a: RateLimitConfig, b: RateLimitConfig): boolean {
  return a.kind === b.kind && a.rate === b.rate && a.period === b.period && a.capacity === b.capacity && a.shards === b.shards;
}

/** Every limit the platform enforces, with the configuration it runs with now and its default. */
export const list = ownerQuery({
  args: {},
  returns: v.array(vLimitRow),
  handler: async (ctx) => {
    const rows = [];
    for (const name of RATE_LIMIT_NAMES) {
      const { config: defaultConfig, label, unit, scope, fromSpec } = RATE_LIMIT_DEFAULTS[name];
      const config = await rateLimitConfig(ctx, name);
      rows.push({ name, label, unit, scope, fromSpec, config, defaultConfig, isDefault: sameConfig(config, defaultConfig) });
    }
    return rows;
  },
});

/** Changes one limit; the next limited call uses it. A value out of bounds is refused, not clamped. */
export const update = ownerMutation({
  args: { name: vRateLimitName, config: vRateLimitConfig },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { name, config }) => {
    const problem = rateLimitProblem(config);
    if (problem !== null) return { ok: false as const, error: problem };
    await ctx.runMutation(internal.rateLimitSettings.set, { name, config });
    // `set` serves the admin key too, so the owner who made the change is stamped here.
    const row = await ctx.db
      .query("rateLimitConfig")
      .withIndex("by_name", (q) => q.eq("name", name))
      .unique();
    if (row !== null) await ctx.db.patch("rateLimitConfig", row._id, { updatedBy: ctx.owner.ownerId });
    return { ok: true as const };
  },
});
