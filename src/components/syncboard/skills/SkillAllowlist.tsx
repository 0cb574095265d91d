// A skill's allowlist on its page: the hosts it is known to call and whether each is allowed, and
// the skill's own entries, each added or removed by the owner (saved at once).
import { useMutation } from "convex/react";
import { useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { LIMITS } from "../../../../convex/lib/validators";
import { problemText } from "../../../lib/skills/problems";
import { AllowlistEditor } from "./AllowlistEditor";
import type { SkillDetail } from "./types";

const ALLOWED_BY = { skill: "allowed for this skill", global: "allowed for every skill (on the Config page)" } as const;

export function SkillAllowlist({ skill }: { skill: SkillDetail }) {
  const allow = useMutation(api.skillsAdmin.allowDomain);
  const remove = useMutation(api.skillsAdmin.removeDomain);
  const [error, setError] = useState<string | null>(null);
  const missing = skill.hosts.find((host) => host.allowedBy === null)?.hostname ?? null;

  if (!skill.callsNetwork && skill.allowlist.length === 0) return <p>This skill does not call the network, so it needs no allowlist.</p>;
  return (
    <>
      {skill.hosts.length > 0 ? (
        <ul className="skills-plain-list" data-testid="skill-hosts">
          {skill.hosts.map(({ hostname, allowedBy }) => (
            <li key={hostname}>
              Calls <code>{hostname}</code>: {allowedBy === null ? <strong>not allowed, so its calls are refused</strong> : ALLOWED_BY[allowedBy]}.
            </li>
          ))}
        </ul>
      ) : (
        <p className="form__hint">
          {skill.type === "template" && skill.template?.templateKey === "webPageReader"
            ? "This skill reads whichever page it is asked for: only hosts on its allowlist can be read."
            : "No host is known ahead for this skill."}
        </p>
      )}
      <AllowlistEditor
        entries={skill.allowlist.map((entry) => ({ key: entry._id, hostname: entry.hostname }))}
        suggestion={missing}
        confirmRemoval
        maxEntries={LIMITS.allowedDomainsPerSkill}
        onAdd={async (hostname) => {
          try {
            await allow({ hostname, skillId: skill._id });
            return null;
          } catch (caught) {
            return problemText(caught, "The host could not be added. Try again.");
          }
        }}
        onRemove={async (entryId) => {
          setError(null);
          try {
            await remove({ entryId });
          } catch (caught) {
            setError(problemText(caught, "The host could not be removed. Try again."));
          }
        }}
      />
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
