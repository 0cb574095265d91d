// The honest "nothing here (yet)" message every list and unfinished page uses.
import type { ReactNode } from "react";
import "../../styles/common.css";

interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  id?: string;
}

export function EmptyState({ title, children, id }: EmptyStateProps) {
  return (
    <div className="empty-state" id={id}>
      <p className="empty-state__title">{title}</p>
      {children ? <div className="empty-state__detail">{children}</div> : null}
    </div>
  );
}
