// The models page: which providers exist and whether their key is configured, which model answers
// and which takes over when it fails, adding a provider, and a one-prompt test call. Keys live only
// in Convex env vars; the database and every value returned here hold env var NAMES, and a key is
// read only inside `testCall`, to make the call, exactly as the agent's own replies read it.
import { generateText } from "ai";
import { v, type Infer } from "convex/values";

import { internal } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import { env, type QueryCtx } from "./_generated/server";
import { recordActivity } from "./activity";
import { applyModels, ensureSeeded, readAgentSettings, resolveSelection } from "./agentSettings";
import { internalQuery, ownerAction, ownerMutation, ownerQuery } from "./lib/functions";
import { planModel, planModels, vResolvedModel, type ResolvedModel } from "./lib/modelRouting";
import { LIMITS, vModelErrorKind, vModelProviderKind, vModelSelection, type ModelProviderKind, type ModelSelection } from "./lib/validators";
import { classifyModelError, type ClassifiedError } from "./models/errors";
import { withFallback } from "./models/fallback";
import { buildProviderModel, MODEL_SETTINGS_BOUNDS, resolveModelSettings } from "./models/providers";
import { scrubText } from "./security/redact";
import { parseOutboundUrl } from "./security/ssrf";

/** Providers one deployment may configure; the list query returns them all. */
export const PROVIDERS_MAX = 20;

/** Longest model id accepted, as the provider builder accepts (ids are short names). */
export const MODEL_ID_MAX_CHARS = 200;

/** Provider slugs: lowercase, as they appear in activity entries ("my-vllm/llama-3"). */
const PROVIDER_SLUG = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Env var names a provider key may be read from. The `_API_KEY` suffix keeps the platform's own
 * secrets (the encryption key, webhook secrets) out of reach: a provider sends its key to the
 * provider's server, and for an OpenAI-compatible provider that server is the owner's choice.
 */
const KEY_ENV_VAR = /^[A-Z][A-Z0-9_]{0,55}_API_KEY$/;

/** Each direct provider's conventional key name: only a provider of that kind may read it. */
const CONVENTIONAL_KEY_ENV_VARS: Readonly<Record<string, ModelProviderKind>> = {
  ANTHROPIC_API_KEY: "anthropic",
  OPENAI_API_KEY: "openai",
  OPENROUTER_API_KEY: "openrouter",
};

/** Provider kinds that cannot answer without a key. */
const KEYED_KINDS: ReadonlySet<ModelProviderKind> = new Set(["anthropic", "openai", "openrouter"]);

const vRefusal = v.object({ ok: v.literal(false), error: v.string() });

const vProvider = v.object({
  _id: v.id("modelProviders"),
  slug: v.string(),
  kind: vModelProviderKind,
  displayName: v.string(),
  enabled: v.boolean(),
  apiKeyEnvVar: v.union(v.string(), v.null()),
  keyRequired: v.boolean(),
  // Whether that env var holds a value now; the value itself never leaves the deployment.
  keySet: v.boolean(),
  baseUrl: v.union(v.string(), v.null()),
  lastErrorAt: v.union(v.number(), v.null()),
  lastErrorKind: v.union(vModelErrorKind, v.null()),
});

function keySet(name: string | undefined): boolean {
  return name !== undefined && Boolean(env[name]?.trim());
}

export const providers = ownerQuery({
  args: {},
  returns: v.array(vProvider),
  handler: async (ctx) => {
    const rows = await ctx.db.query("modelProviders").withIndex("by_slug").take(PROVIDERS_MAX);
    return rows.map((row) => ({
      _id: row._id,
      slug: row.slug,
      kind: row.kind,
      displayName: row.displayName,
      enabled: row.enabled,
      apiKeyEnvVar: row.apiKeyEnvVar ?? null,
      keyRequired: KEYED_KINDS.has(row.kind),
      keySet: keySet(row.apiKeyEnvVar),
      baseUrl: row.baseUrl ?? null,
      lastErrorAt: row.lastErrorAt ?? null,
      lastErrorKind: row.lastErrorKind ?? null,
    }));
  },
});

