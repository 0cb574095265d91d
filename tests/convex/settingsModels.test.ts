// SyncBoard's models page: only owners may list, switch, add or test models; a switch must name an
// existing, enabled provider and is logged; a provider's base URL must be public https; and no key
// ever comes back, whatever a provider echoes. Keyed providers are AI SDK test models here (see the
// mock below), so no test reaches the network; the local model is the real one.
import { APICallError } from "@ai-sdk/provider";
import { MockLanguageModelV3 } from "ai/test";
import { makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { ownerDeployment, refusalKind, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

/** A key that must never appear anywhere a caller can see, assembled at run time. */
const CANARY_KEY = ["sk", "ant", "canary", "Zq81xLm4Tv0pRw7Ys2Bn5Kd9Hf3Jc6Ga"].join("-");
const CANARY_ENV = "CANARY_API_KEY";

/** What a keyed provider's model does in a test, by provider kind. */
const behaviour: Record<string, (apiKey: string | undefined) => MockLanguageModelV3> = {};

vi.mock("../../convex/models/providers", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../convex/models/providers")>();
  return {
    ...original,
    buildProviderModel: (selection: Parameters<typeof original.buildProviderModel>[0]) => {
      const make = behaviour[selection.kind];
      return make ? make(selection.apiKey) : original.buildProviderModel(selection);
    },
  };
});

/** A provider that answers 401 and echoes the key it was sent, as careless providers do. */
function echoingKey(apiKey: string | undefined) {
  return new MockLanguageModelV3({
    provider: "anthropic",
    modelId: "claude-test",
    doGenerate: async () => {
      throw new APICallError({
        message: `Invalid key: ${apiKey} (Authorization: Bearer ${apiKey})`,
        url: `https://api.example.com/v1/messages?key=${apiKey}`,
        requestBodyValues: { prompt: "secret conversation" },
        statusCode: 401,
        responseBody: `{"error":"invalid x-api-key","key":"${apiKey}"}`,
        isRetryable: false,
      });
    },
  });
}

/** A provider that answers, putting the key it was sent in its answer. */
function answeringWithKey(apiKey: string | undefined) {
  return new MockLanguageModelV3({
    provider: "anthropic",
    modelId: "claude-test",
    doGenerate: async () => ({
      content: [{ type: "text", text: `Hello! Your key is ${apiKey}.` }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
      warnings: [],
    }),
  });
}

beforeEach(() => {
  for (const kind of Object.keys(behaviour)) delete behaviour[kind];
});

afterEach(() => {
  delete process.env[CANARY_ENV];
});

/** Adds an Anthropic provider reading its key from the canary env var; returns the provider id. */
async function addCanaryProvider(ada: ReturnType<Deployment["withIdentity"]>): Promise<Id<"modelProviders">> {
  const added = await ada.mutation(api.models.addProvider, { slug: "anthropic", kind: "anthropic", displayName: "Anthropic", apiKeyEnvVar: CANARY_ENV });
  if (!added.ok) throw new Error(added.error);
  return added.providerId;
}

async function localProviderId(t: Deployment): Promise<Id<"modelProviders">> {
  return await t.run(async (ctx) => (await ctx.db.query("modelProviders").withIndex("by_slug", (q) => q.eq("slug", "local")).unique())!._id);
}

async function modelState(t: Deployment) {
  return await t.run(async (ctx) => ({
    agent: await ctx.db.query("agentConfig").collect(),
    providers: await ctx.db.query("modelProviders").collect(),
    activity: await ctx.db.query("activityLog").collect(),
  }));
}

describe("who may see and change the models", () => {
  type Call = [string, "query" | "mutation" | "action", (providerId: Id<"modelProviders">) => Record<string, unknown>];
  const calls: Call[] = [
    ["models:providers", "query", () => ({})],
    ["models:selection", "query", () => ({})],
    ["models:setSelection", "mutation", (providerId) => ({ primary: { providerId, modelId: "attacker-model" } })],
    ["models:addProvider", "mutation", () => ({ slug: "evil", kind: "openaiCompatible", displayName: "Evil", baseUrl: "https://evil.example.com/v1" })],
    ["models:testCall", "action", (providerId) => ({ providerId, modelId: "claude-test" })],
  ];

  it.each(calls)("%s refuses an anonymous caller and a signed-in non-owner, changing nothing and calling no model", async (path, kind, args) => {
    const { t, ada } = await ownerDeployment();
    process.env[CANARY_ENV] = CANARY_KEY;
    const providerId = await addCanaryProvider(ada);
    const called = vi.fn(answeringWithKey);
    behaviour.anthropic = called;
    const before = await modelState(t);
    const run = (client: Pick<Deployment, "query" | "mutation" | "action">) =>
      kind === "query"
        ? client.query(makeFunctionReference<"query">(path), args(providerId))
        : kind === "mutation"
          ? client.mutation(makeFunctionReference<"mutation">(path), args(providerId))
          : client.action(makeFunctionReference<"action">(path), args(providerId));
    expect(await refusalKind(run(t))).toBe("NotSignedIn");
    expect(await refusalKind(run(signedInAs(t, "mallory")))).toBe("NotOwner");
    expect(await modelState(t)).toEqual(before);
    expect(called).not.toHaveBeenCalled();
  });
});

describe("the provider list", () => {
  it("says whether each provider's key env var is set, and never returns a key", async () => {
    const { ada } = await ownerDeployment();
    await addCanaryProvider(ada);
    const unset = await ada.query(api.models.providers, {});
    expect(unset.map(({ slug, keyRequired, keySet, apiKeyEnvVar }) => ({ slug, keyRequired, keySet, apiKeyEnvVar }))).toEqual([
      { slug: "anthropic", keyRequired: true, keySet: false, apiKeyEnvVar: CANARY_ENV },
      { slug: "local", keyRequired: false, keySet: false, apiKeyEnvVar: null },
    ]);
    process.env[CANARY_ENV] = CANARY_KEY;
    const set = await ada.query(api.models.providers, {});
    expect(set[0].keySet).toBe(true);
    expect(JSON.stringify(set)).not.toContain(CANARY_KEY);
  });
});

describe("switching models", () => {
  it("switches the primary and fallback, logs the switch, and the next reply's configuration uses them", async () => {
    const { t, ada, ownerId } = await ownerDeployment();
    const anthropic = await addCanaryProvider(ada);
    const local = await localProviderId(t);
    expect(await ada.mutation(api.models.setSelection, { primary: { providerId: anthropic, modelId: " claude-test " }, fallback: { providerId: local, modelId: "clawsync-demo" } })).toEqual({ ok: true });
    const config = await t.query(internal.agentSettings.runConfig, {});
    expect(config.primary).toMatchObject({ providerSlug: "anthropic", modelId: "claude-test" });
    expect(config.fallback).toMatchObject({ providerSlug: "local", modelId: "clawsync-demo" });
    expect(await ada.query(api.models.selection, {})).toMatchObject({ primary: { providerId: anthropic, modelId: "claude-test" }, fallback: { providerId: local } });
    const stored = await t.run(async (ctx) => ({
      agent: await ctx.db.query("agentConfig").first(),
      switches: (await ctx.db.query("activityLog").collect()).filter((entry) => entry.kind === "model.switched").map((entry) => entry.summary),
    }));
    expect(stored.agent?.updatedBy).toBe(ownerId);
    expect(stored.switches).toEqual(["Model switched from local/clawsync-demo (fallback none) to anthropic/claude-test (fallback local/clawsync-demo)"]);
  });

  it("answers with the local model while the primary's key is missing, and says why without a key", async () => {
    const { ada } = await ownerDeployment();
    const anthropic = await addCanaryProvider(ada);
    await ada.mutation(api.models.setSelection, { primary: { providerId: anthropic, modelId: "claude-test" } });
    const selection = await ada.query(api.models.selection, {});
    expect(selection.answering).toEqual({ label: "Local demo · clawsync-demo", isOfflineDemo: true });
    expect(selection.notes.join(" ")).toContain(CANARY_ENV);
    process.env[CANARY_ENV] = CANARY_KEY;
    const configured = await ada.query(api.models.selection, {});
    expect(configured.answering).toEqual({ label: "Anthropic · claude-test", isOfflineDemo: false });
    expect(JSON.stringify(configured)).not.toContain(CANARY_KEY);
  });

  it.each([
    ["a provider that no longer exists", "deleted", /no longer exists/],
    ["a disabled provider", "disabled", /disabled/],
    ["an empty model id", "emptyId", /model's id/],
    ["the primary again as the fallback", "sameFallback", /different model/],
    ["a temperature above the provider's bound", "hot", /temperature/],
  ] as const)("refuses switching to %s, changing nothing", async (_name, attack, error) => {
    const { t, ada } = await ownerDeployment();
    const anthropic = await addCanaryProvider(ada);
    const local = await localProviderId(t);
    if (attack === "deleted") await t.run(async (ctx) => await ctx.db.delete("modelProviders", anthropic));
    if (attack === "disabled") await t.run(async (ctx) => await ctx.db.patch("modelProviders", anthropic, { enabled: false }));
    const before = await modelState(t);
    const primary = { providerId: anthropic, modelId: attack === "emptyId" ? "  " : "claude-test", ...(attack === "hot" ? { temperature: 1.5 } : {}) };
    const fallback = attack === "sameFallback" ? { providerId: anthropic, modelId: "claude-test" } : { providerId: local, modelId: "clawsync-demo" };
    const result = await ada.mutation(api.models.setSelection, { primary, fallback });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(error) });
    expect(await modelState(t)).toEqual(before);
  });
});

describe("adding a provider", () => {
  it("adds an OpenAI-compatible provider with a public https base URL, enabled and logged", async () => {
    const { t, ada } = await ownerDeployment();
    const added = await ada.mutation(api.models.addProvider, { slug: "my-vllm", kind: "openaiCompatible", displayName: "My vLLM", baseUrl: "https://LLM.example.com/v1/", apiKeyEnvVar: "MY_VLLM_API_KEY" });
    expect(added.ok).toBe(true);
    const row = await t.run(async (ctx) => await ctx.db.query("modelProviders").withIndex("by_slug", (q) => q.eq("slug", "my-vllm")).unique());
    expect(row).toMatchObject({ kind: "openaiCompatible", baseUrl: "https://llm.example.com/v1", apiKeyEnvVar: "MY_VLLM_API_KEY", enabled: true });
    const kinds = await t.run(async (ctx) => (await ctx.db.query("activityLog").collect()).map((entry) => entry.kind));
    expect(kinds).toContain("model.providerAdded");
  });

  it.each([
    ["an http base URL", { baseUrl: "http://llm.example.com/v1" }, /https/],
    ["a private address", { baseUrl: "https://10.0.0.1/v1" }, /private/],
    ["the cloud metadata address", { baseUrl: "https://169.254.169.254/latest" }, /linkLocal/],
    ["a loopback address", { baseUrl: "https://127.0.0.1/v1" }, /loopback/],
    ["localhost", { baseUrl: "https://localhost/v1" }, /internal/],
    ["an internal name", { baseUrl: "https://vllm.internal/v1" }, /internal/],
    ["credentials in the URL", { baseUrl: "https://user:pass@llm.example.com/v1" }, /user name or password/],
    ["a port other than 443", { baseUrl: "https://llm.example.com:8000/v1" }, /port/],
    ["a query string", { baseUrl: "https://llm.example.com/v1?api_key=x" }, /query string/],
    ["a compatible provider without a base URL", { baseUrl: undefined }, /base URL/],
    ["a platform secret as the key's env var", { apiKeyEnvVar: "SKILL_SECRET_ENCRYPTION_KEY" }, /_API_KEY/],
    ["another provider's key name", { apiKeyEnvVar: "ANTHROPIC_API_KEY" }, /only a anthropic provider/],
    ["a key typed where its env var name goes", { apiKeyEnvVar: CANARY_KEY }, /never the key itself/],
    ["a second local provider", { kind: "local" as const }, /built in/],
    ["a provider with a bad name", { slug: "My VLLM!" }, /provider name/],
  ])("refuses adding %s, storing nothing", async (_name, change, error) => {
    const { t, ada } = await ownerDeployment();
    const before = await modelState(t);
    const result = await ada.mutation(api.models.addProvider, { slug: "my-vllm", kind: "openaiCompatible", displayName: "My vLLM", baseUrl: "https://llm.example.com/v1", ...change });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(error) });
    expect(await modelState(t)).toEqual(before);
    expect(JSON.stringify(await modelState(t))).not.toContain(CANARY_KEY);
  });

  it("refuses a second provider reading the same key, and a duplicate name", async () => {
    const { ada } = await ownerDeployment();
    await addCanaryProvider(ada);
    expect(await ada.mutation(api.models.addProvider, { slug: "sneaky", kind: "openaiCompatible", displayName: "Sneaky", baseUrl: "https://sneaky.example.com/v1", apiKeyEnvVar: CANARY_ENV })).toEqual({
      ok: false,
      error: expect.stringMatching(/already the key of Anthropic/),
    });
    expect(await ada.mutation(api.models.addProvider, { slug: "anthropic", kind: "anthropic", displayName: "Again", apiKeyEnvVar: "OTHER_API_KEY" })).toEqual({ ok: false, error: expect.stringMatching(/exists already/) });
  });
});

