// SyncBoard › Skills: what the agent may do, each approved by an owner. One page with three views,
// chosen by the address: the list, a new skill (?new=template|webhook), one skill (?skill=<id>).
import { useSearchParams } from "react-router-dom";
import { ErrorBoundary } from "../../components/common/ErrorBoundary";
import { ErrorNotice } from "../../components/common/ErrorNotice";
import { NewSkill } from "../../components/syncboard/skills/NewSkill";
import { SkillDetailView } from "../../components/syncboard/skills/SkillDetailView";
import { SkillsList } from "../../components/syncboard/skills/SkillsList";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

export function SkillsPage() {
  const [params, setParams] = useSearchParams();
  const skillId = params.get("skill");
  const creating = params.get("new");

  let view;
  if (skillId !== null) view = <SkillDetailView skillId={skillId} />;
  else if (creating === "template" || creating === "webhook") view = <NewSkill kind={creating} onCreated={(id) => setParams({ skill: id })} />;
  else view = <SkillsList />;

  return (
    <SyncBoardPage title="Skills">
      <ErrorBoundary key={params.toString()} fallback={<ErrorNotice title="This part of the skills page could not load">Reload the page to try again.</ErrorNotice>}>
        {view}
      </ErrorBoundary>
    </SyncBoardPage>
  );
}
