// An in-place message for a part of the page that could not load.
import type { ReactNode } from "react";
import "../../styles/common.css";

interface ErrorNoticeProps {
  title: string;
  children?: ReactNode;
}

export function ErrorNotice({ title, children }: ErrorNoticeProps) {
  return (
    <div className="error-notice" role="alert">
      <p className="error-notice__title">{title}</p>
      {children ? <div className="error-notice__detail">{children}</div> : null}
    </div>
  );
}
