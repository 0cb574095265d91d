// Creating a skill, from a template or as a webhook: the form checks its own fields first, the
// server may still refuse, and a created skill is handed on (its page opens).
import { useState } from "react";
import type { Id } from "../../../../convex/_generated/dataModel";
import { problemText } from "../../../lib/skills/problems";

export function useCreateSkill(onCreated: (skillId: Id<"skills">) => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Sends the skill with `send`; null means the form's own checks found problems, and points the owner at them. */
  async function create(send: (() => Promise<Id<"skills">>) | null) {
    setError(send === null ? "Some fields need attention: see the messages beside them." : null);
    if (send === null) return;
    setBusy(true);
    try {
      onCreated(await send());
    } catch (caught) {
      setError(problemText(caught, "The skill could not be created. Try again."));
    } finally {
      setBusy(false);
    }
  }

  return { error, busy, create };
}
