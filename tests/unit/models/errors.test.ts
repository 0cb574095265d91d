// Model error classification: the truth table from HTTP status, abort, timeout and socket failures
// to an error kind, which kinds hand the call to the fallback, and the scrubbing that keeps keys,
// tokens and request content out of the stored message. Canary secrets are assembled at run time so
// this file holds no secret-shaped literal (tests/unit/repo/secrets.test.ts scans it).
import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";
import { describe, expect, it } from "vitest";

import {
  classifyModelError,
  isFallbackWorthy,
  MODEL_ERROR_MESSAGE_MAX,
  ModelTimeoutError,
  ModelUnavailableError,
} from "../../../convex/models/errors.ts";
import type { ModelErrorKind } from "../../../convex/lib/validators.ts";

/** Deterministic token-like filler (mixed case and digits), as a real key looks. */
function filler(length: number): string {
  const alphabet = "aZ3kQ9xL2mP7vR4tY8wB6nC1dF5gH0j";
  return Array.from({ length }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join("");
}

const ANTHROPIC_KEY = ["sk", "-ant-api03-", filler(48)].join("");
const BEARER_TOKEN = filler(40).split("").reverse().join("");
const BEARER_HEADER = ["Bea", "rer ", BEARER_TOKEN].join("");

function apiError(statusCode: number | undefined, message = "Provider said no", extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {}) {
  return new APICallError({ message, url: "https://api.example.com/v1/messages", requestBodyValues: { prompt: "secret visitor text" }, statusCode, ...extra });
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("classifyModelError: kinds", () => {
  it.each<[number, ModelErrorKind]>([
    [400, "badRequest"],
    [401, "auth"],
    [403, "auth"],
    [404, "badRequest"],
    [408, "timeout"],
    [413, "badRequest"],
    [422, "badRequest"],
    [429, "rateLimited"],
    [500, "serverError"],
    [502, "serverError"],
    [503, "serverError"],
    [504, "serverError"],
    [529, "serverError"],
  ])("an APICallError with status %i is %s, with the status kept", (status, kind) => {
    expect(classifyModelError(apiError(status))).toEqual({ kind, httpStatus: status, message: "Provider said no" });
  });

  const abort = new DOMException("This operation was aborted", "AbortError");
  const signalTimeout = new DOMException("The operation timed out.", "TimeoutError");
  const fetchFailed = new TypeError("fetch failed", { cause: withCode("connect ECONNREFUSED 10.0.0.1:443", "ECONNREFUSED") });
  const sdkNetwork = apiError(undefined, "Cannot connect to API: getaddrinfo ENOTFOUND api.example.com", {
    cause: withCode("getaddrinfo ENOTFOUND api.example.com", "ENOTFOUND"),
    isRetryable: true,
  });
  const retried = new RetryError({ message: "Failed after 3 attempts", reason: "maxRetriesExceeded", errors: [apiError(500), apiError(429)] });

  it.each<[string, unknown, ModelErrorKind, number | undefined]>([
    ["an AbortError", abort, "timeout", undefined],
    ["a TimeoutError from AbortSignal.timeout", signalTimeout, "timeout", undefined],
    ["our own deadline", new ModelTimeoutError(30_000), "timeout", undefined],
    ["a socket timeout code", withCode("connect ETIMEDOUT", "ETIMEDOUT"), "timeout", undefined],
    ["fetch's TypeError with ECONNREFUSED", fetchFailed, "network", undefined],
    ["the AI SDK's connection error with ENOTFOUND", sdkNetwork, "network", undefined],
    ["a browser-style 'Failed to fetch'", new TypeError("Failed to fetch"), "network", undefined],
    ["a bare ECONNRESET", withCode("socket hang up", "ECONNRESET"), "network", undefined],
    ["a RetryError, by its last attempt", retried, "rateLimited", 429],
    ["an Anthropic stream error object", { type: "overloaded_error", message: "Overloaded" }, "serverError", undefined],
    ["an OpenAI stream error object", { type: "error", code: "rate_limit_exceeded", message: "Slow down" }, "rateLimited", undefined],
    ["an OpenRouter error object with a numeric code", { code: 502, message: "Upstream error" }, "serverError", 502],
    ["a missing key", new ModelUnavailableError("auth", "no key"), "auth", undefined],
    ["an unusable setting", new ModelUnavailableError("badRequest", "bad URL"), "badRequest", undefined],
    ["a plain Error", new Error("Something odd"), "unknown", undefined],
    ["a TypeError unrelated to fetch", new TypeError("x is not a function"), "unknown", undefined],
    ["a string", "weird failure", "unknown", undefined],
    ["null", null, "unknown", undefined],
    ["an APICallError without status or cause", apiError(undefined), "unknown", undefined],
  ])("%s is %s", (_case, error, kind, httpStatus) => {
    const classified = classifyModelError(error);
    expect(classified.kind).toBe(kind);
    expect(classified.httpStatus).toBe(httpStatus);
    expect(classified.message.length).toBeGreaterThan(0);
  });

  it("gives each kind a default message when the error has none", () => {
    expect(classifyModelError(null).message).toBe("Model call failed");
    expect(classifyModelError(apiError(429, "")).message).toBe("Rate limited by the provider");
  });

  it("stops following a cyclic cause chain", () => {
    const a: Error & { cause?: unknown } = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(classifyModelError(a).kind).toBe("unknown");
  });
});

describe("isFallbackWorthy", () => {
  it.each<[ModelErrorKind, boolean]>([
    ["rateLimited", true],
    ["serverError", true],
    ["timeout", true],
    ["network", true],
    ["auth", true],
    ["badRequest", false],
    ["unknown", false],
  ])("%s → %s", (kind, expected) => {
    expect(isFallbackWorthy(kind)).toBe(expected);
  });
});

describe("classifyModelError: the message is safe to store", () => {
  it.each<[string, string, string]>([
    ["an echoed sk- key", `Invalid API key: ${ANTHROPIC_KEY}`, ANTHROPIC_KEY.slice(3)],
    ["a Bearer token", `Header was ${BEARER_HEADER}, rejected`, BEARER_TOKEN],
    ["a key=value pair", `request failed: api_key=${filler(20)}&x=1`, filler(20)],
    ["a long hex run", `signature ${"0123456789abcdef".repeat(4)} mismatch`, "0123456789abcdef0123456789abcdef"],
    ["a long base64 run", `token ${filler(44)}== expired`, filler(44)],
  ])("removes %s", (_case, message, secret) => {
    const classified = classifyModelError(apiError(401, message));
    expect(classified.message).not.toContain(secret);
    expect(classified.message).toContain("[REDACTED");
  });

  it("removes the value of every provided secret, whatever its shape", () => {
    const secret = "hunter2-local";
    const classified = classifyModelError(new Error(`auth failed for ${secret} on host`), { secrets: [secret, ANTHROPIC_KEY] });
    expect(classified.message).toBe("auth failed for [REDACTED] on host");
  });

  it("keeps URLs readable without their credentials or query", () => {
    const classified = classifyModelError(new Error(`GET https://user:pw@llm.example.com/v1/chat?sig=abc#x failed`));
    expect(classified.message).toBe("GET https://llm.example.com/v1/chat failed");
  });

  it("elides long quoted request content a provider echoes back", () => {
    const visitorText = "my account number is 12345678 and my address is 1 Example Road";
    const classified = classifyModelError(apiError(400, `Invalid value for content: "${visitorText}"`));
    expect(classified.message).toBe('Invalid value for content: "[…]"');
  });

  it("never carries the request body, headers or response body of an APICallError", () => {
    const error = apiError(429, "Too many requests", {
      responseBody: JSON.stringify({ echoed: ANTHROPIC_KEY }),
      responseHeaders: { authorization: BEARER_HEADER },
    });
    const serialized = JSON.stringify(classifyModelError(error));
    expect(serialized).not.toContain("secret visitor text");
    expect(serialized).not.toContain(ANTHROPIC_KEY);
    expect(serialized).not.toContain(BEARER_TOKEN);
  });

  it(`truncates to ${MODEL_ERROR_MESSAGE_MAX} characters, after scrubbing, so no half key survives the cut`, () => {
    for (let prefix = 150; prefix <= 210; prefix += 5) {
      const message = `${"x ".repeat(prefix / 2)}${ANTHROPIC_KEY} ${"y ".repeat(500)}`;
      const classified = classifyModelError(new Error(message));
      expect(classified.message.length).toBeLessThanOrEqual(MODEL_ERROR_MESSAGE_MAX);
      expect(classified.message).not.toMatch(/sk-ant/);
      expect(classified.message).not.toContain(filler(8));
    }
  });

  it("collapses whitespace so a message stays one line", () => {
    expect(classifyModelError(new Error("line one\n\n  line two\t end")).message).toBe("line one line two end");
  });
});
