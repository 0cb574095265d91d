// Fallback routing: which primary failures hand the call to the fallback (429, 5xx, timeout,
// network), which do not (400, the caller's own abort, anything after output reached the caller),
// what the hooks see, that a timeout aborts the primary's request, and that the AI SDK's own
// generateText and streamText get the fallback's answer through the wrapper.
import { APICallError, type LanguageModelV3, type LanguageModelV3CallOptions, type LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { generateText, streamText } from "ai";
import { convertArrayToReadableStream, convertReadableStreamToArray, MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";

import { ModelTimeoutError } from "../../../convex/models/errors.ts";
import { withFallback, type FallbackEvent, type FallbackOptions, type ModelErrorEvent } from "../../../convex/models/fallback.ts";
import { createLocalModel } from "../../../convex/models/localModel.ts";

const TIMEOUT_MS = 60;

const USAGE = {
  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 2, text: 2, reasoning: 0 },
};
const STOP = { unified: "stop", raw: "stop" } as const;

const CALL: LanguageModelV3CallOptions = {
  prompt: [
    { role: "system", content: "# Fern" },
    { role: "user", content: [{ type: "text", text: "hello" }] },
  ],
  temperature: 0.7,
  maxOutputTokens: 100,
};

function apiError(statusCode: number, message = `HTTP ${statusCode}`) {
  return new APICallError({ message, url: "https://api.example.com/v1", requestBodyValues: {}, statusCode, isRetryable: statusCode === 429 || statusCode >= 500 });
}

function textParts(text: string): LanguageModelV3StreamPart[] {
  return [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    ...text.split(/(?<= )/).map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id: "t", delta })),
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: STOP, usage: USAGE },
  ];
}

/** A model that answers `text`, as provider `provider`. */
function answering(text: string, provider = "fallback-provider", modelId = "fallback-model") {
  return new MockLanguageModelV3({
    provider,
    modelId,
    doGenerate: async () => ({ content: [{ type: "text", text }], finishReason: STOP, usage: USAGE, warnings: [] }),
    doStream: async () => ({ stream: convertArrayToReadableStream(textParts(text)) }),
  });
}

/** A primary whose calls fail with `error` as soon as they are made. */
function failing(error: unknown) {
  return new MockLanguageModelV3({
    provider: "primary-provider",
    modelId: "primary-model",
    doGenerate: async () => {
      throw error;
    },
    doStream: async () => {
      throw error;
    },
  });
}

/** Resolves never; rejects with the signal's reason when it aborts (as a provider's fetch does). */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/** A primary that never answers but honours its abort signal. */
function hanging() {
  return new MockLanguageModelV3({
    provider: "primary-provider",
    modelId: "primary-model",
    doGenerate: (options) => untilAborted(options.abortSignal),
    doStream: (options) => untilAborted(options.abortSignal),
  });
}

/** A primary that streams `parts` and then fails: with an error part, or by throwing. */
function streamingThenFailing(parts: LanguageModelV3StreamPart[], failure: { part: unknown } | { thrown: unknown }) {
  return new MockLanguageModelV3({
    provider: "primary-provider",
    modelId: "primary-model",
    doStream: async () => {
      let index = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        pull(controller) {
          if (index < parts.length) return controller.enqueue(parts[index++]);
          if ("thrown" in failure) return controller.error(failure.thrown);
          controller.enqueue({ type: "error", error: failure.part });
          controller.enqueue({ type: "finish", finishReason: { unified: "error", raw: undefined }, usage: USAGE });
          controller.close();
        },
      });
      return { stream };
    },
  });
}

function recorder() {
  const errors: ModelErrorEvent[] = [];
  const fallbacks: FallbackEvent[] = [];
  return {
    errors,
    fallbacks,
    hooks: {
      onError: (event: ModelErrorEvent) => {
        errors.push(event);
      },
      onFallback: (event: FallbackEvent) => {
        fallbacks.push(event);
      },
    } satisfies Partial<FallbackOptions>,
  };
}

