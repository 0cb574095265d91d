// A short status label, such as the "Offline demo" marker beside the product name.
import type { ReactNode } from "react";
import "../../styles/common.css";

interface BadgeProps {
  tone?: "neutral" | "notice";
  children: ReactNode;
}

export function Badge({ tone = "neutral", children }: BadgeProps) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