/** The configured models, and what answers now (the offline model when neither can be called). */
export const selection = ownerQuery({
  args: {},
  returns: v.object({
    primary: v.union(vModelSelection, v.null()),
    fallback: v.union(vModelSelection, v.null()),
    answering: v.object({ label: v.string(), isOfflineDemo: v.boolean() }),
    notes: v.array(v.string()),
  }),
  handler: async (ctx) => {
    const { config } = await readAgentSettings(ctx);
    const plan = planModels(await resolveSelection(ctx, config?.primaryModel), await resolveSelection(ctx, config?.fallbackModel), env);
    return {
      primary: config?.primaryModel ?? null,
      fallback: config?.fallbackModel ?? null,
      answering: { label: plan.primary.label, isOfflineDemo: plan.primary.isOfflineDemo },
      // Each note names at most an env var, never its value.
      notes: plan.notes,
    };
  },
});

/** Why a model choice cannot be saved, or null: the provider must exist and be enabled. */
async function selectionProblem(ctx: QueryCtx, choice: ModelSelection, role: string): Promise<string | null> {
  const provider = await ctx.db.get("modelProviders", choice.providerId);
  if (provider === null) return `The ${role} model's provider no longer exists.`;
  if (!provider.enabled) return `The ${role} model's provider, ${provider.displayName}, is disabled.`;
  const modelId = choice.modelId.trim();
  if (modelId === "" || modelId.length > MODEL_ID_MAX_CHARS) return `Enter the ${role} model's id (at most ${MODEL_ID_MAX_CHARS} characters).`;
  const bounds = MODEL_SETTINGS_BOUNDS;
  const temperatureMax = provider.kind === "anthropic" ? bounds.temperatureMax.anthropic : bounds.temperatureMax.other;
  if (choice.temperature !== undefined && !(choice.temperature >= bounds.temperatureMin && choice.temperature <= temperatureMax)) {
    return `The ${role} model's temperature must be from ${bounds.temperatureMin} to ${temperatureMax}.`;
  }
  if (choice.maxTokens !== undefined && !(Number.isInteger(choice.maxTokens) && choice.maxTokens >= bounds.maxOutputTokensMin && choice.maxTokens <= bounds.maxOutputTokensMax)) {
    return `The ${role} model's max tokens must be a whole number from ${bounds.maxOutputTokensMin} to ${bounds.maxOutputTokensMax}.`;
  }
  return null;
}

function trimmed(choice: ModelSelection): ModelSelection {
  return { ...choice, modelId: choice.modelId.trim() };
}

/** Switches the primary and fallback models; the switch is logged (see agentSettings.applyModels). */
export const setSelection = ownerMutation({
  args: { primary: vModelSelection, fallback: v.optional(vModelSelection) },
  returns: v.union(v.object({ ok: v.literal(true) }), vRefusal),
  handler: async (ctx, { primary, fallback }) => {
    const problem = (await selectionProblem(ctx, primary, "primary")) ?? (fallback ? await selectionProblem(ctx, fallback, "fallback") : null);
    if (problem !== null) return { ok: false as const, error: problem };
    if (fallback && fallback.providerId === primary.providerId && fallback.modelId.trim() === primary.modelId.trim()) {
      return { ok: false as const, error: "The fallback must be a different model from the primary." };
    }
    await applyModels(ctx, trimmed(primary), fallback ? trimmed(fallback) : undefined, ctx.owner.ownerId);
    return { ok: true as const };
  },
});

export type ProviderInput = { slug: string; kind: ModelProviderKind; displayName: string; apiKeyEnvVar?: string; baseUrl?: string };

/**
 * A new provider's fields as they would be stored, or why they cannot be. Checks only the input
 * itself; `addProvider` adds the checks against other rows.
 */
