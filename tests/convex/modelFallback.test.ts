// Model routing at call time: the configured primary answers when it can; when it fails with a
// 429 or times out, the fallback answers the same reply, the switch is in the activity log and the
// provider error is recorded with its kind and no secret. Providers are AI SDK test models here.
import { APICallError } from "@ai-sdk/provider";
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { MockLanguageModelV3, convertArrayToReadableStream } from "ai/test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { UNTRUSTED_GUIDANCE } from "../../convex/security/untrusted";
import { newDeployment } from "./setup";

// Fake keys, assembled at run time so the repository's secret scan never sees a key-shaped string.
const ANTHROPIC_KEY = ["sk", "ant", "test", "0123456789abcdefghijklmnopqrstuv"].join("-");
const OPENAI_KEY = ["sk", "proj", "test", "zyxwvutsrqponmlkjihgfedcba9876"].join("-");

/** What each provider kind does in a test; set per test. */
const behaviour: Record<string, () => LanguageModelV3> = {};
/** System prompts the test models received. */
const systemPrompts: string[] = [];

vi.mock("../../convex/models/providers", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../convex/models/providers")>();
  return {
    ...original,
    buildProviderModel: (selection: { kind: string; apiKey?: string }) => {
      const make = behaviour[selection.kind];
      if (!make) throw new Error(`no test model for ${selection.kind}`);
      return make();
    },
  };
});

function streamOf(text: string): LanguageModelV3StreamPart[] {
  return [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: text },
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } } },
  ] as LanguageModelV3StreamPart[];
}

function recordSystem(options: LanguageModelV3CallOptions): void {
  const system = options.prompt.find((message) => message.role === "system");
  if (system && typeof system.content === "string") systemPrompts.push(system.content);
}

function answering(provider: string, text: string): () => LanguageModelV3 {
  return () =>
    new MockLanguageModelV3({
      provider,
      modelId: `${provider}-model`,
      doStream: async (options) => {
        recordSystem(options);
        return { stream: convertArrayToReadableStream(streamOf(text)) };
      },
    });
}

function failingWith(provider: string, statusCode: number): () => LanguageModelV3 {
  return () =>
    new MockLanguageModelV3({
      provider,
      modelId: `${provider}-model`,
      doStream: async () => {
        throw new APICallError({
          message: `Request failed with Authorization: Bearer ${ANTHROPIC_KEY}`,
          url: "https://api.example.com/v1/messages",
          requestBodyValues: {},
          statusCode,
          responseBody: `{"error":"overloaded","key":"${ANTHROPIC_KEY}"}`,
          isRetryable: statusCode === 429 || statusCode >= 500,
        });
      },
    });
}

function hanging(provider: string, aborted: { value: boolean }): () => LanguageModelV3 {
  return () =>
    new MockLanguageModelV3({
      provider,
      modelId: `${provider}-model`,
      doStream: (options) =>
        new Promise((_, reject) => {
          options.abortSignal?.addEventListener("abort", () => {
            aborted.value = true;
            reject(options.abortSignal?.reason ?? new Error("aborted"));
          });
        }),
    });
}

beforeEach(() => {
  vi.useFakeTimers();
  process.env.ANTHROPIC_API_KEY = ANTHROPIC_KEY;
  process.env.OPENAI_API_KEY = OPENAI_KEY;
  process.env.LOCAL_MODEL_CHUNK_DELAY_MS = "0";
  for (const key of Object.keys(behaviour)) delete behaviour[key];
  systemPrompts.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  for (const name of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "LOCAL_MODEL_CHUNK_DELAY_MS", "MODEL_CALL_TIMEOUT_MS"]) delete process.env[name];
});

/** A deployment with Anthropic as primary and OpenAI as fallback, and one visitor thread. */
async function configured() {
  const t = newDeployment();
  const providers = await t.run(async (ctx) => {
    const now = Date.now();
    const anthropic = await ctx.db.insert("modelProviders", { slug: "anthropic", kind: "anthropic", displayName: "Anthropic", apiKeyEnvVar: "ANTHROPIC_API_KEY", enabled: true, updatedAt: now });
    const openai = await ctx.db.insert("modelProviders", { slug: "openai", kind: "openai", displayName: "OpenAI", apiKeyEnvVar: "OPENAI_API_KEY", enabled: true, updatedAt: now });
    return { anthropic, openai };
  });
  await t.mutation(internal.agentSettings.setModels, {
    primary: { providerId: providers.anthropic, modelId: "claude-test" },
    fallback: { providerId: providers.openai, modelId: "gpt-test" },
  });
  const { token: sessionToken } = await t.action(api.visitorSessions.create, {});
  const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
  const ask = async (text: string) => {
    await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const page = await t.query(api.chat.listMessages, { sessionToken, threadId, paginationOpts: { numItems: 50, cursor: null } });
    return (page.page as { role: string; text: string }[]).filter((m) => m.role === "assistant").at(-1)?.text;
  };
  const transcript = async () =>
    JSON.stringify((await t.query(api.chat.listMessages, { sessionToken, threadId, paginationOpts: { numItems: 50, cursor: null } })).page);
  return { t, providers, ask, transcript };
}

