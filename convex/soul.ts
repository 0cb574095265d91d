// The soul document as SyncBoard edits it. Every save is a new version (nothing is overwritten), and
// the highest version is what the next reply reads: see agentSettings.ts, which owns the rules.
import { v } from "convex/values";

import { latestSoul, saveSoulVersion, soulProblem } from "./agentSettings";
import { DEFAULT_SOUL } from "./content/defaultSoul";
import { ownerMutation, ownerQuery } from "./lib/functions";
import { LIMITS } from "./lib/validators";

/** Versions the history lists: enough to see recent edits, bounded so the query stays small. */
export const SOUL_HISTORY_SIZE = 20;

/** Characters of each old version shown in the history, so the list never carries whole documents. */
export const SOUL_PREVIEW_CHARS = 160;

const vSource = v.union(v.literal("seed"), v.literal("owner"), v.literal("default"));

/** The live soul; version null means nothing is stored yet and the built-in default is live. */
export const current = ownerQuery({
  args: {},
  returns: v.object({ version: v.union(v.number(), v.null()), content: v.string(), source: vSource, savedAt: v.union(v.number(), v.null()), maxChars: v.number() }),
  handler: async (ctx) => {
    const latest = await latestSoul(ctx);
    if (latest === null) return { version: null, content: DEFAULT_SOUL, source: "default" as const, savedAt: null, maxChars: LIMITS.soulChars };
    return { version: latest.version, content: latest.content, source: latest.source, savedAt: latest._creationTime, maxChars: LIMITS.soulChars };
  },
});

/** The latest versions, newest first, each with a short preview and who saved it. */
export const history = ownerQuery({
  args: {},
  returns: v.array(
    v.object({
      version: v.number(),
      source: v.union(v.literal("seed"), v.literal("owner")),
      savedAt: v.number(),
      chars: v.number(),
      preview: v.string(),
      savedBy: v.union(v.string(), v.null()),
    }),
  ),
  handler: async (ctx) => {
    const versions = await ctx.db.query("soulDocuments").withIndex("by_version").order("desc").take(SOUL_HISTORY_SIZE);
    const names = new Map<string, string | null>();
    const rows = [];
    for (const doc of versions) {
      let savedBy: string | null = null;
      if (doc.createdBy) {
        if (!names.has(doc.createdBy)) names.set(doc.createdBy, (await ctx.db.get("owners", doc.createdBy))?.name ?? null);
        savedBy = names.get(doc.createdBy) ?? null;
      }
      rows.push({
        version: doc.version,
        source: doc.source,
        savedAt: doc._creationTime,
        chars: doc.content.length,
        preview: doc.content.slice(0, SOUL_PREVIEW_CHARS),
        savedBy,
      });
    }
    return rows;
  },
});

/**
 * Saves a new version. `baseVersion` is the version the editor started from: when another owner
 * saved in between, the save is refused rather than silently replacing their edit.
 */
export const save = ownerMutation({
  args: { content: v.string(), baseVersion: v.union(v.number(), v.null()) },
  returns: v.union(v.object({ ok: v.literal(true), version: v.number() }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { content, baseVersion }) => {
    const problem = soulProblem(content);
    if (problem !== null) return { ok: false as const, error: problem };
    const latest = await latestSoul(ctx);
    if ((latest?.version ?? null) !== baseVersion) {
      return { ok: false as const, error: "Another owner saved a newer version while you were editing. Copy your text, reload the page and apply it again." };
    }
    return { ok: true as const, version: await saveSoulVersion(ctx, content, ctx.owner.ownerId) };
  },
});