export function checkProviderInput(input: ProviderInput): { ok: true; row: ProviderInput } | { ok: false; error: string } {
  const refuse = (error: string) => ({ ok: false as const, error });
  const slug = input.slug.trim();
  const displayName = input.displayName.trim();
  const apiKeyEnvVar = input.apiKeyEnvVar?.trim() || undefined;
  const baseUrl = input.baseUrl?.trim() || undefined;
  if (input.kind === "local") return refuse("The local model is built in; it cannot be added again.");
  if (!PROVIDER_SLUG.test(slug)) return refuse("A provider name is 2 to 40 lowercase letters, digits and hyphens, starting with a letter.");
  if (displayName === "" || displayName.length > LIMITS.nameChars) return refuse(`A display name is 1 to ${LIMITS.nameChars} characters.`);
  if (apiKeyEnvVar !== undefined && !KEY_ENV_VAR.test(apiKeyEnvVar)) {
    return refuse("The key's env var is an upper-case name ending in _API_KEY, such as ANTHROPIC_API_KEY. Enter its name, never the key itself.");
  }
  if (KEYED_KINDS.has(input.kind) && apiKeyEnvVar === undefined) return refuse("This provider needs the name of the env var that holds its key.");
  const reservedFor = apiKeyEnvVar ? CONVENTIONAL_KEY_ENV_VARS[apiKeyEnvVar] : undefined;
  if (reservedFor !== undefined && reservedFor !== input.kind) return refuse(`${apiKeyEnvVar} is the ${reservedFor} key; only a ${reservedFor} provider may use it.`);
  if (input.kind !== "openaiCompatible") {
    if (baseUrl !== undefined) return refuse("Only an OpenAI-compatible provider takes a base URL.");
    return { ok: true, row: { slug, kind: input.kind, displayName, ...(apiKeyEnvVar ? { apiKeyEnvVar } : {}) } };
  }
  if (baseUrl === undefined) return refuse("An OpenAI-compatible provider needs its https base URL, such as https://llm.example.com/v1.");
  const url = checkBaseUrl(baseUrl);
  if (!url.ok) return url;
  return { ok: true, row: { slug, kind: input.kind, displayName, baseUrl: url.url, ...(apiKeyEnvVar ? { apiKeyEnvVar } : {}) } };
}

/**
 * An OpenAI-compatible base URL under the rules skills' outbound URLs follow: https on the default
 * port, no credentials, and a host that is neither internal nor a private address. The URL's own
 * host is its allowlist, so only those rules decide. No query string: keys travel in headers.
 */
function checkBaseUrl(raw: string): { ok: true; url: string } | { ok: false; error: string } {
  let host: string;
  try {
    host = new URL(raw).hostname;
  } catch {
    return { ok: false, error: "The base URL is not a valid URL." };
  }
  const parsed = parseOutboundUrl(raw, [host]);
  if (!parsed.ok) return { ok: false, error: parsed.reason };
  if (parsed.url.search !== "") return { ok: false, error: "The base URL may not have a query string." };
  return { ok: true, url: parsed.url.href.replace(/\/+$/, "") };
}

/** Why an env var name cannot be this provider's: each name belongs to one provider and not to voice. */
async function keyNameTaken(ctx: QueryCtx, name: string, existing: Doc<"modelProviders">[]): Promise<string | null> {
  const owner = existing.find((row) => row.apiKeyEnvVar === name);
  if (owner) return `${name} is already the key of ${owner.displayName}; each provider reads its own env var.`;
  const { config } = await readAgentSettings(ctx);
  if (config?.voice && (config.voice.apiKeyEnvVar === name || config.voice.agentIdEnvVar === name)) return `${name} is the voice key; a model provider cannot read it.`;
  return null;
}

export const addProvider = ownerMutation({
  args: { slug: v.string(), kind: vModelProviderKind, displayName: v.string(), apiKeyEnvVar: v.optional(v.string()), baseUrl: v.optional(v.string()) },
  returns: v.union(v.object({ ok: v.literal(true), providerId: v.id("modelProviders") }), vRefusal),
  handler: async (ctx, args) => {
    const checked = checkProviderInput(args);
    if (!checked.ok) return checked;
    const { row } = checked;
    // The local provider is seeded first, so it always counts towards the limit and is never crowded out.
    await ensureSeeded(ctx);
    const existing = await ctx.db.query("modelProviders").withIndex("by_slug").take(PROVIDERS_MAX);
    if (existing.some((provider) => provider.slug === row.slug)) return { ok: false as const, error: `A provider named ${row.slug} exists already.` };
    if (existing.length >= PROVIDERS_MAX) return { ok: false as const, error: `At most ${PROVIDERS_MAX} providers can be configured.` };
    const taken = row.apiKeyEnvVar ? await keyNameTaken(ctx, row.apiKeyEnvVar, existing) : null;
    if (taken !== null) return { ok: false as const, error: taken };
    const providerId = await ctx.db.insert("modelProviders", { ...row, enabled: true, updatedAt: Date.now() });
    await recordActivity(ctx, { kind: "model.providerAdded", summary: `Model provider ${row.slug} (${row.kind}) added`, actorKind: "owner" });
    return { ok: true as const, providerId };
  },
});

