// Fallback routing: a LanguageModelV3 that calls the primary model and, when the primary fails at
// call time (429, 5xx, timeout, network, auth), makes the same call once on the fallback model.
// A failure counts only while nothing has reached the caller: once a streamed chunk has been passed
// on, the reply cannot be restarted without duplicating output, so later failures surface as errors.
// Every call runs under a deadline that aborts the model's own request, so a hung provider can
// neither hold the reply nor keep its connection open.
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";
import type { ModelErrorKind } from "../lib/validators";
import { classifyModelError, isFallbackWorthy, ModelCallError, ModelTimeoutError, type ClassifiedError } from "./errors";

export type ModelRole = "primary" | "fallback";

/** Which model, as the AI SDK names it. */
export type ModelRef = { provider: string; modelId: string };

/** One failed model call, classified (its message is scrubbed and safe to store). */
export type ModelErrorEvent = ModelRef & {
  model: ModelRole;
  error: ClassifiedError;
  /** True when this failure handed the call to the fallback model. */
  fallbackActivated: boolean;
};

/** The fallback model taking over one call from the primary. */
export type FallbackEvent = { from: ModelRef; to: ModelRef; reason: ModelErrorKind };

export type FallbackOptions = {
  /**
   * Deadline for a generate call to complete, or for a stream's first content chunk; after that,
   * the longest a stream may go silent. Expiry aborts the model's request and counts as `timeout`.
   */
  timeoutMs: number;
  /** Values (API keys) scrubbed from every classified message. */
  secrets?: readonly string[];
  /**
   * Settings applied to the fallback's call over the caller's, for a fallback whose bounds differ
   * (Anthropic accepts temperatures up to 1 only). Omitted fields keep the caller's values.
   */
  fallbackSettings?: Pick<LanguageModelV3CallOptions, "temperature" | "maxOutputTokens">;
  /** Called for every failure of either model, except the caller's own abort. */
  onError?: (event: ModelErrorEvent) => void | Promise<void>;
  /** Called once each time the fallback takes over, after `onError` for the primary's failure. */
  onFallback?: (event: FallbackEvent) => void | Promise<void>;
};

/**
 * Wraps `primary` so that a fallback-worthy failure before any output is retried once on
 * `fallback` with the same call options. The wrapper reports the primary's `provider` and
 * `modelId`. A final failure propagates as a ModelCallError holding only the classified error, so
 * no provider detail reaches logs or the stored message; hooks receive it classified too. With
 * `fallback` null, errors propagate after `onError`. The caller's own abort propagates unchanged.
 */
export function withFallback(primary: LanguageModelV3, fallback: LanguageModelV3 | null, options: FallbackOptions): LanguageModelV3 {
  const router = new Router(primary, fallback, options);
  return {
    specificationVersion: "v3",
    provider: primary.provider,
    modelId: primary.modelId,
    // The primary's: the AI SDK downloads any other URL before the call. A fallback gets the same
    // prompt, so it must accept what the primary accepts (text chat passes no URLs at all).
    get supportedUrls() {
      return primary.supportedUrls;
    },
    doGenerate: (call) => router.route(call, (model, _role, callOptions) => generateOnce(model, callOptions, options.timeoutMs)),
    doStream: (call) =>
      router.route(call, (model, role, callOptions) =>
        streamOnce(model, callOptions, options.timeoutMs, (error) => router.lateFailure(model, role, call, error)),
      ),
  };
}

type Attempt<T> = (model: LanguageModelV3, role: ModelRole, call: LanguageModelV3CallOptions) => Promise<T>;

/** The routing decision and the hooks, shared by generate and stream calls. */
class Router {
  private readonly primary: LanguageModelV3;
  private readonly fallback: LanguageModelV3 | null;
  private readonly options: FallbackOptions;

  constructor(primary: LanguageModelV3, fallback: LanguageModelV3 | null, options: FallbackOptions) {
    this.primary = primary;
    this.fallback = fallback;
    this.options = options;
  }

  async route<T>(call: LanguageModelV3CallOptions, attempt: Attempt<T>): Promise<T> {
    try {
      return await attempt(this.primary, "primary", call);
    } catch (error) {
      if (call.abortSignal?.aborted) throw error;
      const classified = this.classify(error);
      const fallback = this.fallback !== null && isFallbackWorthy(classified.kind) ? this.fallback : null;
      await this.notify(this.options.onError, {
        model: "primary",
        ...refOf(this.primary),
        error: classified,
        fallbackActivated: fallback !== null,
      });
      if (fallback === null) throw new ModelCallError(classified);
      await this.notify(this.options.onFallback, { from: refOf(this.primary), to: refOf(fallback), reason: classified.kind });
      try {
        return await attempt(fallback, "fallback", { ...call, ...this.options.fallbackSettings });
      } catch (fallbackError) {
        if (call.abortSignal?.aborted) throw fallbackError;
        const classifiedFallback = this.classify(fallbackError);
        await this.notify(this.options.onError, { model: "fallback", ...refOf(fallback), error: classifiedFallback, fallbackActivated: false });
        throw new ModelCallError(classifiedFallback);
      }
    }
  }

