// The Overview's numbers for one period, from the summary tables: invocations, failures, security
// events and rate-limit hits, with how fresh they are.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import type { OverviewWindow } from "../../../../convex/lib/overview";
import type { Severity } from "../../../../convex/lib/validators";
import { EmptyState } from "../../common/EmptyState";
import { Spinner } from "../../common/Spinner";
import { CodeList } from "./CodeList";
import { Freshness } from "./Freshness";
import { formatCount } from "./formatCount";
import { PERIOD_LABELS } from "./periods";
import { StatCard } from "./StatCard";
import "../../../styles/syncboard-overview.css";

/** Most severe first, as an owner reads them. */
const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export function OverviewNumbers({ period }: { period: OverviewWindow }) {
  const overview = useQuery(api.dashboard.overview, { window: period });
  if (overview === undefined) return <Spinner label="Loading the overview…" />;

  const { invocations, topFailureCodes, securityEvents, rateLimitHits } = overview;
  const phrase = PERIOD_LABELS[period].phrase;
  const quiet = invocations.total === 0 && securityEvents.total === 0;
  return (
    <div className="overview__numbers" data-testid="overview-numbers">
      <Freshness at={overview.lastAggregatedAt} />
      {quiet ? (
        <EmptyState title={`No activity in ${phrase}`}>
          <p>Skill calls and security events show here a few minutes after they happen.</p>
        </EmptyState>
      ) : (
        <div className="overview__cards">
          <StatCard testId="overview-invocations" title="Invocations" value={invocations.total}>
            <dl className="overview-breakdown">
              <Breakdown label="Succeeded" count={invocations.ok} />
              <Breakdown label="Refused by a check" count={invocations.denied} />
              <Breakdown label="Failed while running" count={invocations.failed} />
              <Breakdown label="Of those, rate limited" count={invocations.rateLimited} />
            </dl>
          </StatCard>
          <StatCard testId="overview-failures" title="Failures" value={invocations.denied + invocations.failed}>
            <CodeList heading="Most frequent" codes={topFailureCodes} empty="No failed or refused calls." />
          </StatCard>
          <StatCard testId="overview-security-events" title="Security events" value={securityEvents.total}>
            {securityEvents.total > 0 ? (
              <dl className="overview-breakdown">
                {SEVERITIES.filter((severity) => securityEvents.bySeverity[severity] > 0).map((severity) => (
                <Breakdown key={severity} label={severity.charAt(0).toUpperCase() + severity.slice(1)} count={securityEvents.bySeverity[severity]} />
              ))}
              </dl>
            ) : null}
            <CodeList heading="Most frequent" codes={securityEvents.topCodes} empty="No security events." />
          </StatCard>
          <StatCard testId="overview-rate-limit-hits" title="Rate-limit hits" value={rateLimitHits.total}>
            <CodeList heading="By limit" codes={rateLimitHits.byCode} empty="No limit was reached." />
          </StatCard>
        </div>
      )}
    </div>
  );
}

function Breakdown({ label, count }: { label: string; count: number }) {
  return (
    <div className={count === 0 ? "overview-breakdown__row overview-breakdown__row--zero" : "overview-breakdown__row"}>
      <dt>{label}</dt>
      <dd>{formatCount(count)}</dd>
    </div>
  );
}