const textOfParts = (parts: LanguageModelV3StreamPart[]) => parts.map((part) => (part.type === "text-delta" ? part.delta : "")).join("");

/** Runs one call in either mode and returns the answer's text. */
async function run(mode: "generate" | "stream", model: LanguageModelV3, call: LanguageModelV3CallOptions = CALL): Promise<string> {
  if (mode === "generate") {
    const result = await model.doGenerate(call);
    return result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
  }
  const { stream } = await model.doStream(call);
  return textOfParts(await convertReadableStreamToArray(stream));
}

describe.each(["generate", "stream"] as const)("%s", (mode) => {
  it.each<[string, () => MockLanguageModelV3, string, number | undefined]>([
    ["returns 429", () => failing(apiError(429)), "rateLimited", 429],
    ["returns 500", () => failing(apiError(500)), "serverError", 500],
    ["returns 503", () => failing(apiError(503)), "serverError", 503],
    ["is unreachable", () => failing(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })), "network", undefined],
    ["refuses the key", () => failing(apiError(401)), "auth", 401],
    ["hangs past the deadline", hanging, "timeout", undefined],
  ])("falls back when the primary %s", async (_case, makePrimary, kind, httpStatus) => {
    const primary = makePrimary();
    const fallback = answering("Fallback here.");
    const events = recorder();
    const model = withFallback(primary, fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks });

    expect(await run(mode, model)).toBe("Fallback here.");

    expect(events.errors).toEqual([
      {
        model: "primary",
        provider: "primary-provider",
        modelId: "primary-model",
        error: { kind, ...(httpStatus === undefined ? {} : { httpStatus }), message: expect.any(String) },
        fallbackActivated: true,
      },
    ]);
    expect(events.fallbacks).toEqual([
      { from: { provider: "primary-provider", modelId: "primary-model" }, to: { provider: "fallback-provider", modelId: "fallback-model" }, reason: kind },
    ]);
    const fallbackCalls = mode === "generate" ? fallback.doGenerateCalls : fallback.doStreamCalls;
    expect(fallbackCalls).toHaveLength(1);
    expect(fallbackCalls[0]).toMatchObject({ prompt: CALL.prompt, temperature: 0.7, maxOutputTokens: 100 });
  });

  it("aborts the primary's request when it times out", async () => {
    const primary = hanging();
    const model = withFallback(primary, answering("ok"), { timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    await run(mode, model);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    const primaryCall = (mode === "generate" ? primary.doGenerateCalls : primary.doStreamCalls)[0];
    expect(primaryCall.abortSignal?.aborted).toBe(true);
    expect(primaryCall.abortSignal?.reason).toBeInstanceOf(ModelTimeoutError);
  });

  it("stops waiting at the deadline even for a primary that ignores its signal", async () => {
    const deaf = new MockLanguageModelV3({ doGenerate: () => new Promise(() => {}), doStream: () => new Promise(() => {}) });
    expect(await run(mode, withFallback(deaf, answering("ok"), { timeoutMs: TIMEOUT_MS }))).toBe("ok");
  });

  it.each([
    ["400", apiError(400), "badRequest"],
    ["404", apiError(404), "badRequest"],
    ["an unclassifiable error", new Error("bug in a provider"), "unknown"],
  ])("does not fall back on %s: the error propagates", async (_case, error, kind) => {
    const fallback = answering("never");
    const events = recorder();
    const model = withFallback(failing(error), fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks });
    await expect(run(mode, model)).rejects.toMatchObject({ name: "ModelCallError", kind });
    expect(events.errors).toEqual([expect.objectContaining({ model: "primary", error: expect.objectContaining({ kind }), fallbackActivated: false })]);
    expect(events.fallbacks).toEqual([]);
    expect(fallback.doGenerateCalls.length + fallback.doStreamCalls.length).toBe(0);
  });

  it("propagates the fallback's error after two onError events when both fail", async () => {
    const fallbackError = apiError(503, "fallback down");
    const events = recorder();
    const fallback = failing(fallbackError);
    const model = withFallback(failing(apiError(429)), fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks });
    await expect(run(mode, model)).rejects.toMatchObject({ name: "ModelCallError", kind: "serverError", httpStatus: 503 });
    expect(events.errors.map((event) => [event.model, event.error.kind, event.fallbackActivated])).toEqual([
      ["primary", "rateLimited", true],
      ["fallback", "serverError", false],
    ]);
    expect(events.fallbacks).toHaveLength(1);
  });

  it("propagates the primary's error after onError when no fallback is configured", async () => {
    const error = apiError(429);
    const events = recorder();
    await expect(run(mode, withFallback(failing(error), null, { timeoutMs: TIMEOUT_MS, ...events.hooks }))).rejects.toMatchObject({
      name: "ModelCallError",
      kind: "rateLimited",
      httpStatus: 429,
    });
    expect(events.errors).toEqual([expect.objectContaining({ model: "primary", error: expect.objectContaining({ kind: "rateLimited" }), fallbackActivated: false })]);
    expect(events.fallbacks).toEqual([]);
  });

  it("neither falls back nor reports when the caller aborts", async () => {
    const controller = new AbortController();
    const fallback = answering("never");
    const events = recorder();
    const model = withFallback(hanging(), fallback, { timeoutMs: 5_000, ...events.hooks });
    const pending = run(mode, model, { ...CALL, abortSignal: controller.signal });
    controller.abort(new Error("visitor left"));
    await expect(pending).rejects.toThrow("visitor left");
    expect(events.errors).toEqual([]);
    expect(fallback.doGenerateCalls.length + fallback.doStreamCalls.length).toBe(0);
  });

  it("keeps answering when a hook throws", async () => {
    const model = withFallback(failing(apiError(429)), answering("still here"), {
      timeoutMs: TIMEOUT_MS,
      onError: () => {
        throw new Error("log table unavailable");
      },
      onFallback: async () => {
        throw new Error("activity log unavailable");
      },
    });
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      expect(await run(mode, model)).toBe("still here");
    } finally {
      console.error = original;
    }
    expect(logged).toHaveLength(2);
  });

  it("applies fallbackSettings to the fallback's call only", async () => {
    const primary = failing(apiError(500));
    const fallback = answering("ok");
    await run(mode, withFallback(primary, fallback, { timeoutMs: TIMEOUT_MS, fallbackSettings: { temperature: 1 } }));
    const primaryCall = (mode === "generate" ? primary.doGenerateCalls : primary.doStreamCalls)[0];
    const fallbackCall = (mode === "generate" ? fallback.doGenerateCalls : fallback.doStreamCalls)[0];
    expect(primaryCall.temperature).toBe(0.7);
    expect(fallbackCall).toMatchObject({ temperature: 1, maxOutputTokens: 100 });
  });

  it("scrubs the provided secrets from the events", async () => {
    const key = "local-test-key-value";
    const events = recorder();
    await run(mode, withFallback(failing(apiError(401, `key ${key} revoked`)), answering("ok"), { timeoutMs: TIMEOUT_MS, secrets: [key], ...events.hooks }));
    expect(events.errors[0].error.message).toBe("key [REDACTED] revoked");
  });
});

