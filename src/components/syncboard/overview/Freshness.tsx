// How fresh the Overview's numbers are: the summaries are made every five minutes, not live.
import { RelativeTime } from "../../common/RelativeTime";
import "../../../styles/syncboard-overview.css";

export function Freshness({ at }: { at: number | null }) {
  return (
    <p className="overview__updated" data-testid="overview-updated">
      {at === null ? (
        "Waiting for the first summary, made every five minutes."
      ) : (
        <>
          Updated <RelativeTime ms={at} />. Summaries are made every five minutes.
        </>
      )}
    </p>
  );
}
