// One skill's page: its state and review, configuration, allowlist, secrets, test runner and
// invocation history.
import { useMutation, useQuery } from "convex/react";
import { useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { api } from "../../../../convex/_generated/api";
import { problemText } from "../../../lib/skills/problems";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { DryRunForm } from "./DryRunForm";
import { approvalLabel, statusLabel, typeLabel } from "./labels";
import { ReviewActions } from "./ReviewActions";
import { SkillAllowlist } from "./SkillAllowlist";
import { SkillConfig } from "./SkillConfig";
import { SkillHistory } from "./SkillHistory";
import { SkillSecrets } from "./SkillSecrets";
import type { SkillDetail } from "./types";
import "../../../styles/syncboard-skills.css";

export function SkillDetailView({ skillId }: { skillId: string }) {
  const skill = useQuery(api.skillsAdmin.detail, { skillId });
  const back = (
    <Link to={{ search: "" }} className="skills-back">
      ← All skills
    </Link>
  );
  if (skill === undefined) return <Spinner label="Loading the skill…" />;
  if (skill === null) {
    return (
      <div className="skills-view">
        {back}
        <EmptyState title="No such skill">
          <p>It may have been removed, or the link is mistyped.</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="skills-view skills-detail" data-testid="skill-detail">
      {back}
      <header className="skills-detail__header">
        <h2 className="skills-heading">{skill.displayName}</h2>
        <div className="skills-detail__badges">
          <code>{skill.name}</code>
          <Badge>{typeLabel(skill.type)}</Badge>
          <Badge tone={skill.approvalStatus === "pending" ? "notice" : "neutral"}>{approvalLabel(skill.approvalStatus)}</Badge>
          <Badge>{statusLabel(skill.status)}</Badge>
        </div>
        <p>{skill.description}</p>
      </header>
      <Section title="Review">
        <ReviewSummary skill={skill} />
        <ReviewActions skillId={skill._id} displayName={skill.displayName} approvalStatus={skill.approvalStatus} />
        <SwitchControl skill={skill} />
      </Section>
      <Section title="Configuration">
        <SkillConfig skill={skill} />
      </Section>
      <Section title="Allowlist">
        <SkillAllowlist skill={skill} />
      </Section>
      <Section title="Secrets">
        <SkillSecrets skillId={skill._id} secretNames={skill.secretNames} />
      </Section>
      <Section title="Test run">
        <DryRunForm skill={skill} />
      </Section>
      <Section title="Invocation history">
        <SkillHistory skillId={skill._id} />
      </Section>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `skills-section-${title.toLowerCase().replace(/\s+/g, "-")}`;
  return (
    <section className="skills-section" aria-labelledby={id}>
      <h3 id={id} className="skills-section__title">
        {title}
      </h3>
      {children}
    </section>
  );
}

function ReviewSummary({ skill }: { skill: SkillDetail }) {
  if (skill.approvalStatus === "approved") {
    return (
      <p>
        Approved{skill.approvedByName !== null ? ` by ${skill.approvedByName}` : ""}
        {skill.approvedAt !== null ? (
          <>
            {" "}
            <RelativeTime ms={skill.approvedAt} />
          </>
        ) : null}
        . Only this configuration may run; any change sends it back for review.
      </p>
    );
  }
  if (skill.approvalStatus === "rejected") {
    return <p>Rejected{skill.reviewNote !== null ? `: “${skill.reviewNote}”` : "."} It cannot run until approved.</p>;
  }
  return <p>{skill.changedSinceApproval ? "Changed since it was approved: it cannot run until approved again." : "Waiting for review: it cannot run until an owner approves it."}</p>;
}

/** The owner's on/off switch. Only an approved skill can be switched on; off is always allowed. */
function SwitchControl({ skill }: { skill: SkillDetail }) {
  const setActive = useMutation(api.skillsAdmin.setActive);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const on = skill.status === "active";
  const blocked = !on && skill.approvalStatus !== "approved";

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await setActive({ skillId: skill._id, active: !on });
    } catch (caught) {
      setError(problemText(caught, "The switch could not be changed. Try again."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="skills-switch">
      <p>
        The skill is switched <strong>{on ? "on" : "off"}</strong>.
      </p>
      <button type="button" className="button button--quiet" data-testid="skill-toggle" onClick={() => void toggle()} disabled={busy || blocked}>
        {on ? "Switch off" : "Switch on"}
      </button>
      {blocked ? <p className="form__hint">Approve the skill before switching it on.</p> : null}
      {error !== null ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
