// Runs the jobs of `convex/crons.ts` on real time. Every Convex schedule kind becomes either a fixed
// interval or a cron expression (evaluated in UTC by cron-parser). A run that is still going when
// its next time comes is not started twice; the next run waits for the following slot.
import { CronExpressionParser } from "cron-parser";
import type { JSONValue } from "convex/values";

import type { Runtime } from "./runtime.ts";
import { ANONYMOUS, NO_REQUEST_META } from "./types.ts";

export type CronSchedule =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: string; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number }
  | { type: "cron"; cron: string };

export type CronJob = { name: string; args: JSONValue[]; schedule: CronSchedule };

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The next time (ms since epoch) a schedule fires strictly after `after`. */
export function nextRunAt(schedule: CronSchedule, after: number): number {
  if (schedule.type === "interval") {
    const ms = ((schedule.hours ?? 0) * 3600 + (schedule.minutes ?? 0) * 60 + (schedule.seconds ?? 0)) * 1000;
    if (ms <= 0) throw new Error("A cron interval must be positive");
    return after + ms;
  }
  const expression = cronExpression(schedule);
  return CronExpressionParser.parse(expression, { tz: "UTC", currentDate: new Date(after) }).next().getTime();
}

/** The five-field cron expression equivalent to a Convex schedule. */
export function cronExpression(schedule: Exclude<CronSchedule, { type: "interval" }>): string {
  const minute = "minuteUTC" in schedule ? (schedule.minuteUTC ?? 0) : 0;
  switch (schedule.type) {
    case "hourly":
      return `${minute} * * * *`;
    case "daily":
      return `${minute} ${schedule.hourUTC} * * *`;
    case "weekly": {
      const day = DAYS.indexOf(schedule.dayOfWeek.toLowerCase());
      if (day === -1) throw new Error(`Unknown day of week ${schedule.dayOfWeek}`);
      return `${minute} ${schedule.hourUTC} * * ${day}`;
    }
    case "monthly":
      return `${minute} ${schedule.hourUTC} ${schedule.day} * *`;
    case "cron":
      return schedule.cron;
  }
}

export class CronRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly jobs: Record<string, CronJob>,
  ) {}

  /** The jobs of the app's `crons.ts`, if it has one. */
  static jobsOf(runtime: Runtime): Record<string, CronJob> {
    const crons = runtime.root.modules.get("crons")?.default as { isCrons?: boolean; crons?: Record<string, CronJob> } | undefined;
    return crons?.isCrons ? (crons.crons ?? {}) : {};
  }

  start(now = Date.now()): void {
    for (const [identifier, job] of Object.entries(this.jobs)) {
      this.runtime.resolveInternal({ componentPath: "", udfPath: job.name }, "any");
      this.arm(identifier, job, nextRunAt(job.schedule, now));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private arm(identifier: string, job: CronJob, at: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(identifier);
      if (!this.running.has(identifier)) {
        const run = this.run(identifier, job).finally(() => this.running.delete(identifier));
        this.running.set(identifier, run);
      }
      this.arm(identifier, job, nextRunAt(job.schedule, Math.max(Date.now(), at)));
    }, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    timer.unref?.();
    this.timers.set(identifier, timer);
  }

  private async run(identifier: string, job: CronJob): Promise<void> {
    const target = { componentPath: "", udfPath: job.name };
    const resolved = this.runtime.resolveInternal(target, "any");
    const options = { caller: ANONYMOUS, meta: NO_REQUEST_META };
    const args = job.args[0] ?? {};
    const outcome =
      resolved.type === "mutation"
        ? await this.runtime.mutation(target, args, options, resolved)
        : resolved.type === "action"
          ? await this.runtime.action(target, args, options, resolved)
          : await this.runtime.query(target, args, options, resolved);
    if (!outcome.ok) this.runtime.log(`[cron ${identifier}] failed: ${outcome.failure.message}`);
  }
}
