// Every skill, those waiting for review first, with their type and state; pending ones can be
// approved or rejected right here.
import { useQuery } from "convex/react";
import { Link } from "react-router-dom";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import { approvalLabel, statusLabel, typeLabel } from "./labels";
import { ReviewActions } from "./ReviewActions";
import type { SkillListing } from "./types";
import "../../../styles/syncboard-skills.css";

export function SkillsList() {
  const data = useQuery(api.skillsAdmin.list, {});
  return (
    <div className="skills-view">
      <div className="skills-toolbar">
        <h2 className="skills-heading">All skills</h2>
        <Link className="button button--primary" to={{ search: "?new=template" }} data-testid="skills-new">
          New skill
        </Link>
      </div>
      {data === undefined ? (
        <Spinner label="Loading skills…" />
      ) : data.skills.length === 0 ? (
        <EmptyState title="No skills yet">
          <p>Create one from a template, or build a webhook skill. Each waits for an owner&apos;s approval before the agent can use it.</p>
        </EmptyState>
      ) : (
        <>
          <div className="data-table-wrap">
            <table className="data-table" data-testid="skills-list">
              <caption className="visually-hidden">Skills, those waiting for review first</caption>
              <thead>
                <tr>
                  <th scope="col">Skill</th>
                  <th scope="col">Type</th>
                  <th scope="col">Review</th>
                  <th scope="col">Switch</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.skills.map((skill) => (
                  <SkillRow key={skill._id} skill={skill} />
                ))}
              </tbody>
            </table>
          </div>
          {data.more ? <p className="form__hint">Showing the first {data.skills.length} skills.</p> : null}
        </>
      )}
    </div>
  );
}

function SkillRow({ skill }: { skill: SkillListing }) {
  return (
    <tr data-testid={`skill-row-${skill.name}`}>
      <td>
        <Link to={{ search: `?skill=${skill._id}` }} className="skills-link">
          {skill.displayName}
        </Link>
        <div>
          <code>{skill.name}</code>
        </div>
      </td>
      <td>{typeLabel(skill.type)}</td>
      <td>
        <Badge tone={skill.approvalStatus === "pending" ? "notice" : "neutral"}>{approvalLabel(skill.approvalStatus)}</Badge>
        {skill.changedSinceApproval ? <p className="form__hint">Changed since it was approved</p> : null}
      </td>
      <td>{statusLabel(skill.status)}</td>
      <td>{skill.approvalStatus === "pending" ? <ReviewActions skillId={skill._id} displayName={skill.displayName} approvalStatus={skill.approvalStatus} compact /> : null}</td>
    </tr>
  );
}
