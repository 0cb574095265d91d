// The built-in templates: for each key, what SyncBoard shows, the JSON Schemas of the owner's config
// and of the model's input, the secrets it reads, whether it reaches the network, and the code that
// runs it. Template skills run only through this table: a skill names a key, never code.
import type { TemplateKey } from "../../lib/validators";
import * as calculator from "./calculator";
import { emailSender } from "./emailSender";
import { apiCaller, rssFetcher, webhookCaller, webPageReader } from "./fetchTemplates";
import { imageAnalyzer } from "./imageAnalyzer";
import type { TemplateDefinition } from "./registryTypes";

export type { TemplateDefinition, TemplateDeps, TemplateRunResult } from "./registryTypes";

const knowledgeLookup: TemplateDefinition = {
  displayName: "Knowledge lookup",
  description: "Searches a collection of entries the owner wrote.",
  version: 1,
  configSchema: {
    type: "object",
    properties: {
      collection: { type: "string", minLength: 1, maxLength: 64, pattern: "^[a-z0-9][a-z0-9-]*$" },
      maxResults: { type: "integer", minimum: 1, maximum: 5 },
    },
    required: ["collection"],
    additionalProperties: false,
  },
  inputSchema: {
    type: "object",
    properties: { query: { type: "string", minLength: 1, maxLength: 200 } },
    required: ["query"],
    additionalProperties: false,
  },
  secretNames: [],
  usesNetwork: false,
  run: async (config, input, deps) => {
    const entries = await deps.searchKnowledge(String(config.collection), String(input.query), Number(config.maxResults ?? 3));
    if (entries.length === 0) return { ok: true, output: "No entries matched." };
    return { ok: true, output: entries.map((entry) => `## ${entry.title}\n${entry.content}`).join("\n\n") };
  },
};

export const TEMPLATES: Readonly<Record<TemplateKey, TemplateDefinition>> = {
  calculator: {
    displayName: "Calculator",
    description: "Evaluates an arithmetic expression.",
    version: 1,
    configSchema: calculator.configSchema,
    inputSchema: calculator.inputSchema,
    secretNames: [],
    usesNetwork: false,
    run: async (config, input) => {
      const precision = typeof config.precision === "number" ? config.precision : undefined;
      const result = calculator.evaluateExpression(input.expression, precision === undefined ? {} : { precision });
      return result.ok ? { ok: true, output: String(result.value) } : { ok: false, message: result.error };
    },
  },
  apiCaller,
  rssFetcher,
  webPageReader,
  knowledgeLookup,
  webhookCaller,
  emailSender,
  imageAnalyzer,
};
