// How the Overview names its periods: on the toggle, and in sentences ("in the last 24 hours").
import type { OverviewWindow } from "../../../../convex/lib/overview";

export const PERIOD_LABELS: Readonly<Record<OverviewWindow, { short: string; phrase: string }>> = {
  "24h": { short: "Last 24 hours", phrase: "the last 24 hours" },
  "7d": { short: "Last 7 days", phrase: "the last 7 days" },
};