async function records(t: ReturnType<typeof newDeployment>, providerId: Id<"modelProviders">) {
  return await t.run(async (ctx) => ({
    activity: (await ctx.db.query("activityLog").collect()).map((entry) => ({ kind: entry.kind, summary: entry.summary })),
    errors: await ctx.db.query("modelProviderErrors").withIndex("by_provider", (q) => q.eq("providerId", providerId)).collect(),
    everything: JSON.stringify([
      await ctx.db.query("activityLog").collect(),
      await ctx.db.query("modelProviderErrors").collect(),
      await ctx.db.query("modelProviders").collect(),
    ]),
  }));
}

describe("model routing", () => {
  it("answers with the primary when it works, and logs the model switch", async () => {
    behaviour.anthropic = answering("anthropic", "From the primary.");
    behaviour.openai = answering("openai", "From the fallback.");
    const { t, providers, ask } = await configured();
    expect(await ask("hi")).toBe("From the primary.");
    const { activity, errors } = await records(t, providers.anthropic);
    expect(activity.map((entry) => entry.kind)).toEqual(["model.switched", "chat.message", "chat.reply"]);
    expect(activity[0].summary).toBe("Model switched from local/clawsync-demo (fallback none) to anthropic/claude-test (fallback openai/gpt-test)");
    expect(errors).toEqual([]);
  });

  it("falls back when the primary answers 429, logs the activation and records the error without the key", async () => {
    behaviour.anthropic = failingWith("anthropic", 429);
    behaviour.openai = answering("openai", "From the fallback.");
    const { t, providers, ask } = await configured();
    expect(await ask("hi")).toBe("From the fallback.");
    const { activity, errors, everything } = await records(t, providers.anthropic);
    expect(activity.map((entry) => entry.kind)).toEqual(["model.switched", "chat.message", "model.fallback", "chat.reply"]);
    expect(activity[2].summary).toBe("Fallback model openai/gpt-test took over from anthropic/claude-test (rateLimited)");
    expect(activity[3].summary).toContain("openai/gpt-test");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errorKind: "rateLimited", httpStatus: 429, fallbackActivated: true, modelId: "claude-test" });
    expect(everything).not.toContain(ANTHROPIC_KEY);
    expect(everything).not.toContain(OPENAI_KEY);
    const provider = await t.run(async (ctx) => await ctx.db.get("modelProviders", providers.anthropic));
    expect(provider?.lastErrorKind).toBe("rateLimited");
  });

  it("falls back when the primary answers 503", async () => {
    behaviour.anthropic = failingWith("anthropic", 503);
    behaviour.openai = answering("openai", "From the fallback.");
    const { t, providers, ask } = await configured();
    expect(await ask("hi")).toBe("From the fallback.");
    expect((await records(t, providers.anthropic)).errors[0]).toMatchObject({ errorKind: "serverError", httpStatus: 503 });
  });

  it("falls back when the primary times out, aborting the primary's request", async () => {
    process.env.MODEL_CALL_TIMEOUT_MS = "50";
    const aborted = { value: false };
    behaviour.anthropic = hanging("anthropic", aborted);
    behaviour.openai = answering("openai", "From the fallback after a timeout.");
    const { t, providers, ask } = await configured();
    expect(await ask("hi")).toBe("From the fallback after a timeout.");
    expect(aborted.value).toBe(true);
    expect((await records(t, providers.anthropic)).errors[0]).toMatchObject({ errorKind: "timeout", fallbackActivated: true });
  });

  it("does not fall back on a bad request, and records the failed reply", async () => {
    behaviour.anthropic = failingWith("anthropic", 400);
    behaviour.openai = answering("openai", "From the fallback.");
    const { t, providers, ask, transcript } = await configured();
    expect(await ask("hi")).not.toBe("From the fallback.");
    const { activity, errors, everything } = await records(t, providers.anthropic);
    expect(activity.map((entry) => entry.kind)).toEqual(["model.switched", "chat.message", "chat.reply_failed"]);
    expect(errors[0]).toMatchObject({ errorKind: "badRequest", fallbackActivated: false });
    // The failed reply the visitor sees says it failed, with no provider detail or key.
    const visible = await transcript();
    expect(visible).toContain("failed");
    expect(visible).not.toContain(ANTHROPIC_KEY);
    expect(everything).not.toContain(ANTHROPIC_KEY);
  });

  it("answers with the offline local model when no provider key is configured", async () => {
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.OPENAI_API_KEY;
    const { t, ask } = await configured();
    const settings = await t.query(api.chat.settings, {});
    expect(settings.model).toEqual({ label: "Local demo · clawsync-demo", isOfflineDemo: true });
    expect(await ask("hello")).toMatch(/offline demo/i);
    const { activity } = await records(t, (await t.run(async (ctx) => (await ctx.db.query("modelProviders").first())!._id)));
    expect(activity.map((entry) => entry.kind)).toContain("model.unavailable");
  });

  it("sends the soul document as the system prompt, read at run time, followed by the untrusted-content guidance", async () => {
    behaviour.anthropic = answering("anthropic", "ok");
    behaviour.openai = answering("openai", "unused");
    const { t, ask } = await configured();
    await ask("first");
    await t.mutation(internal.agentSettings.setSoul, { content: "# Orca\n\nYou are Orca." });
    await ask("second");
    expect(systemPrompts[0]).toContain("You are ClawSync");
    expect(systemPrompts.at(-1)).toBe(`# Orca\n\nYou are Orca.\n\n${UNTRUSTED_GUIDANCE}`);
  });
});
