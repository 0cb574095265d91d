// Wording for "try again in …" waits, which count down every second while they are shown.

/**
 * "12 s", "2 min 5 s", "1 h 5 min": the time left, rounded up to the next whole second so the
 * visitor is never told to retry before the server will accept it. Never less than "1 s".
 */
export function formatCountdown(remainingMs: number): string {
  const totalSeconds = Math.max(1, Math.ceil(Number.isFinite(remainingMs) ? remainingMs / 1000 : 1));
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) {
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${totalMinutes} min` : `${totalMinutes} min ${seconds} s`;
  }
  // Above an hour, seconds are noise; round the minutes up instead.
  const roundedMinutes = Math.ceil(totalSeconds / 60);
  const hours = Math.floor(roundedMinutes / 60);
  const minutes = roundedMinutes % 60;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** The same wait in words for screen readers, announced once: "12 seconds", "3 minutes". */
export function formatCountdownSpoken(remainingMs: number): string {
  const totalSeconds = Math.max(1, Math.ceil(Number.isFinite(remainingMs) ? remainingMs / 1000 : 1));
  if (totalSeconds < 60) return plural(totalSeconds, "second");
  const minutes = Math.ceil(totalSeconds / 60);
  if (minutes < 60) return plural(minutes, "minute");
  return plural(Math.ceil(minutes / 60), "hour");
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
