// The outcome of a test call: the model's short answer and how long it took, or what kind of
// failure it was. The server has already reduced a failure to its kind and a scrubbed sentence.
import type { FunctionReturnType } from "convex/server";
import { api } from "../../../../convex/_generated/api";
import "../../../styles/syncboard-settings.css";

export type TestOutcome = FunctionReturnType<typeof api.models.testCall> | { ok: false; errorKind: "unreachable"; message: string; latencyMs: number };

const KIND_WORDS: Readonly<Record<string, string>> = {
  unusable: "Not callable as configured",
  rateLimited: "Rate limited by the provider",
  serverError: "Provider server error",
  timeout: "No answer in time",
  network: "Could not reach the provider",
  auth: "The provider refused the key",
  badRequest: "The provider refused the request",
  unknown: "The call failed",
  unreachable: "ClawSync could not be reached",
};

export function ModelTestResult({ outcome, testId }: { outcome: TestOutcome; testId: string }) {
  if (outcome.ok) {
    return (
      <div className="model-test model-test--ok" role="status" data-testid={testId}>
        <p>
          <strong>It works.</strong> {outcome.label} answered in {outcome.latencyMs.toLocaleString()} ms:
        </p>
        <blockquote className="model-test__answer">{outcome.answer}</blockquote>
      </div>
    );
  }
  return (
    <div className="model-test model-test--failed" role="alert" data-testid={testId}>
      <p>
        <strong>{KIND_WORDS[outcome.errorKind] ?? KIND_WORDS.unknown}</strong>
        {"httpStatus" in outcome && outcome.httpStatus !== undefined ? ` (HTTP ${outcome.httpStatus})` : ""}
      </p>
      <p>{outcome.message}</p>
    </div>
  );
}
