// The skills an assistant reply used, as small chips: name and state, never inputs or outputs.
import type { SkillCall } from "../../lib/chat/messages";
import "../../styles/chat.css";

const STATE_LABEL: Record<SkillCall["state"], string> = {
  running: "running",
  done: "done",
  failed: "failed",
};

export function SkillIndicators({ calls }: { calls: SkillCall[] }) {
  if (calls.length === 0) return null;
  return (
    <ul className="skill-indicators" aria-label="Skills used">
      {calls.map((call) => (
        <li
          key={call.id}
          className={`skill-indicator skill-indicator--${call.state}`}
          data-testid="skill-indicator"
          data-state={call.state}
        >
          <span className="skill-indicator__name">{call.name}</span>
          <span className="skill-indicator__state">{STATE_LABEL[call.state]}</span>
        </li>
      ))}
    </ul>
  );
}
