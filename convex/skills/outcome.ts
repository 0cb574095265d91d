// How a skill run's result becomes what is logged and what the caller (often the model) sees: a
// run past its deadline is TIMEOUT, an output over the skill's cap is OUTPUT_TOO_LARGE and is
// never passed on, and every output is scrubbed of the secret values the run read (and of anything
// secret-shaped) before it reaches the log or the model. Pure, so each rule is tested directly.
import type { Id } from "../_generated/dataModel";
import { LIMITS, type CheckFailureCode } from "../lib/validators";
import type { EndedRun } from "../security/checker";
import { checkMessage, outputFailure } from "../security/checks";
import { scrubText } from "../security/redact";
import type { DeadlineResult } from "./deadline";
import type { RunResult } from "./execute";

export type FinishedRun = { result: RunResult; output?: string; outputBytes?: number };

export function failure(code: CheckFailureCode): RunResult {
  return { ok: false, code, message: checkMessage(code) };
}

/** The result of a run that ended (or hit its deadline); a thrown error is EXECUTION_FAILED. */
export function settle(run: DeadlineResult<RunResult> | { threw: true }): RunResult {
  if ("threw" in run) return failure("EXECUTION_FAILED");
  return run.timedOut ? failure("TIMEOUT") : run.value;
}

/** Applies the output cap and scrubs the output with the run's secret values. */
export function finish(result: RunResult, maxOutputBytes: number, secretValues: readonly string[]): FinishedRun {
  if (!result.ok) return { result: { ...result, message: scrubText(result.message, secretValues) } };
  const outputBytes = new TextEncoder().encode(result.output).length;
  const tooLarge = outputFailure(outputBytes, maxOutputBytes);
  if (tooLarge) return { result: failure(tooLarge), outputBytes };
  const output = scrubText(result.output, secretValues);
  return { result: { ok: true, output }, output, outputBytes };
}

/** What the checker records for a run that ended: the shared fields of `record` and `recordMcpToolCall`. */
export function endedRun(result: RunResult, run: { durationMs: number; output?: string; outputBytes?: number; outputStorageId?: Id<"_storage"> }): EndedRun {
  return {
    code: result.ok ? "OK" : result.code,
    durationMs: run.durationMs,
    ...(run.output !== undefined ? { output: run.output } : {}),
    ...(run.outputBytes !== undefined ? { outputBytes: run.outputBytes } : {}),
    ...(run.outputStorageId !== undefined ? { outputStorageId: run.outputStorageId } : {}),
    ...(!result.ok ? { errorMessage: result.message } : {}),
    ...(!result.ok && result.refusedHost !== undefined ? { refusedHost: result.refusedHost } : {}),
  };
}

/** Whether an output is long enough that the log keeps only a preview and the rest goes to file storage. */
export function outputNeedsFile(output: string | undefined): output is string {
  return output !== undefined && output.length > LIMITS.logOutputPreviewChars;
}
