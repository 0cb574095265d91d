// Model call failures, classified: which kind of failure (the fallback rule and the models page
// depend on it), the HTTP status when a provider answered, and a short message that is safe to store
// and show to owners. Provider errors carry request bodies, headers and echoed keys; only the
// scrubbed summary built here may leave the action that made the call.
import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";
import type { ModelErrorKind } from "../lib/validators";
import { REDACTED, scrubText } from "../security/redact";

/** Longest `message` a classified error carries (it is stored in modelProviderErrors). */
export const MODEL_ERROR_MESSAGE_MAX = 200;

/** A model failure reduced to what may be stored and shown: no secret, no request content. */
export type ClassifiedError = {
  kind: ModelErrorKind;
  /** The provider's HTTP status, when it answered with one. */
  httpStatus?: number;
  /** Scrubbed and truncated to MODEL_ERROR_MESSAGE_MAX characters. */
  message: string;
};

/** Thrown by the fallback router when a model gives no answer (or no first chunk) in time. */
export class ModelTimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`No response within ${timeoutMs} ms`);
    this.name = "ModelTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/**
 * What the router throws in place of a provider's own error once a call has failed for good: only
 * the classified kind, status and scrubbed message. Provider errors can carry request details, and
 * whatever is thrown here is logged by the agent library and stored on the failed message.
 */
export class ModelCallError extends Error {
  readonly kind: ModelErrorKind;
  readonly httpStatus: number | undefined;

  constructor(error: ClassifiedError) {
    super(`Model call failed (${error.kind}${error.httpStatus !== undefined ? `, HTTP ${error.httpStatus}` : ""}): ${error.message}`);
    this.name = "ModelCallError";
    this.kind = error.kind;
    this.httpStatus = error.httpStatus;
  }
}

/**
 * Thrown when a model cannot be built from its configuration: a keyed provider without its key
 * (`auth`), or an unusable setting such as a non-https base URL (`badRequest`). The caller adds the
 * env var NAME to what it shows the owner; this error never holds a key.
 */
export class ModelUnavailableError extends Error {
  readonly kind: "auth" | "badRequest";

  constructor(kind: "auth" | "badRequest", message: string) {
    super(message);
    this.name = "ModelUnavailableError";
    this.kind = kind;
  }
}

/**
 * Whether a failure of the primary model hands the call to the fallback model. The issue names 429,
 * 5xx, timeouts and network errors; `auth` is included too (a revoked or mistyped primary key is a
 * call-time failure another provider can answer around; see docs/models.md). `badRequest` and
 * `unknown` are not: the same request would most likely fail the same way again.
 */
export function isFallbackWorthy(kind: ModelErrorKind): boolean {
  return FALLBACK_KINDS.has(kind);
}

const FALLBACK_KINDS: ReadonlySet<ModelErrorKind> = new Set(["rateLimited", "serverError", "timeout", "network", "auth"]);

/**
 * Classifies any error a model call can throw (or put in an `error` stream part), including AI SDK
 * `APICallError`s, `RetryError`s wrapping them, fetch failures and aborts. `secrets` are values
 * (API keys) that must not appear in the message even if a provider echoes them.
 */
export function classifyModelError(error: unknown, options: { secrets?: readonly string[] } = {}): ClassifiedError {
  const found = findKind(error);
  const kind = found?.kind ?? "unknown";
  const raw = messageOf(found?.source ?? error) || messageOf(error);
  const message = scrub(raw, options.secrets ?? []) || DEFAULT_MESSAGES[kind];
  return found?.httpStatus === undefined ? { kind, message } : { kind, httpStatus: found.httpStatus, message };
}

const DEFAULT_MESSAGES: Readonly<Record<ModelErrorKind, string>> = {
  rateLimited: "Rate limited by the provider",
  serverError: "Provider server error",
  timeout: "The model did not answer in time",
  network: "Could not reach the provider",
  auth: "The provider refused the credentials",
  badRequest: "The provider rejected the request",
  unknown: "Model call failed",
};

type Found = { kind: ModelErrorKind; httpStatus?: number; source: unknown };

/** Bound on how deep `cause` chains are followed (they can be cyclic or absurdly long). */
const MAX_CAUSE_DEPTH = 6;

/** The first node of the error's wrapper/cause chain that says what went wrong. */
function findKind(error: unknown): Found | null {
  let node: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && node !== undefined && node !== null; depth++) {
    const kind = kindOfNode(node);
    if (kind) return { ...kind, source: node };
    // The AI SDK's retry wrapper says nothing itself; its last attempt's error does.
    node = RetryError.isInstance(node) ? node.lastError : fieldOf(node, "cause");
  }
  return null;
}

