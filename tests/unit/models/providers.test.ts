// Building provider models: each kind names itself as the AI SDK does, keys come only from the
// selection (never the environment), an openai-compatible base URL must be https, and a real
// provider's HTTP failures, seen through an injected fetch, classify as the fallback rule expects.
import { APICallError, type LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";

import type { ModelProviderKind } from "../../../convex/lib/validators.ts";
import { classifyModelError, ModelUnavailableError } from "../../../convex/models/errors.ts";
import { withFallback, type ModelErrorEvent } from "../../../convex/models/fallback.ts";
import { buildProviderModel, resolveModelSettings, type ProviderSelection } from "../../../convex/models/providers.ts";

const TEST_KEY = "test-key-not-real";

const CALL: LanguageModelV3CallOptions = { prompt: [{ role: "user", content: [{ type: "text", text: "hello" }] }] };

const selection = (kind: ModelProviderKind, extra: Partial<ProviderSelection> = {}): ProviderSelection => ({
  kind,
  modelId: "some-model",
  providerSlug: kind,
  apiKey: TEST_KEY,
  ...extra,
});

type Captured = { url: string; headers: Headers };

/** A fetch that records each request and answers with `status` and a JSON body. */
function fakeFetch(status: number, body: unknown, captured: Captured[] = []): typeof fetch {
  return async (input, init) => {
    captured.push({ url: String(input instanceof Request ? input.url : input), headers: new Headers(init?.headers) });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
}

const RATE_LIMITED_BODY = { type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" } };

describe("buildProviderModel", () => {
  it.each<[ModelProviderKind, string, string, Partial<ProviderSelection>]>([
    ["anthropic", "anthropic.messages", "claude-sonnet-4-5", {}],
    ["openai", "openai.chat", "gpt-4o-mini", {}],
    ["openrouter", "openrouter", "anthropic/claude-sonnet-4", {}],
    ["openaiCompatible", "my-vllm.chat", "llama-3", { providerSlug: "my-vllm", baseUrl: "https://llm.example.com/v1/" }],
    ["local", "local", "clawsync-demo", { apiKey: undefined }],
  ])("builds %s as provider %s, model %s", (kind, provider, modelId, extra) => {
    expect(buildProviderModel(selection(kind, { modelId, ...extra }))).toMatchObject({ specificationVersion: "v3", provider, modelId });
  });

  describe.each<ModelProviderKind>(["anthropic", "openai", "openrouter"])("keyed provider %s", (kind) => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it.each([
      ["no key", undefined],
      ["an empty key", ""],
      ["a blank key", "   "],
    ])("refuses %s with ModelUnavailableError(auth), even when the SDK's own env var is set", (_case, apiKey) => {
      // The SDKs fall back to these variables when no key is passed; the builder must never let them.
      process.env.ANTHROPIC_API_KEY = "from-env";
      process.env.OPENAI_API_KEY = "from-env";
      process.env.OPENROUTER_API_KEY = "from-env";
      const build = () => buildProviderModel(selection(kind, { apiKey }));
      expect(build).toThrow(ModelUnavailableError);
      expect(build).toThrow(expect.objectContaining({ kind: "auth" }));
      expect(classifyModelError(captureThrow(build)).kind).toBe("auth");
    });

    it("sends the key it was given", async () => {
      const captured: Captured[] = [];
      const model = buildProviderModel(selection(kind), { fetch: fakeFetch(429, RATE_LIMITED_BODY, captured) });
      // isInstance, not instanceof: OpenRouter's package bundles its own copy of the error class.
      await expect(model.doGenerate(CALL)).rejects.toSatisfy(APICallError.isInstance);
      const headers = captured[0].headers;
      const sent = headers.get("x-api-key") ?? headers.get("authorization");
      expect(sent).toContain(TEST_KEY);
    });
  });

  it.each([
    ["http", "http://llm.example.com/v1"],
    ["a missing URL", undefined],
    ["not a URL", "llm.example.com/v1"],
    ["credentials in the URL", "https://user:pass@llm.example.com/v1"],
    ["a fragment", "https://llm.example.com/v1#x"],
    ["ftp", "ftp://llm.example.com/v1"],
  ])("refuses an openaiCompatible base URL with %s", (_case, baseUrl) => {
    const build = () => buildProviderModel(selection("openaiCompatible", { baseUrl }));
    expect(build).toThrow(ModelUnavailableError);
    expect(build).toThrow(expect.objectContaining({ kind: "badRequest" }));
  });

  it("calls an openaiCompatible server at its base URL, without a key when none is configured", async () => {
    const captured: Captured[] = [];
    const model = buildProviderModel(selection("openaiCompatible", { providerSlug: "my-vllm", baseUrl: "https://llm.example.com/v1/", apiKey: undefined }), {
      fetch: fakeFetch(503, { error: { message: "loading model" } }, captured),
    });
    const error = await model.doGenerate(CALL).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(captured.map((request) => request.url)).toEqual(["https://llm.example.com/v1/chat/completions"]);
    expect(captured[0].headers.get("authorization")).toBeNull();
    expect(classifyModelError(error)).toMatchObject({ kind: "serverError", httpStatus: 503 });
  });

  it.each(["", "   ", "x".repeat(201)])("refuses an invalid model id (%j)", (modelId) => {
    expect(() => buildProviderModel(selection("openai", { modelId }))).toThrow(expect.objectContaining({ kind: "badRequest" }));
  });
});

describe("real provider errors are classified", () => {
  it("an Anthropic 429 becomes an APICallError that classifies as rateLimited", async () => {
    const model = buildProviderModel(selection("anthropic", { modelId: "claude-sonnet-4-5" }), { fetch: fakeFetch(429, RATE_LIMITED_BODY) });
    const error = await model.doGenerate(CALL).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(classifyModelError(error, { secrets: [TEST_KEY] })).toEqual({
      kind: "rateLimited",
      httpStatus: 429,
      message: "Number of requests has exceeded your rate limit",
    });
  });

  it.each<[ModelProviderKind, number, string]>([
    ["openai", 500, "serverError"],
    ["openrouter", 401, "auth"],
    ["anthropic", 400, "badRequest"],
  ])("%s answering %i classifies as %s", async (kind, status, expected) => {
    const model = buildProviderModel(selection(kind), { fetch: fakeFetch(status, { error: { message: "nope", type: "x" } }) });
    const error = await model.doGenerate(CALL).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(classifyModelError(error)).toMatchObject({ kind: expected, httpStatus: status });
  });

  it("a refused connection classifies as network", async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 203.0.113.7:443"), { code: "ECONNREFUSED" }) });
    };
    const model = buildProviderModel(selection("openai"), { fetch: refused });
    const error = await model.doGenerate(CALL).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(classifyModelError(error).kind).toBe("network");
  });

  it("a rate-limited Anthropic primary hands the reply to the offline model", async () => {
    const primary = buildProviderModel(selection("anthropic"), { fetch: fakeFetch(429, RATE_LIMITED_BODY) });
    const fallback = buildProviderModel(selection("local", { apiKey: undefined }));
    const errors: ModelErrorEvent[] = [];
    const model = withFallback(primary, fallback, { timeoutMs: 1_000, secrets: [TEST_KEY], onError: (event) => void errors.push(event) });
    const result = await model.doGenerate(CALL);
    expect(result.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("offline demo model") });
    expect(errors).toEqual([
      expect.objectContaining({ model: "primary", provider: "anthropic.messages", error: expect.objectContaining({ kind: "rateLimited", httpStatus: 429 }) }),
    ]);
  });
});