describe("the test call", () => {
  it("works with the local model and no key at all", async () => {
    const { t, ada } = await ownerDeployment();
    await ada.mutation(api.models.addProvider, { slug: "my-vllm", kind: "openaiCompatible", displayName: "My vLLM", baseUrl: "https://llm.example.com/v1" });
    const result = await ada.action(api.models.testCall, { providerId: await localProviderId(t), modelId: "clawsync-demo" });
    expect(result).toMatchObject({ ok: true, label: "Local demo · clawsync-demo" });
    if (result.ok) {
      expect(result.answer.length).toBeGreaterThan(0);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("returns the classified error kind of a provider that echoes the key, and never the key or the provider's error", async () => {
    const { ada } = await ownerDeployment();
    process.env[CANARY_ENV] = CANARY_KEY;
    const providerId = await addCanaryProvider(ada);
    const received: (string | undefined)[] = [];
    behaviour.anthropic = (apiKey) => {
      received.push(apiKey);
      return echoingKey(apiKey);
    };
    const result = await ada.action(api.models.testCall, { providerId, modelId: "claude-test" });
    expect(received).toEqual([CANARY_KEY]);
    expect(result).toMatchObject({ ok: false, errorKind: "auth", httpStatus: 401 });
    const shown = JSON.stringify(result);
    expect(shown).not.toContain(CANARY_KEY);
    expect(shown).not.toContain("secret conversation");
    expect(shown).not.toContain("?key=");
  });

  it("scrubs the key from a provider that fails before any call, with the key in its error", async () => {
    const { ada } = await ownerDeployment();
    process.env[CANARY_ENV] = CANARY_KEY;
    const providerId = await addCanaryProvider(ada);
    behaviour.anthropic = (apiKey) => {
      throw new Error(`Could not configure the client with key ${apiKey}`);
    };
    const result = await ada.action(api.models.testCall, { providerId, modelId: "claude-test" });
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain(CANARY_KEY);
  });

  it("scrubs the key from an answer that repeats it", async () => {
    const { ada } = await ownerDeployment();
    process.env[CANARY_ENV] = CANARY_KEY;
    const providerId = await addCanaryProvider(ada);
    behaviour.anthropic = answeringWithKey;
    const result = await ada.action(api.models.testCall, { providerId, modelId: "claude-test" });
    expect(result).toMatchObject({ ok: true, label: "Anthropic · claude-test", answer: expect.stringMatching(/^Hello! Your key is /) });
    expect(JSON.stringify(result)).not.toContain(CANARY_KEY);
  });

  it("says a provider without its key cannot be called, naming the env var, and calls nothing", async () => {
    const { ada } = await ownerDeployment();
    const providerId = await addCanaryProvider(ada);
    const called = vi.fn(answeringWithKey);
    behaviour.anthropic = called;
    const result = await ada.action(api.models.testCall, { providerId, modelId: "claude-test" });
    expect(result).toMatchObject({ ok: false, errorKind: "unusable", message: expect.stringContaining(CANARY_ENV) });
    expect(called).not.toHaveBeenCalled();
  });

  it("never returns the key from any models function", async () => {
    const { t, ada } = await ownerDeployment();
    process.env[CANARY_ENV] = CANARY_KEY;
    const providerId = await addCanaryProvider(ada);
    behaviour.anthropic = answeringWithKey;
    const results = [
      await ada.mutation(api.models.setSelection, { primary: { providerId, modelId: "claude-test" }, fallback: { providerId: await localProviderId(t), modelId: "clawsync-demo" } }),
      await ada.query(api.models.providers, {}),
      await ada.query(api.models.selection, {}),
      await ada.action(api.models.testCall, { providerId, modelId: "claude-test" }),
      await t.query(api.chat.settings, {}),
    ];
    expect(JSON.stringify(results)).not.toContain(CANARY_KEY);
    const stored = await t.run(async (ctx) => JSON.stringify([await ctx.db.query("modelProviders").collect(), await ctx.db.query("agentConfig").collect(), await ctx.db.query("activityLog").collect()]));
    expect(stored).not.toContain(CANARY_KEY);
  });
});
