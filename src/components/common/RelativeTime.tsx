// A timestamp shown as "5 minutes ago", with the exact time for hover and for machines.
import { formatRelativeTime } from "../../lib/time";
import { useNow } from "../../lib/useNow";

export function RelativeTime({ ms }: { ms: number }) {
  const nowMs = useNow();
  const date = new Date(ms);
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {formatRelativeTime(ms, nowMs)}
    </time>
  );
}
