// One skill's invocations, newest first, a page at a time (the log's by_skill index; never a scan).
import { usePaginatedQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import type { Id } from "../../../../convex/_generated/dataModel";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { callerLabel, channelLabel, outcomeLabel } from "./labels";

const PAGE_SIZE = 20;

export function SkillHistory({ skillId }: { skillId: Id<"skills"> }) {
  const { results, status, loadMore } = usePaginatedQuery(api.skillsAdmin.history, { skillId }, { initialNumItems: PAGE_SIZE });
  if (status === "LoadingFirstPage") return <Spinner label="Loading the history…" />;
  if (results.length === 0) {
    return (
      <EmptyState title="No invocations yet">
        <p>Each call of this skill, allowed or refused, appears here.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <div className="data-table-wrap">
        <table className="data-table" data-testid="skill-history">
          <caption className="visually-hidden">Invocations of this skill, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Result</th>
              <th scope="col">For</th>
              <th scope="col">Time taken</th>
              <th scope="col">Input (redacted)</th>
              <th scope="col">Output or error</th>
            </tr>
          </thead>
          <tbody>
            {results.map((row) => (
              <tr key={row._id}>
                <td className="skills-nowrap">
                  <RelativeTime ms={row._creationTime} />
                </td>
                <td>
                  {outcomeLabel(row.outcome)}
                  {row.code !== "OK" ? (
                    <div>
                      <code>{row.code}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  {callerLabel(row.callerKind)}, {channelLabel(row.channel)}
                  {row.dryRun ? " (test)" : ""}
                </td>
                <td className="skills-nowrap">{row.durationMs} ms</td>
                <td>
                  <code className="skills-clip">{row.inputRedacted}</code>
                </td>
                <td>
                  <span className="skills-clip">{row.errorMessage ?? row.outputPreview ?? "—"}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {status === "CanLoadMore" || status === "LoadingMore" ? (
        <div className="form__actions skills-more">
          <button type="button" className="button button--quiet" onClick={() => loadMore(PAGE_SIZE)} disabled={status === "LoadingMore"}>
            {status === "LoadingMore" ? "Loading more…" : "Load more"}
          </button>
        </div>
      ) : null}
    </>
  );
}
