// Builds the AI SDK model for one configured provider, and bounds its sampling settings. The key
// arrives as a value the caller read from a Convex env var by the NAME stored in modelProviders;
// this module never reads the environment, so no provider SDK can pick up a key on its own.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import type { ModelProviderKind } from "../lib/validators";
import { ModelUnavailableError } from "./errors";
import { createLocalModel } from "./localModel";

/** One model to build: the provider row's kind, slug and base URL, the model id, and the key value. */
export type ProviderSelection = {
  kind: ModelProviderKind;
  modelId: string;
  /** The key itself, read from the env var the provider row names; never stored. */
  apiKey?: string;
  /** Only for `openaiCompatible`: an https URL such as `https://llm.example.com/v1`. */
  baseUrl?: string;
  /** The provider row's slug; names an `openaiCompatible` provider (`<slug>.chat`). */
  providerSlug: string;
};

export type ProviderDeps = {
  /** Replaces the global fetch for the provider's HTTP calls (tests). */
  fetch?: typeof fetch;
};

/** Longest model id accepted: ids are short names such as `anthropic/claude-sonnet-4`. */
const MODEL_ID_MAX_CHARS = 200;

/**
 * Builds the language model for a selection. Throws ModelUnavailableError with kind `auth` when a
 * keyed provider (anthropic, openai, openrouter) has no key, and with kind `badRequest` for an
 * empty model id or an `openaiCompatible` base URL that is missing, not https, or holds credentials.
 * An `openaiCompatible` key is optional: self-hosted servers often need none.
 */
export function buildProviderModel(selection: ProviderSelection, deps: ProviderDeps = {}): LanguageModelV3 {
  const modelId = selection.modelId.trim();
  if (modelId === "" || modelId.length > MODEL_ID_MAX_CHARS) {
    throw new ModelUnavailableError("badRequest", `Provider "${selection.providerSlug}" has no valid model id`);
  }
  const fetch = deps.fetch;
  switch (selection.kind) {
    case "local":
      return createLocalModel({ modelId });
    case "anthropic":
      return createAnthropic({ apiKey: requireKey(selection), fetch })(modelId);
    case "openai":
      // Chat Completions rather than the Responses API: stateless, so nothing of the conversation
      // is stored at OpenAI between calls, and the agent's own history is the only history.
      return createOpenAI({ apiKey: requireKey(selection), fetch }).chat(modelId);
    case "openrouter":
      return createOpenRouter({ apiKey: requireKey(selection), fetch }).chat(modelId);
    case "openaiCompatible":
      return createOpenAICompatible({
        name: selection.providerSlug,
        baseURL: httpsBaseUrl(selection),
        ...(selection.apiKey ? { apiKey: selection.apiKey } : {}),
        fetch,
      }).chatModel(modelId);
  }
}

function requireKey(selection: ProviderSelection): string {
  const key = selection.apiKey?.trim();
  if (!key) throw new ModelUnavailableError("auth", `Provider "${selection.providerSlug}" (${selection.kind}) has no API key`);
  return key;
}

/** The base URL without a trailing slash, if it is https and carries no credentials or fragment. */
function httpsBaseUrl(selection: ProviderSelection): string {
  let url: URL;
  try {
    url = new URL(selection.baseUrl ?? "");
  } catch {
    throw new ModelUnavailableError("badRequest", `Provider "${selection.providerSlug}" has no valid base URL`);
  }
  if (url.protocol !== "https:") {
    throw new ModelUnavailableError("badRequest", `Provider "${selection.providerSlug}" base URL must use https`);
  }
  if (url.username || url.password || url.hash) {
    throw new ModelUnavailableError("badRequest", `Provider "${selection.providerSlug}" base URL must not hold credentials or a fragment`);
  }
  return url.href.replace(/\/+$/, "");
}

/** Bounds for owner-set sampling settings. */
export const MODEL_SETTINGS_BOUNDS = {
  temperatureMin: 0,
  /** Anthropic's API accepts 0..1; the others 0..2. */
  temperatureMax: { anthropic: 1, other: 2 },
  maxOutputTokensMin: 1,
  maxOutputTokensMax: 8192,
  maxOutputTokensDefault: 1024,
} as const;

/** AI SDK call settings for one model. */
export type ModelCallSettings = { temperature?: number; maxOutputTokens: number };

/**
 * Clamps a selection's stored settings to what its provider accepts: temperature into 0..1 for
 * Anthropic and 0..2 otherwise (absent or not a number: the provider's default), max output tokens
 * into 1..8192 (absent or not a number: 1024). The caller passes the result to the AI SDK call,
 * and the fallback's to withFallback's `fallbackSettings`.
 */
export function resolveModelSettings(selection: { kind: ModelProviderKind; temperature?: number; maxTokens?: number }): ModelCallSettings {
  const bounds = MODEL_SETTINGS_BOUNDS;
  const { temperature, maxTokens } = selection;
  const maxOutputTokens = isNumber(maxTokens)
    ? clamp(Math.floor(maxTokens), bounds.maxOutputTokensMin, bounds.maxOutputTokensMax)
    : bounds.maxOutputTokensDefault;
  if (!isNumber(temperature)) return { maxOutputTokens };
  const temperatureMax = selection.kind === "anthropic" ? bounds.temperatureMax.anthropic : bounds.temperatureMax.other;
  return { temperature: clamp(temperature, bounds.temperatureMin, temperatureMax), maxOutputTokens };
}

function isNumber(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
