// One Overview figure: a title, the number, and a short breakdown below it.
import { useId, type ReactNode } from "react";
import { formatCount } from "./formatCount";
import "../../../styles/syncboard-overview.css";

interface StatCardProps {
  testId: string;
  title: string;
  value: number;
  children?: ReactNode;
}

export function StatCard({ testId, title, value, children }: StatCardProps) {
  const headingId = useId();
  return (
    <section className="overview-card" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId} className="overview-card__title">
        {title}
      </h2>
      <p className="overview-card__value" data-testid={`${testId}-value`}>
        {formatCount(value)}
      </p>
      {children}
    </section>
  );
}