describe("resolveModelSettings", () => {
  it.each<[string, Parameters<typeof resolveModelSettings>[0], ReturnType<typeof resolveModelSettings>]>([
    ["nothing set", { kind: "openai" }, { maxOutputTokens: 1024 }],
    ["values in range", { kind: "openai", temperature: 0.4, maxTokens: 2000 }, { temperature: 0.4, maxOutputTokens: 2000 }],
    ["a temperature above 2", { kind: "openai", temperature: 5 }, { temperature: 2, maxOutputTokens: 1024 }],
    ["a temperature above 1 for Anthropic", { kind: "anthropic", temperature: 1.5 }, { temperature: 1, maxOutputTokens: 1024 }],
    ["a negative temperature", { kind: "openrouter", temperature: -1 }, { temperature: 0, maxOutputTokens: 1024 }],
    ["NaN values", { kind: "openai", temperature: Number.NaN, maxTokens: Number.NaN }, { maxOutputTokens: 1024 }],
    ["too many tokens", { kind: "openai", maxTokens: 100_000 }, { maxOutputTokens: 8192 }],
    ["zero tokens", { kind: "openai", maxTokens: 0 }, { maxOutputTokens: 1 }],
    ["fractional tokens", { kind: "local", maxTokens: 10.9 }, { maxOutputTokens: 10 }],
  ])("%s", (_case, input, expected) => {
    expect(resolveModelSettings(input)).toEqual(expected);
  });
});

function captureThrow(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}