describe("stream specifics", () => {
  it("falls back on an error part that arrives before any content, dropping the primary's preamble", async () => {
    const primary = streamingThenFailing([{ type: "stream-start", warnings: [] }, { type: "text-start", id: "p" }], { part: { type: "overloaded_error", message: "Overloaded" } });
    const events = recorder();
    const { stream } = await withFallback(primary, answering("From fallback."), { timeoutMs: TIMEOUT_MS, ...events.hooks }).doStream(CALL);
    const parts = await convertReadableStreamToArray(stream);
    expect(parts).toEqual(textParts("From fallback."));
    expect(events.errors).toEqual([expect.objectContaining({ model: "primary", error: expect.objectContaining({ kind: "serverError" }), fallbackActivated: true })]);
  });

  it("falls back when the stream opens but stays silent past the deadline", async () => {
    let signal: AbortSignal | undefined;
    const primary = new MockLanguageModelV3({
      doStream: async (options) => {
        signal = options.abortSignal;
        const stream = new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            controller.enqueue({ type: "stream-start", warnings: [] });
            options.abortSignal?.addEventListener("abort", () => controller.error(options.abortSignal?.reason));
          },
        });
        return { stream };
      },
    });
    expect(await run("stream", withFallback(primary, answering("late but fine"), { timeoutMs: TIMEOUT_MS }))).toBe("late but fine");
    expect(signal?.aborted).toBe(true);
  });

  it("does not fall back on an error part after the first content chunk: it reaches the caller", async () => {
    const fallback = answering("never");
    const events = recorder();
    const failure = apiError(500);
    const primary = streamingThenFailing([{ type: "stream-start", warnings: [] }, { type: "text-start", id: "p" }, { type: "text-delta", id: "p", delta: "Hel" }], { part: failure });
    const { stream } = await withFallback(primary, fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks }).doStream(CALL);
    const parts = await convertReadableStreamToArray(stream);
    expect(parts.map((part) => part.type)).toEqual(["stream-start", "text-start", "text-delta", "error", "finish"]);
    expect(parts[3]).toEqual({ type: "error", error: expect.objectContaining({ name: "ModelCallError", kind: "serverError" }) });
    expect(fallback.doStreamCalls).toHaveLength(0);
    expect(events.errors).toEqual([expect.objectContaining({ model: "primary", error: expect.objectContaining({ kind: "serverError" }), fallbackActivated: false })]);
    expect(events.fallbacks).toEqual([]);
  });

  it("does not fall back when the stream throws after the first content chunk: the stream errors", async () => {
    const fallback = answering("never");
    const events = recorder();
    const thrown = new TypeError("fetch failed");
    const primary = streamingThenFailing([{ type: "stream-start", warnings: [] }, { type: "text-start", id: "p" }, { type: "text-delta", id: "p", delta: "Hel" }], { thrown });
    const { stream } = await withFallback(primary, fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks }).doStream(CALL);
    const reader = stream.getReader();
    const seen: LanguageModelV3StreamPart[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          seen.push(value);
        }
      })(),
    ).rejects.toMatchObject({ name: "ModelCallError", kind: "network" });
    expect(textOfParts(seen)).toBe("Hel");
    expect(fallback.doStreamCalls).toHaveLength(0);
    expect(events.errors).toEqual([expect.objectContaining({ error: expect.objectContaining({ kind: "network" }), fallbackActivated: false })]);
  });

  it("errors a stream that goes silent after content for longer than the deadline, without falling back", async () => {
    const primary = new MockLanguageModelV3({
      doStream: async (options) => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            controller.enqueue({ type: "stream-start", warnings: [] });
            controller.enqueue({ type: "text-start", id: "p" });
            controller.enqueue({ type: "text-delta", id: "p", delta: "Hel" });
            options.abortSignal?.addEventListener("abort", () => controller.error(options.abortSignal?.reason));
          },
        }),
      }),
    });
    const fallback = answering("never");
    const events = recorder();
    const { stream } = await withFallback(primary, fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks }).doStream(CALL);
    await expect(convertReadableStreamToArray(stream)).rejects.toMatchObject({ name: "ModelCallError", kind: "timeout" });
    expect(fallback.doStreamCalls).toHaveLength(0);
    expect(events.errors).toEqual([expect.objectContaining({ error: expect.objectContaining({ kind: "timeout" }), fallbackActivated: false })]);
  });

  it("passes an empty but complete stream through", async () => {
    const empty = new MockLanguageModelV3({
      doStream: async () => ({
        stream: convertArrayToReadableStream<LanguageModelV3StreamPart>([
          { type: "stream-start", warnings: [] },
          { type: "finish", finishReason: STOP, usage: USAGE },
        ]),
      }),
    });
    const { stream } = await withFallback(empty, answering("never"), { timeoutMs: TIMEOUT_MS }).doStream(CALL);
    expect((await convertReadableStreamToArray(stream)).map((part) => part.type)).toEqual(["stream-start", "finish"]);
  });
});

