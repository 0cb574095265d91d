// Human wording for times and durations, shared by every place the UI shows one.

const UNITS: Array<{ unit: Intl.RelativeTimeFormatUnit; seconds: number }> = [
  { unit: "year", seconds: 365 * 24 * 3600 },
  { unit: "month", seconds: 30 * 24 * 3600 },
  { unit: "week", seconds: 7 * 24 * 3600 },
  { unit: "day", seconds: 24 * 3600 },
  { unit: "hour", seconds: 3600 },
  { unit: "minute", seconds: 60 },
];

/**
 * "just now", "5 minutes ago", "yesterday". A time slightly in the future (clock skew between the
 * server and this browser) reads as "just now" rather than "in 3 seconds".
 */
export function formatRelativeTime(thenMs: number, nowMs: number, locale?: string): string {
  const elapsedSeconds = Math.max(0, (nowMs - thenMs) / 1000);
  if (elapsedSeconds < 45) return "just now";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const { unit, seconds } of UNITS) {
    if (elapsedSeconds >= seconds) return format.format(-Math.floor(elapsedSeconds / seconds), unit);
  }
  return format.format(-1, "minute");
}

/** "30 seconds", "5 minutes", "2 hours": a wait, rounded up so the owner never retries too early. */
export function formatWaitDuration(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds));
  if (seconds < 60) return plural(seconds, "second");
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return plural(minutes, "minute");
  return plural(Math.ceil(minutes / 60), "hour");
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
