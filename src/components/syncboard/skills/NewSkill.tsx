// The "New skill" flow: from a template, or a webhook skill built by hand. Which one is part of the
// address (?new=template or ?new=webhook), so the browser's back button and links work.
import { Link } from "react-router-dom";
import type { Id } from "../../../../convex/_generated/dataModel";
import { TemplateSkillForm } from "./TemplateSkillForm";
import { WebhookSkillBuilder } from "./WebhookSkillBuilder";
import "../../../styles/syncboard-skills.css";

export type NewSkillKind = "template" | "webhook";

interface NewSkillProps {
  kind: NewSkillKind;
  onCreated: (skillId: Id<"skills">) => void;
}

export function NewSkill({ kind, onCreated }: NewSkillProps) {
  return (
    <div className="skills-view" data-testid="skills-new-flow">
      <Link to={{ search: "" }} className="skills-back">
        ← All skills
      </Link>
      <h2 className="skills-heading">New skill</h2>
      <nav className="skills-tabs" aria-label="Kind of skill">
        <Link to={{ search: "?new=template" }} className="skills-tab" aria-current={kind === "template" ? "page" : undefined}>
          From a template
        </Link>
        <Link to={{ search: "?new=webhook" }} className="skills-tab" aria-current={kind === "webhook" ? "page" : undefined}>
          Webhook skill
        </Link>
      </nav>
      {kind === "template" ? <TemplateSkillForm onCreated={onCreated} /> : <WebhookSkillBuilder onCreated={onCreated} />}
    </div>
  );
}
