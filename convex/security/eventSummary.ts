// Counting security events into hourly summary rows, one per hour and code. Pure, like
// `invocationSummary.ts`: the cron in `summaries.ts` reads a batch of events, hands it here and
// writes back what this returns.
import type { Doc } from "../_generated/dataModel";
import type { Severity } from "../lib/validators";
import { bucketStartOf } from "./invocationSummary";

/** Severities from least to most serious; a summary row keeps the most serious one it counted. */
export const SEVERITY_ORDER: readonly Severity[] = ["info", "low", "medium", "high", "critical"];

export function moreSevere(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a;
}

/** The fields of one securityEventSummary row. */
export type EventSummary = Pick<Doc<"securityEventSummary">, "bucketStart" | "code" | "count" | "maxSeverity">;

type EventRow = Pick<Doc<"securityEvents">, "_creationTime" | "code" | "severity">;

/** Groups a batch of events by hour and code, keyed `bucketStart:code`. */
export function aggregateEvents(rows: readonly EventRow[]): Map<string, EventSummary> {
  const groups = new Map<string, EventSummary>();
  for (const row of rows) {
    const bucketStart = bucketStartOf(row._creationTime);
    const id = `${bucketStart}:${row.code}`;
    const group = groups.get(id);
    groups.set(id, group === undefined ? { bucketStart, code: row.code, count: 1, maxSeverity: row.severity } : addEvent(group, row.severity));
  }
  return groups;
}

function addEvent(group: EventSummary, severity: Severity): EventSummary {
  return { ...group, count: group.count + 1, maxSeverity: moreSevere(group.maxSeverity, severity) };
}

type Tally = Pick<EventSummary, "count" | "maxSeverity">;

/** A stored row plus a batch's group for the same hour and code. */
export function mergeEventSummary(stored: Tally, added: Tally): Tally {
  return { count: stored.count + added.count, maxSeverity: moreSevere(stored.maxSeverity, added.maxSeverity) };
}

