// The test runner: one real call of the skill with an input the owner writes, through the same
// security checker as every other call, logged as a test. Shows the output, or the checker's code
// and message when it refused.
import { useAction } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../../convex/_generated/api";
import { problemText } from "../../../lib/skills/problems";
import { readDryRunInput, sampleInput } from "../../../lib/skills/sampleInput";
import { FieldError } from "./FieldError";
import type { DryRunResult, SkillDetail } from "./types";

export function DryRunForm({ skill }: { skill: SkillDetail }) {
  const dryRun = useAction(api.skillsAdmin.dryRun);
  const inputId = useId();
  const [input, setInput] = useState(() => sampleInput(skill.inputSchemaJson));
  const [inputError, setInputError] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const read = readDryRunInput(input);
    setInputError(read.ok ? undefined : read.error);
    if (!read.ok) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await dryRun({ skillId: skill._id, inputJson: read.inputJson }));
    } catch (caught) {
      setError(problemText(caught, "The test run could not start. Try again."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <p className="form__hint">
        This really runs the skill (a webhook is called, an email is sent), after the same checks as any call: approval, switch, rate limits, input schema and allowlist. It appears in the history as a test.
      </p>
      <div className="form__field">
        <label className="form__label" htmlFor={inputId}>
          Input (JSON)
        </label>
        <textarea
          id={inputId}
          className="form__control skills-mono"
          rows={6}
          spellCheck={false}
          value={input}
          aria-invalid={inputError !== undefined}
          aria-describedby={`${inputId}-error`}
          onChange={(event) => setInput(event.target.value)}
        />
        <FieldError id={`${inputId}-error`} message={inputError} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="skill-dry-run" disabled={busy}>
          {busy ? "Running…" : "Run test"}
        </button>
      </div>
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <div aria-live="polite">{result !== null ? <DryRunOutcome result={result} /> : null}</div>
    </form>
  );
}

function DryRunOutcome({ result }: { result: DryRunResult }) {
  if (result.ok) {
    return (
      <div className="skills-result" data-testid="skill-dry-run-result" data-outcome="ok">
        <p className="skills-result__title">Ran. Output:</p>
        <pre className="skills-pre">{result.output}</pre>
      </div>
    );
  }
  return (
    <div className="skills-result skills-result--refused" data-testid="skill-dry-run-result" data-outcome="refused">
      <p className="skills-result__title">
        Refused: <code>{result.code}</code>
      </p>
      <p>{result.message}</p>
    </div>
  );
}