  /** A failure after output reached the caller: reported, never retried; returns what to pass on. */
  async lateFailure(model: LanguageModelV3, role: ModelRole, call: LanguageModelV3CallOptions, error: unknown): Promise<unknown> {
    if (call.abortSignal?.aborted) return error;
    const classified = this.classify(error);
    await this.notify(this.options.onError, { model: role, ...refOf(model), error: classified, fallbackActivated: false });
    return new ModelCallError(classified);
  }

  private classify(error: unknown): ClassifiedError {
    return classifyModelError(error, { secrets: this.options.secrets });
  }

  /**
   * Runs a hook to completion (so a Convex action records the event before it returns). A failing
   * hook must not cost the visitor the reply, so its error is logged, classified, and dropped.
   */
  private async notify<E>(hook: ((event: E) => void | Promise<void>) | undefined, event: E): Promise<void> {
    if (!hook) return;
    try {
      await hook(event);
    } catch (error) {
      console.error(`Model routing hook failed: ${this.classify(error).message}`);
    }
  }
}

function refOf(model: LanguageModelV3): ModelRef {
  return { provider: model.provider, modelId: model.modelId };
}

async function generateOnce(model: LanguageModelV3, call: LanguageModelV3CallOptions, timeoutMs: number) {
  const scope = new CallScope(call.abortSignal);
  scope.arm(timeoutMs);
  try {
    return await scope.race(model.doGenerate({ ...call, abortSignal: scope.signal }));
  } finally {
    scope.dispose();
  }
}

/** Parts that carry no output: held back until the first part that does, so a failure before it can still go to the fallback. */
const PREAMBLE_PARTS: ReadonlySet<LanguageModelV3StreamPart["type"]> = new Set([
  "stream-start",
  "response-metadata",
  "raw",
  "text-start",
  "reasoning-start",
  "tool-input-start",
]);

/**
 * Opens a stream and reads it up to its first output part. A failure until then (thrown, an
 * `error` part, or the deadline) rejects, so the router can fall back. After that the stream is
 * returned with the held-back parts in front; later failures go to `onLateFailure` and the stream.
 */
async function streamOnce(
  model: LanguageModelV3,
  call: LanguageModelV3CallOptions,
  timeoutMs: number,
  onLateFailure: (error: unknown) => Promise<unknown>,
): Promise<LanguageModelV3StreamResult> {
  const scope = new CallScope(call.abortSignal);
  scope.arm(timeoutMs);
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | undefined;
  try {
    const result = await scope.race(model.doStream({ ...call, abortSignal: scope.signal }));
    reader = result.stream.getReader();
    const held: LanguageModelV3StreamPart[] = [];
    for (;;) {
      const next = await scope.race(reader.read());
      if (next.done) {
        scope.dispose();
        return { ...result, stream: streamOf(held) };
      }
      if (next.value.type === "error") throw next.value.error;
      held.push(next.value);
      if (!PREAMBLE_PARTS.has(next.value.type)) break;
    }
    scope.disarm();
    return { ...result, stream: continueStream(held, reader, scope, timeoutMs, onLateFailure) };
  } catch (error) {
    scope.dispose();
    reader?.cancel(error).catch(ignore);
    throw error;
  }
}

function streamOf(parts: LanguageModelV3StreamPart[]): ReadableStream<LanguageModelV3StreamPart> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

/** The rest of a stream after its first output: passed through, with an idle deadline per part. */
function continueStream(
  held: LanguageModelV3StreamPart[],
  reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>,
  scope: CallScope,
  idleMs: number,
  onLateFailure: (error: unknown) => Promise<unknown>,
): ReadableStream<LanguageModelV3StreamPart> {
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const part of held) controller.enqueue(part);
    },
    async pull(controller) {
      scope.arm(idleMs);
      try {
        const next = await scope.race(reader.read());
        scope.disarm();
        if (next.done) {
          scope.dispose();
          controller.close();
          return;
        }
        if (next.value.type === "error") controller.enqueue({ type: "error", error: await onLateFailure(next.value.error) });
        else controller.enqueue(next.value);
      } catch (error) {
        scope.dispose();
        reader.cancel(error).catch(ignore);
        controller.error(await onLateFailure(error));
      }
    },
    async cancel(reason) {
      scope.dispose();
      await reader.cancel(reason);
    },
  });
}

/**
 * One model call's abort scope: an AbortController that follows the caller's signal and a deadline
 * timer that aborts it with a ModelTimeoutError. `race` stops waiting the moment the scope aborts,
 * so a model that ignores its signal still cannot hold the call.
 */
class CallScope {
  private readonly controller = new AbortController();
  private readonly caller: AbortSignal | undefined;
  private readonly onCallerAbort: () => void;
  private readonly aborted: Promise<never>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(caller: AbortSignal | undefined) {
    this.caller = caller;
    this.onCallerAbort = () => this.controller.abort(caller?.reason);
    this.aborted = new Promise<never>((_, reject) => {
      const signal = this.controller.signal;
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    // Observed through `race`; this keeps an abort after the last race from being reported as unhandled.
    this.aborted.catch(ignore);
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts (or restarts) the deadline. */
  arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new ModelTimeoutError(ms)), ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  race<T>(work: PromiseLike<T>): Promise<T> {
    return Promise.race([Promise.resolve(work), this.aborted]);
  }

  /** Stops the deadline and stops following the caller's signal. */
  dispose(): void {
    this.disarm();
    this.caller?.removeEventListener("abort", this.onCallerAbort);
  }
}

function ignore(): void {}
