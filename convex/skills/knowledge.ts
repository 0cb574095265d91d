// The data side of the knowledgeLookup template: a bounded full-text search of one collection of
// owner-written entries. Internal: only the skill runner calls it, after the checker admitted the
// call, with the collection the owner configured (never one the model names).
import { v } from "convex/values";

import { internalQuery } from "../lib/functions";

/** Most entries one lookup returns. */
export const KNOWLEDGE_RESULTS_MAX = 5;

export const search = internalQuery({
  args: { collection: v.string(), query: v.string(), limit: v.number() },
  returns: v.array(v.object({ title: v.string(), content: v.string() })),
  handler: async (ctx, { collection, query, limit }) => {
    const rows = await ctx.db
      .query("knowledgeEntries")
      .withSearchIndex("search_content", (q) => q.search("content", query).eq("collection", collection))
      .take(Math.max(1, Math.min(KNOWLEDGE_RESULTS_MAX, Math.floor(limit))));
    return rows.map(({ title, content }) => ({ title, content }));
  },
});
