// The templates that read from or post to the web: API caller, RSS fetcher, web page reader and
// webhook caller. Each builds one request from the owner's config and the model's input and hands
// it to `deps.fetch`, which is the guarded fetch limited to the hosts the checker allowed; what
// comes back is turned into text (parsed feed items, page text), never passed on raw.
import { substituteUrlTemplate } from "../../security/ssrf";
import { htmlToText } from "./htmlText";
import type { TemplateDefinition, TemplateDeps, TemplateRunResult } from "./registryTypes";
import { parseFeed, resolveItemLimit, configSchema as rssConfigSchema, inputSchema as rssInputSchema } from "./rss";

const HTTPS_URL = { type: "string", format: "uri", pattern: "^https://", maxLength: 2048 } as const;

/** A fetch's answer as a template result, or the fetch's own refusal passed on with its code. */
async function fetchText(deps: TemplateDeps, request: { url: string; method: string; headers?: Record<string, string>; body?: string }): Promise<TemplateRunResult & { status?: number }> {
  const response = await deps.fetch(request);
  if (!response.ok) return { ok: false, code: response.code, message: response.message };
  if (response.status >= 400) return { ok: false, message: `The site answered with HTTP status ${response.status}.` };
  return { ok: true, output: response.text, status: response.status };
}

export const apiCaller: TemplateDefinition = {
  displayName: "API caller",
  description: "Calls one HTTPS API the owner configured, with a path and query the model fills in.",
  version: 1,
  configSchema: {
    type: "object",
    properties: {
      // `{name}` placeholders in the path and query are filled from the input, percent-encoded.
      urlTemplate: HTTPS_URL,
      method: { enum: ["GET", "POST"] },
      // Optional header carrying the API_KEY secret, e.g. "Authorization: Bearer" or "X-Api-Key".
      authHeader: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$" },
      authScheme: { type: "string", pattern: "^[A-Za-z]{0,16}$" },
    },
    required: ["urlTemplate", "method"],
    additionalProperties: false,
  },
  inputSchema: {
    type: "object",
    properties: { params: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] }, maxProperties: 16 }, body: { type: "object" } },
    additionalProperties: false,
  },
  secretNames: ["API_KEY"],
  usesNetwork: true,
  run: async (config, input, deps) => {
    const url = substituteUrlTemplate(String(config.urlTemplate), (input.params ?? {}) as Record<string, string | number | boolean>);
    if (!url.ok) return { ok: false, code: "INPUT_INVALID", message: url.reason };
    const headers: Record<string, string> = { Accept: "application/json" };
    if (typeof config.authHeader === "string") {
      const key = await deps.secret("API_KEY");
      if (key === undefined) return { ok: false, code: "SECRET_UNAVAILABLE", message: "The secret API_KEY is not set for this skill." };
      headers[config.authHeader] = typeof config.authScheme === "string" && config.authScheme !== "" ? `${config.authScheme} ${key}` : key;
    }
    const method = config.method === "POST" ? "POST" : "GET";
    if (method === "POST") headers["Content-Type"] = "application/json";
    return await fetchText(deps, { url: url.url, method, headers, ...(method === "POST" ? { body: JSON.stringify(input.body ?? {}) } : {}) });
  },
};

export const rssFetcher: TemplateDefinition = {
  displayName: "RSS fetcher",
  description: "Reads the latest items of one RSS or Atom feed.",
  version: 1,
  configSchema: rssConfigSchema,
  inputSchema: rssInputSchema,
  secretNames: [],
  usesNetwork: true,
  run: async (config, input, deps) => {
    const fetched = await fetchText(deps, { url: String(config.feedUrl), method: "GET", headers: { Accept: "application/rss+xml, application/atom+xml, application/xml" } });
    if (!fetched.ok) return fetched;
    const maxItems = resolveItemLimit(typeof config.maxItems === "number" ? config.maxItems : undefined, typeof input.limit === "number" ? input.limit : undefined);
    const feed = parseFeed(fetched.output, { maxItems, baseUrl: String(config.feedUrl) });
    if (!feed.ok) return { ok: false, message: feed.error };
    if (feed.items.length === 0) return { ok: true, output: `${feed.title}: no items.` };
    const lines = feed.items.map((item) => `- ${item.title}${item.published ? ` (${item.published})` : ""}${item.link ? ` ${item.link}` : ""}\n  ${item.summary}`);
    return { ok: true, output: `${feed.title}\n${lines.join("\n")}` };
  },
};

export const webPageReader: TemplateDefinition = {
  displayName: "Web page reader",
  description: "Reads the text of a web page on an allowlisted site.",
  version: 1,
  configSchema: {
    type: "object",
    properties: { maxChars: { type: "integer", minimum: 500, maximum: 20_000 } },
    additionalProperties: false,
  },
  inputSchema: { type: "object", properties: { url: HTTPS_URL }, required: ["url"], additionalProperties: false },
  secretNames: [],
  usesNetwork: true,
  run: async (config, input, deps) => {
    const fetched = await fetchText(deps, { url: String(input.url), method: "GET", headers: { Accept: "text/html, text/plain" } });
    if (!fetched.ok) return fetched;
    const page = htmlToText(fetched.output, typeof config.maxChars === "number" ? { maxChars: config.maxChars } : {});
    return { ok: true, output: page.title ? `${page.title}\n\n${page.text}` : page.text };
  },
};

export const webhookCaller: TemplateDefinition = {
  displayName: "Webhook caller",
  description: "Posts a JSON payload to one webhook URL the owner configured.",
  version: 1,
  configSchema: {
    type: "object",
    properties: { url: HTTPS_URL, signingHeader: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$" } },
    required: ["url"],
    additionalProperties: false,
  },
  inputSchema: { type: "object", properties: { payload: { type: "object" } }, required: ["payload"], additionalProperties: false },
  secretNames: ["WEBHOOK_TOKEN"],
  usesNetwork: true,
  run: async (config, input, deps) => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (typeof config.signingHeader === "string") {
      const token = await deps.secret("WEBHOOK_TOKEN");
      if (token === undefined) return { ok: false, code: "SECRET_UNAVAILABLE", message: "The secret WEBHOOK_TOKEN is not set for this skill." };
      headers[config.signingHeader] = token;
    }
    const sent = await fetchText(deps, { url: String(config.url), method: "POST", headers, body: JSON.stringify(input.payload) });
    return sent.ok ? { ok: true, output: `Delivered (HTTP ${sent.status}).` } : sent;
  },
};
