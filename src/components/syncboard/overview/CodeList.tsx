// A short ranked list of codes with their counts (failure codes, security event codes, limits).
import { useId } from "react";
import { formatCount } from "./formatCount";
import "../../../styles/syncboard-overview.css";

interface CodeListProps {
  heading: string;
  codes: readonly { code: string; count: number }[];
  /** Said instead of an empty list. */
  empty: string;
}

export function CodeList({ heading, codes, empty }: CodeListProps) {
  const headingId = useId();
  if (codes.length === 0) return <p className="overview-codes__empty">{empty}</p>;
  return (
    <div className="overview-codes">
      <h3 id={headingId} className="overview-codes__heading">
        {heading}
      </h3>
      <ol className="overview-codes__list" aria-labelledby={headingId}>
        {codes.map(({ code, count }) => (
          <li key={code} className="overview-codes__item">
            <code className="overview-codes__code">{code}</code>
            <span className="overview-codes__count">{formatCount(count)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
