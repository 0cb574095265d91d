// Scheduled maintenance. Each job has its own schedule, off the top of the hour, and works in
// bounded batches so it never competes with live traffic for long.
import { cronJobs } from "convex/server";

import { internal } from "./_generated/api";

const crons = cronJobs();

crons.hourly("expire visitor sessions", { minuteUTC: 17 }, internal.visitorSessions.expire, {});
// Dashboards read these summaries; five minutes keeps them fresh without touching live traffic.
crons.interval("summarize skill invocations", { minutes: 5 }, internal.security.summaries.aggregateSkillInvocations, {});
// The Overview's security events and rate-limit hits, every five minutes (at :02, :07, :12, ...).
crons.cron("summarize security events", "2-59/5 * * * *", internal.security.summaries.aggregateSecurityEvents, {});
// New or changed code skills and templates reach the database (as pending) soon after a deploy.
crons.interval("sync skill registry", { minutes: 5 }, internal.skills.registry.sync, {});
crons.hourly("prune skill invocation log", { minuteUTC: 41 }, internal.security.summaries.pruneSkillInvocationLog, {});
// Webhook delivery ids past their replay window.
crons.hourly("forget expired webhook delivery ids", { minuteUTC: 29 }, internal.channels.replayIds.sweep, {});

export default crons;
