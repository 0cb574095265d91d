// Which model answers (convex/lib/modelRouting.ts): keys are read from Convex env vars by the NAME
// the configuration stores, each provider from its own variable, and the offline local model
// answers when nothing else can.
import { describe, expect, it } from "vitest";

import { LOCAL_MODEL, planModel, planModels, type ResolvedModel } from "../../../convex/lib/modelRouting.ts";
import { RATE_LIMIT_DEFAULTS } from "../../../convex/lib/validators.ts";

const anthropic: ResolvedModel = {
  providerId: null,
  providerSlug: "anthropic",
  kind: "anthropic",
  displayName: "Anthropic",
  modelId: "claude-x",
  apiKeyEnvVar: "ANTHROPIC_API_KEY",
  enabled: true,
};
const openrouter: ResolvedModel = { ...anthropic, providerSlug: "openrouter", kind: "openrouter", displayName: "OpenRouter", modelId: "some/model", apiKeyEnvVar: "OPENROUTER_API_KEY" };
const compatible: ResolvedModel = { ...anthropic, providerSlug: "vllm", kind: "openaiCompatible", displayName: "vLLM", apiKeyEnvVar: undefined, baseUrl: "https://llm.example.com/v1" };

describe("planModel", () => {
  it("reads the key from the env var the configuration names, and only from it", () => {
    expect(planModel(anthropic, { ANTHROPIC_API_KEY: "key-a", OPENROUTER_API_KEY: "key-o" })).toMatchObject({ apiKey: "key-a" });
    expect(planModel(openrouter, { ANTHROPIC_API_KEY: "key-a", OPENROUTER_API_KEY: "key-o" })).toMatchObject({ apiKey: "key-o" });
  });

  it("keeps OpenRouter's key separate: a direct provider's key never unlocks it", () => {
    expect(planModel(openrouter, { ANTHROPIC_API_KEY: "key-a", OPENAI_API_KEY: "key-b" })).toEqual({
      unusable: 'provider "openrouter" has no API key (env var OPENROUTER_API_KEY is not set)',
    });
  });

  it.each([
    ["an unset variable", {}],
    ["an empty variable", { ANTHROPIC_API_KEY: "" }],
    ["a blank variable", { ANTHROPIC_API_KEY: "   " }],
  ])("treats %s as no key", (_name, env) => {
    expect(planModel(anthropic, env)).toHaveProperty("unusable");
  });

  it("refuses a disabled provider and an OpenAI-compatible provider without a base URL", () => {
    expect(planModel({ ...anthropic, enabled: false }, { ANTHROPIC_API_KEY: "k" })).toEqual({ unusable: 'provider "anthropic" is disabled' });
    expect(planModel({ ...compatible, baseUrl: undefined }, {})).toEqual({ unusable: 'provider "vllm" has no base URL' });
    expect(planModel(compatible, {})).toMatchObject({ kind: "openaiCompatible", isOfflineDemo: false });
  });

  it("labels the local model as the offline demo", () => {
    expect(planModel(LOCAL_MODEL, {})).toMatchObject({ label: "Local demo · clawsync-demo", isOfflineDemo: true });
  });
});

describe("planModels", () => {
  const env = { ANTHROPIC_API_KEY: "key-a", OPENROUTER_API_KEY: "key-o" };

  it("uses the primary with its fallback when both can be called", () => {
    const plan = planModels(anthropic, openrouter, env);
    expect([plan.primary.providerSlug, plan.fallback?.providerSlug, plan.notes]).toEqual(["anthropic", "openrouter", []]);
  });

  it("promotes the fallback when the primary has no key, and says why", () => {
    const plan = planModels(anthropic, openrouter, { OPENROUTER_API_KEY: "key-o" });
    expect([plan.primary.providerSlug, plan.fallback]).toEqual(["openrouter", null]);
    expect(plan.notes).toEqual(['Primary model unavailable: provider "anthropic" has no API key (env var ANTHROPIC_API_KEY is not set)']);
  });

  it("answers with the offline local model when no provider key is configured", () => {
    const plan = planModels(anthropic, openrouter, {});
    expect(plan.primary).toMatchObject({ kind: "local", isOfflineDemo: true });
    expect(plan.fallback).toBeNull();
    expect(plan.notes.at(-1)).toBe("Answering with the offline demo model");
  });

  it("answers with the local model on a deployment nobody configured", () => {
    expect(planModels(null, null, {})).toMatchObject({ primary: { kind: "local" }, fallback: null, notes: [] });
  });
});

describe("rate limit defaults", () => {
  it.each([
    ["chatPerSession", 10, 60_000],
    ["channelPerUser", 20, 60_000],
    ["skillPerSkill", 30, 60_000],
    ["webhookSkillsGlobal", 100, 60_000],
    ["mcpPerServer", 50, 60_000],
    ["global", 200, 60_000],
  ] as const)("%s defaults to %i per %i ms, as the spec's table says", (name, rate, period) => {
    expect(RATE_LIMIT_DEFAULTS[name].config).toMatchObject({ rate, period, capacity: rate });
  });
});