describe("the wrapper", () => {
  it("reports the primary's provider and model id", () => {
    const model = withFallback(answering("x", "anthropic.messages", "claude-x"), answering("y"), { timeoutMs: TIMEOUT_MS });
    expect(model).toMatchObject({ specificationVersion: "v3", provider: "anthropic.messages", modelId: "claude-x" });
  });

  it("serves the primary's answer without touching the fallback", async () => {
    const fallback = answering("never");
    const events = recorder();
    const model = withFallback(answering("Primary here.", "p", "p-1"), fallback, { timeoutMs: TIMEOUT_MS, ...events.hooks });
    expect(await run("generate", model)).toBe("Primary here.");
    expect(await run("stream", model)).toBe("Primary here.");
    expect(fallback.doGenerateCalls.length + fallback.doStreamCalls.length).toBe(0);
    expect(events.errors).toEqual([]);
  });
});

describe("through the AI SDK", () => {
  it("generateText gets the fallback's text when the primary returns 429", async () => {
    const events = recorder();
    const result = await generateText({
      model: withFallback(failing(apiError(429)), answering("Answer from the fallback."), { timeoutMs: TIMEOUT_MS, ...events.hooks }),
      prompt: "hello",
    });
    expect(result.text).toBe("Answer from the fallback.");
    expect(events.fallbacks).toHaveLength(1);
  });

  it("streamText gets the fallback's text when the primary times out", async () => {
    const events = recorder();
    const result = streamText({
      model: withFallback(hanging(), answering("Streamed from the fallback."), { timeoutMs: TIMEOUT_MS, ...events.hooks }),
      prompt: "hello",
    });
    expect(await result.text).toBe("Streamed from the fallback.");
    expect(events.errors.map((event) => event.error.kind)).toEqual(["timeout"]);
  });

  it("streamText falls back to the offline model when the primary's server fails", async () => {
    const result = streamText({
      model: withFallback(failing(apiError(502)), createLocalModel({ chunkDelayMs: 0 }), { timeoutMs: TIMEOUT_MS }),
      system: "# Fern",
      prompt: "hello",
    });
    expect(await result.text).toMatch(/^Hello! I'm Fern\b/);
  });
});

describe("what a final failure reveals", () => {
  it("throws only the classified, scrubbed error: never the provider's own error or a key", async () => {
    const key = ["sk", "ant", "api03", "Zq9".repeat(12)].join("-");
    const leaky = apiError(500, `upstream said: invalid x-api-key ${key} for request {"messages":[{"content":"my secret question"}]}`);
    const thrown = await Promise.resolve(withFallback(failing(leaky), null, { timeoutMs: TIMEOUT_MS, secrets: [key] }).doGenerate(CALL)).catch(
      (error: unknown) => error,
    );
    expect(thrown).not.toBe(leaky);
    expect(thrown).toMatchObject({ name: "ModelCallError", kind: "serverError", httpStatus: 500 });
    const visible = `${String((thrown as Error).message)} ${String((thrown as Error).stack)} ${JSON.stringify(thrown)}`;
    expect(visible).not.toContain(key);
    expect(visible).not.toContain("my secret question");
    expect((thrown as { cause?: unknown }).cause).toBeUndefined();
  });
});
