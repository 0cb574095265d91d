// SyncBoard › Activity: the agent's activity log and security events, one tab each. The open tab
// is in the address (?tab=security), so a link can point straight at the security events.
import { useSearchParams } from "react-router-dom";
import { ActivityLogPanel } from "../../components/syncboard/records/ActivityLogPanel";
import { RecordTabs } from "../../components/syncboard/records/RecordTabs";
import { SecurityEventsPanel } from "../../components/syncboard/records/SecurityEventsPanel";
import { SyncBoardPage } from "../../components/syncboard/SyncBoardPage";

const TABS = [
  { key: "activity", label: "Activity" },
  { key: "security", label: "Security events" },
] as const;

type TabKey = (typeof TABS)[number]["key"];

export function ActivityPage() {
  const [params, setParams] = useSearchParams();
  const tab: TabKey = params.get("tab") === "security" ? "security" : "activity";

  return (
    <SyncBoardPage title="Activity">
      <RecordTabs
        label="Records"
        tabs={TABS}
        selected={tab}
        onSelect={(key) => setParams(key === "activity" ? {} : { tab: key }, { replace: true })}
      >
        {tab === "activity" ? <ActivityLogPanel /> : <SecurityEventsPanel />}
      </RecordTabs>
    </SyncBoardPage>
  );
}
