// Cron schedules of `convex/crons.ts`: each Convex schedule kind as a cron expression, and the next
// run time strictly after a given instant, in UTC whatever the machine's time zone.
import { cronJobs, makeFunctionReference } from "convex/server";
import { afterEach, describe, expect, it } from "vitest";

import { cronExpression, nextRunAt, type CronSchedule } from "../../../local/engine/crons.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("cronExpression", () => {
  it.each<[string, Exclude<CronSchedule, { type: "interval" }>, string]>([
    ["hourly at minute 5", { type: "hourly", minuteUTC: 5 }, "5 * * * *"],
    ["hourly without a minute", { type: "hourly" }, "0 * * * *"],
    ["daily at 23:30", { type: "daily", hourUTC: 23, minuteUTC: 30 }, "30 23 * * *"],
    ["daily without a minute", { type: "daily", hourUTC: 7 }, "0 7 * * *"],
    ["weekly on sunday", { type: "weekly", dayOfWeek: "sunday", hourUTC: 1, minuteUTC: 0 }, "0 1 * * 0"],
    ["weekly on monday", { type: "weekly", dayOfWeek: "monday", hourUTC: 1 }, "0 1 * * 1"],
    ["weekly on tuesday", { type: "weekly", dayOfWeek: "tuesday", hourUTC: 2, minuteUTC: 15 }, "15 2 * * 2"],
    ["weekly on wednesday", { type: "weekly", dayOfWeek: "wednesday", hourUTC: 0 }, "0 0 * * 3"],
    ["weekly on thursday", { type: "weekly", dayOfWeek: "thursday", hourUTC: 0 }, "0 0 * * 4"],
    ["weekly on friday", { type: "weekly", dayOfWeek: "friday", hourUTC: 0 }, "0 0 * * 5"],
    ["weekly on saturday", { type: "weekly", dayOfWeek: "saturday", hourUTC: 0 }, "0 0 * * 6"],
    ["weekly, day name in any case", { type: "weekly", dayOfWeek: "FriDay", hourUTC: 0 }, "0 0 * * 5"],
    ["monthly on the 31st", { type: "monthly", day: 31, hourUTC: 0, minuteUTC: 0 }, "0 0 31 * *"],
    ["monthly on the 1st at 09:15", { type: "monthly", day: 1, hourUTC: 9, minuteUTC: 15 }, "15 9 1 * *"],
    ["a cron expression, passed through", { type: "cron", cron: "*/15 * * * *" }, "*/15 * * * *"],
  ])("%s -> %s", (_name, schedule, expected) => {
    expect(cronExpression(schedule)).toBe(expected);
  });

  it.each(["funday", "mon", ""])("refuses the day of week %j", (day) => {
    expect(() => cronExpression({ type: "weekly", dayOfWeek: day, hourUTC: 0 })).toThrow(`Unknown day of week ${day}`);
  });

  it("accepts the schedules the convex library's cronJobs() builds", () => {
    const crons = cronJobs();
    const tick = makeFunctionReference<"mutation">("jobs:tick");
    crons.hourly("h", { minuteUTC: 5 }, tick);
    crons.daily("d", { hourUTC: 23, minuteUTC: 30 }, tick);
    crons.weekly("w", { dayOfWeek: "tuesday", hourUTC: 1, minuteUTC: 0 }, tick);
    crons.monthly("m", { day: 31, hourUTC: 0, minuteUTC: 0 }, tick);
    crons.cron("c", "*/15 * * * *", tick);
    const expressions = Object.fromEntries(
      Object.entries(crons.crons).map(([name, job]) => [name, cronExpression(job.schedule as Exclude<CronSchedule, { type: "interval" }>)]),
    );
    expect(expressions).toEqual({ h: "5 * * * *", d: "30 23 * * *", w: "0 1 * * 2", m: "0 0 31 * *", c: "*/15 * * * *" });
  });
});

describe("nextRunAt: intervals", () => {
  it.each<[string, CronSchedule, number]>([
    ["30 seconds", { type: "interval", seconds: 30 }, 30_000],
    ["5 minutes", { type: "interval", minutes: 5 }, 300_000],
    ["2 hours", { type: "interval", hours: 2 }, 7_200_000],
    ["1 h 1 min 1 s", { type: "interval", hours: 1, minutes: 1, seconds: 1 }, 3_661_000],
    ["half a second", { type: "interval", seconds: 0.5 }, 500],
  ])("%s after an instant", (_name, schedule, ms) => {
    const after = at("2024-01-31T23:59:50.123Z");
    expect(nextRunAt(schedule, after)).toBe(after + ms);
  });

  it.each<[string, CronSchedule]>([
    ["zero", { type: "interval" }],
    ["zero seconds", { type: "interval", seconds: 0 }],
    ["negative", { type: "interval", minutes: -1 }],
  ])("refuses a %s interval", (_name, schedule) => {
    expect(() => nextRunAt(schedule, 0)).toThrow("A cron interval must be positive");
  });
});

