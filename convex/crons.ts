// Scheduled maintenance. Each job has its own schedule, off the top of the hour, and works in
// bounded batches so it never competes with live traffic for long.
import { cronJobs } from "convex/server";

import { internal } from "./_generated/api";

const crons = cronJobs();

crons.hourly("expire visitor sessions", { minuteUTC: 17 }, internal.visitorSessions.expire, {});

export default crons;
