// Example code skill: searches one website through the Brave Search API, restricted to that site
// with the `site:` operator. It declares the one host it calls and the one secret it reads; the
// security checker, the allowlist and the owner's approval decide whether it may run at all.
import type { CodeSkillModule } from "./types";

const SEARCH_HOST = "api.search.brave.com";
const MAX_RESULTS = 5;

type BraveResult = { title?: unknown; url?: unknown; description?: unknown };

export const siteSearch: CodeSkillModule = {
  skillMeta: {
    name: "site_search",
    displayName: "Site search",
    description: "Searches one website for pages matching a query and returns their titles, links and snippets.",
    permissions: { allowedDomains: [SEARCH_HOST], secretNames: ["BRAVE_SEARCH_API_KEY"] },
    inputSchema: {
      type: "object",
      properties: {
        site: { type: "string", maxLength: 253, pattern: "^[a-z0-9][a-z0-9.-]*\\.[a-z0-9-]*[a-z0-9]$" },
        query: { type: "string", minLength: 1, maxLength: 200 },
      },
      required: ["site", "query"],
      additionalProperties: false,
    },
    ui: { category: "search", icon: "search", showIndicator: true },
    requiresApproval: true,
  },
  run: async (ctx, input) => {
    const key = await ctx.secret("BRAVE_SEARCH_API_KEY");
    const query = `site:${String(input.site)} ${String(input.query)}`;
    const url = `https://${SEARCH_HOST}/res/v1/web/search?count=${MAX_RESULTS}&q=${encodeURIComponent(query)}`;
    const response = await ctx.fetch(url, { headers: { Accept: "application/json", "X-Subscription-Token": key } });
    if (!response.ok) return { ok: false, message: response.message };
    if (response.status !== 200) return { ok: false, message: `The search service answered with HTTP status ${response.status}.` };
    let results: BraveResult[];
    try {
      const parsed = JSON.parse(response.text) as { web?: { results?: BraveResult[] } };
      results = parsed.web?.results ?? [];
    } catch {
      return { ok: false, message: "The search service's answer was not JSON." };
    }
    const lines = results.slice(0, MAX_RESULTS).map((result) => `- ${String(result.title ?? "")} (${String(result.url ?? "")}): ${String(result.description ?? "")}`);
    return { ok: true, output: lines.length > 0 ? lines.join("\n") : "No pages matched." };
  },
};