describe("nextRunAt: calendar schedules (UTC)", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  const cases: [string, CronSchedule, string, string][] = [
    ["hourly: just before the minute", { type: "hourly", minuteUTC: 5 }, "2024-01-01T12:04:59.999Z", "2024-01-01T12:05:00.000Z"],
    ["hourly: exactly at the minute runs next hour (strictly after)", { type: "hourly", minuteUTC: 5 }, "2024-01-01T12:05:00.000Z", "2024-01-01T13:05:00.000Z"],
    ["hourly: just after the minute", { type: "hourly", minuteUTC: 5 }, "2024-01-01T12:05:00.500Z", "2024-01-01T13:05:00.000Z"],
    ["hourly: across midnight and the year", { type: "hourly" }, "2024-12-31T23:30:00.000Z", "2025-01-01T00:00:00.000Z"],
    ["daily: later the same day", { type: "daily", hourUTC: 23, minuteUTC: 30 }, "2024-02-28T10:00:00.000Z", "2024-02-28T23:30:00.000Z"],
    ["daily: into a leap day", { type: "daily", hourUTC: 23, minuteUTC: 30 }, "2024-02-28T23:45:00.000Z", "2024-02-29T23:30:00.000Z"],
    ["daily: across the end of February", { type: "daily", hourUTC: 0 }, "2023-02-28T00:00:00.000Z", "2023-03-01T00:00:00.000Z"],
    ["daily: across a European DST change, still UTC", { type: "daily", hourUTC: 1, minuteUTC: 30 }, "2024-03-31T00:00:00.000Z", "2024-03-31T01:30:00.000Z"],
    ["weekly: Monday -> Tuesday", { type: "weekly", dayOfWeek: "tuesday", hourUTC: 1 }, "2024-01-01T00:00:00.000Z", "2024-01-02T01:00:00.000Z"],
    ["weekly: exactly at the run -> a week later", { type: "weekly", dayOfWeek: "tuesday", hourUTC: 1 }, "2024-01-02T01:00:00.000Z", "2024-01-09T01:00:00.000Z"],
    ["weekly: Saturday -> Sunday midnight", { type: "weekly", dayOfWeek: "sunday", hourUTC: 0 }, "2024-01-06T12:00:00.000Z", "2024-01-07T00:00:00.000Z"],
    ["weekly: across the month", { type: "weekly", dayOfWeek: "friday", hourUTC: 18 }, "2024-01-27T00:00:00.000Z", "2024-02-02T18:00:00.000Z"],
    ["monthly: the 31st skips April", { type: "monthly", day: 31, hourUTC: 0 }, "2024-04-15T00:00:00.000Z", "2024-05-31T00:00:00.000Z"],
    ["monthly: the 29th skips February 2023", { type: "monthly", day: 29, hourUTC: 0 }, "2023-02-01T00:00:00.000Z", "2023-03-29T00:00:00.000Z"],
    ["monthly: across the year", { type: "monthly", day: 1, hourUTC: 9, minuteUTC: 15 }, "2024-12-01T09:15:00.000Z", "2025-01-01T09:15:00.000Z"],
    ["cron: every 15 minutes", { type: "cron", cron: "*/15 * * * *" }, "2024-01-01T10:14:00.000Z", "2024-01-01T10:15:00.000Z"],
    ["cron: every 15 minutes, across the hour", { type: "cron", cron: "*/15 * * * *" }, "2024-01-01T10:59:59.000Z", "2024-01-01T11:00:00.000Z"],
    ["cron: Feb 29 only, four years on", { type: "cron", cron: "0 0 29 2 *" }, "2024-03-01T00:00:00.000Z", "2028-02-29T00:00:00.000Z"],
  ];

  it.each(cases)("%s", (_name, schedule, after, expected) => {
    expect(iso(nextRunAt(schedule, at(after)))).toBe(expected);
  });

  it.each(cases)("%s, with the process in Europe/Berlin time", (_name, schedule, after, expected) => {
    process.env.TZ = "Europe/Berlin";
    expect(iso(nextRunAt(schedule, at(after)))).toBe(expected);
  });

  it("refuses a malformed cron expression", () => {
    expect(() => nextRunAt({ type: "cron", cron: "not a cron" }, 0)).toThrow();
  });
});