function kindOfNode(node: unknown): Omit<Found, "source"> | null {
  if (node instanceof ModelTimeoutError) return { kind: "timeout" };
  if (node instanceof ModelUnavailableError) return { kind: node.kind };
  const status = statusOf(node);
  if (status !== undefined) return { kind: kindForStatus(status), httpStatus: status };
  const name = fieldOf(node, "name");
  if (name === "AbortError" || name === "TimeoutError") return { kind: "timeout" };
  const code = fieldOf(node, "code");
  if (typeof code === "string") {
    if (TIMEOUT_CODES.has(code)) return { kind: "timeout" };
    if (NETWORK_CODES.has(code)) return { kind: "network" };
  }
  if (node instanceof TypeError && FETCH_FAILED.test(node.message)) return { kind: "network" };
  return kindForProviderType(fieldOf(node, "type")) ?? kindForProviderType(code);
}

/** HTTP status to kind: the table in docs/models.md. */
function kindForStatus(status: number): ModelErrorKind {
  if (status === 429) return "rateLimited";
  if (status === 408) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500 && status <= 599) return "serverError";
  if (status >= 400 && status <= 499) return "badRequest";
  return "unknown";
}

/** Socket-level codes from Node/undici and other runtimes' fetch, as found on `error.cause`. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "ConnectionRefused",
  "ConnectionClosed",
  "FailedToOpenSocket",
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
const FETCH_FAILED = /fetch failed|failed to fetch|network ?error|network request failed/i;

/**
 * Error objects that arrive inside stream `error` parts carry the provider's own error type
 * (Anthropic's `overloaded_error`, OpenAI's `rate_limit_exceeded`) rather than a status.
 */
function kindForProviderType(value: unknown): { kind: ModelErrorKind } | null {
  if (typeof value !== "string") return null;
  if (/rate_limit|too_many_requests/i.test(value)) return { kind: "rateLimited" };
  if (/overloaded|server_error|api_error|internal_error|service_unavailable/i.test(value)) return { kind: "serverError" };
  if (/authentication|permission|invalid_api_key|unauthorized/i.test(value)) return { kind: "auth" };
  if (/invalid_request|not_found|context_length/i.test(value)) return { kind: "badRequest" };
  return null;
}

/** An HTTP status from an APICallError, or a numeric status field on a plain error object. */
function statusOf(node: unknown): number | undefined {
  if (APICallError.isInstance(node)) return node.statusCode;
  for (const field of ["statusCode", "status", "code"]) {
    const value = fieldOf(node, field);
    if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return undefined;
}

function fieldOf(node: unknown, field: string): unknown {
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>)[field] : undefined;
}

function messageOf(node: unknown): string {
  if (typeof node === "string") return node;
  const message = fieldOf(node, "message");
  return typeof message === "string" ? message : "";
}

/** Scrubbing works on a bounded prefix: the stored message is far shorter anyway. */
const SCRUB_INPUT_MAX = 2000;

/**
 * Removes anything key-like or request-like from a provider message, then shortens it. Order
 * matters: exact secret values first, then URLs (their query strings carry keys for some APIs),
 * then the generic shapes, and truncation last so no cut can leave half a key unmatched.
 */
function scrub(text: string, secrets: readonly string[]): string {
  // The platform's one scrubber takes the key formats and the configured values; what follows
  // also hides anything that could be conversation text, which a provider's error may echo.
  let out = scrubText(text.slice(0, SCRUB_INPUT_MAX), secrets);
  out = out
    // JSON in an error (an echoed request or response body) is elided whole, first, since any
    // string inside it could be the conversation.
    .replace(/\{[\s\S]*\}/g, "{…}")
    .replace(/\[\s*["{[][\s\S]*\]/g, "[…]")
    .replace(/https?:\/\/[^\s"'<>]+/gi, safeUrl)
    .replace(/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`)
    .replace(/\b(x-api-key|api[_-]?key|access[_-]?token|token|secret|password|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, `$1$2${REDACTED}`)
    .replace(/(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{6,}/g, REDACTED)
    .replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run))
    .replace(/[0-9a-f]{32,}/gi, REDACTED)
    // A provider that echoes the request quotes it: quoted text could be the conversation.
    .replace(/"[^"\n]{16,}"|`[^`\n]{16,}`/g, '"[…]"')
    .replace(/\s+/g, " ")
    .trim();
  return out.length > MODEL_ERROR_MESSAGE_MAX ? `${out.slice(0, MODEL_ERROR_MESSAGE_MAX - 1)}…` : out;
}

/** A URL without credentials, query or fragment: those are where URLs carry secrets. */
function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return REDACTED;
  }
}