/** The provider row joined with the model to test; the test call's only database read. */
export const resolveForTest = internalQuery({
  args: { providerId: v.id("modelProviders"), modelId: v.string() },
  returns: v.union(vResolvedModel, v.null()),
  handler: async (ctx, { providerId, modelId }) => await resolveSelection(ctx, { providerId, modelId: modelId.trim() }),
});

/** The test prompt: short, and asking for a short answer, so a test costs next to nothing. */
export const TEST_PROMPT = "This is a connection test from ClawSync. Reply with one short sentence.";
const TEST_MAX_OUTPUT_TOKENS = 64;
const TEST_TIMEOUT_MS = 20_000;
/** Characters of the model's answer shown back. */
export const TEST_ANSWER_CHARS = 200;

const vTestResult = v.union(
  v.object({ ok: v.literal(true), label: v.string(), latencyMs: v.number(), answer: v.string() }),
  v.object({
    ok: v.literal(false),
    // "unusable": the configuration cannot be called at all (no key, disabled, no base URL).
    errorKind: v.union(vModelErrorKind, v.literal("unusable")),
    httpStatus: v.optional(v.number()),
    message: v.string(),
    latencyMs: v.number(),
  }),
);
export type TestCallResult = Infer<typeof vTestResult>;

function shorten(text: string): string {
  return text.length > TEST_ANSWER_CHARS ? `${text.slice(0, TEST_ANSWER_CHARS - 1)}…` : text;
}

/**
 * Sends the test prompt to one model, planned and built exactly as a reply's model is. What comes
 * back is the classified outcome: a provider's own error, which can echo the request and its key,
 * never leaves this function, and the answer is scrubbed of the key before it is returned.
 */
export async function probeModel(model: ResolvedModel, environment: Record<string, string | undefined>): Promise<TestCallResult> {
  const planned = planModel(model, environment);
  if ("unusable" in planned) return { ok: false, errorKind: "unusable", message: `The model cannot be called: ${planned.unusable}.`, latencyMs: 0 };
  const secrets = planned.apiKey ? [planned.apiKey] : [];
  const started = Date.now();
  // The router classifies the failure before it throws; its hook is where the kind survives.
  let failure: ClassifiedError | undefined;
  try {
    const built = buildProviderModel({ kind: planned.kind, modelId: planned.modelId, apiKey: planned.apiKey, baseUrl: planned.baseUrl, providerSlug: planned.providerSlug });
    const routed = withFallback(built, null, {
      timeoutMs: TEST_TIMEOUT_MS,
      secrets,
      onError: (event) => {
        failure = event.error;
      },
    });
    const result = await generateText({
      model: routed,
      prompt: TEST_PROMPT,
      ...resolveModelSettings(planned),
      maxOutputTokens: TEST_MAX_OUTPUT_TOKENS,
      // One attempt, as a reply makes: a retry would hide what the provider said the first time.
      maxRetries: 0,
    });
    return { ok: true, label: planned.label, latencyMs: Date.now() - started, answer: shorten(scrubText(result.text, secrets)) };
  } catch (error) {
    const classified = failure ?? classifyModelError(error, { secrets });
    return {
      ok: false,
      errorKind: classified.kind,
      ...(classified.httpStatus !== undefined ? { httpStatus: classified.httpStatus } : {}),
      message: classified.message,
      latencyMs: Date.now() - started,
    };
  }
}

/** Tests one provider and model, saved or not, with the test prompt. */
export const testCall = ownerAction({
  args: { providerId: v.id("modelProviders"), modelId: v.string() },
  returns: vTestResult,
  handler: async (ctx, { providerId, modelId }): Promise<TestCallResult> => {
    if (modelId.trim() === "" || modelId.length > MODEL_ID_MAX_CHARS) return { ok: false, errorKind: "badRequest", message: "Enter a model id to test.", latencyMs: 0 };
    const model = await ctx.runQuery(internal.models.resolveForTest, { providerId, modelId });
    if (model === null) return { ok: false, errorKind: "badRequest", message: "That provider no longer exists.", latencyMs: 0 };
    return await probeModel(model, env);
  },
});
