// `npm run bench:dashboard`: what SyncBoard's Overview costs with 1,000 and then 100,000 log rows
// (skillInvocationLog and securityEvents together). For each size it starts the real app in the
// local runtime on a fresh database, lays the rows over the last seven days, counts them into the
// summaries with the aggregation crons' own mutations, then runs `dashboard:overview` as an owner
// for both periods and reports:
// - documents read per query, from the runtime's own read accounting (the counter behind Convex's
//   per-function read limit), the target metric: the same at both sizes;
// - the summary rows in the period, which those reads are (plus the owner check and two watermarks);
// - the query's running time, p50/p99.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PROJECT_ROOT } from "../../local/config.ts";
import { Runtime, type TraceEvent } from "../../local/engine/runtime.ts";
import { installSandbox } from "../../local/engine/sandbox.ts";
import { Transaction } from "../../local/engine/transaction.ts";
import { NO_REQUEST_META, type Caller } from "../../local/engine/types.ts";
import { percentile } from "./benchSupport.ts";

const LOG_SIZES = (process.env.BENCH_LOG_ROWS ?? "1000,100000").split(",").map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const WARMUP = 50;
const SEED_BATCH = 2000;
const HOUR = 3_600_000;
const WEEK_HOURS = 7 * 24;
/** Of the log rows, this share are skill invocations and the rest security events. */
const INVOCATION_SHARE = 0.4;
/** Event codes cycled through every hour, so even 600 events give each hour every code. */
const EVENT_KINDS = [
  { code: "RATE_LIMIT_CHAT_SESSION", severity: "low" },
  { code: "AUTH_SIGNIN_FAILED", severity: "medium" },
  { code: "DOMAIN_NOT_ALLOWED", severity: "high" },
] as const;
const WINDOWS = ["24h", "7d"] as const;

const ADMIN: Caller = { identity: null, isAdmin: true, token: null };
const OWNER: Caller = { identity: { tokenIdentifier: "https://idp.bench|owner", subject: "owner", issuer: "https://idp.bench" }, isAdmin: false, token: null };
const OVERVIEW = { componentPath: "", udfPath: "dashboard:overview" };

// The runtime stamps `_creationTime` from Date.now() and only ever moves it forward, so the bench
// owns the clock: it walks it through the week while seeding, then holds it at BENCH_NOW, so both
// sizes query exactly the same hours.
const wallClock = Date.now.bind(Date);
const BENCH_NOW = Math.floor(wallClock() / HOUR) * HOUR + 30 * 60_000;
let clock = BENCH_NOW;
Date.now = () => clock;

// Every document a function reads passes through Transaction.countScanned. A function's trace event
// comes at its end, inside the runtime's lock, so the reads since the previous event are its own.
let scanned = 0;
const countScanned = Transaction.prototype.countScanned;
Transaction.prototype.countScanned = function (this: Transaction, rows: number) {
  scanned += rows;
  countScanned.call(this, rows);
};
const traced: (TraceEvent & { reads: number })[] = [];
const trace = (event: TraceEvent) => {
  traced.push({ ...event, reads: scanned });
  scanned = 0;
};

type Seed = { time: number; table: "skillInvocationLog" | "securityEvents"; n: number };

/** The start of the hour `hoursAgo` before BENCH_NOW's, and a time in it before BENCH_NOW. */
function timeIn(hoursAgo: number, n: number): number {
  const bucket = Math.floor(BENCH_NOW / HOUR) * HOUR - hoursAgo * HOUR;
  return bucket + ((n * 7919) % (25 * 60_000));
}

/** The week's rows, oldest first: each table's rows go round the 168 hours in turn. */
function seeds(total: number): Seed[] {
  const invocations = Math.round(total * INVOCATION_SHARE);
  const rows: Seed[] = [];
  for (let n = 0; n < invocations; n++) rows.push({ time: timeIn(n % WEEK_HOURS, n), table: "skillInvocationLog", n });
  for (let n = 0; n < total - invocations; n++) rows.push({ time: timeIn(n % WEEK_HOURS, n), table: "securityEvents", n });
  return rows.sort((a, b) => a.time - b.time);
}

function invocationRow(n: number) {
  const [code, outcome] = n % 10 === 0 ? (["RATE_LIMIT_SKILL", "denied"] as const) : n % 10 === 1 ? (["TIMEOUT", "failed"] as const) : n % 10 === 2 ? (["SKILL_NOT_FOUND", "denied"] as const) : (["OK", "ok"] as const);
  return { target: "skill", skillName: "calculator", caller: { kind: "system" }, channel: "web", code, outcome, inputRedacted: `{"expression":"${n} + 1"}`, durationMs: 3 + (n % 7), dryRun: false };
}

function eventRow(n: number) {
  const kind = EVENT_KINDS[Math.floor(n / WEEK_HOURS) % EVENT_KINDS.length];
  return { ...kind, message: "Benchmark event.", channel: "web" };
}

async function seed(runtime: Runtime, total: number): Promise<{ invocations: number; events: number }> {
  const rows = seeds(total);
  for (let start = 0; start < rows.length; start += SEED_BATCH) {
    await runtime.systemTransaction((txn) => {
      for (const row of rows.slice(start, start + SEED_BATCH)) {
        clock = row.time;
        txn.insert("", row.table, row.table === "skillInvocationLog" ? invocationRow(row.n) : eventRow(row.n));
      }
    });
  }
  clock = BENCH_NOW;
  const invocations = rows.filter((row) => row.table === "skillInvocationLog").length;
  return { invocations, events: rows.length - invocations };
}

/** Runs an aggregation as its cron does, each follow-up straight after the last, until it is caught up. */
async function aggregate(runtime: Runtime, udfPath: string): Promise<number> {
  let runs = 0;
  for (;;) {
    const outcome = await runtime.mutation({ componentPath: "", udfPath }, {}, { caller: ADMIN, meta: NO_REQUEST_META });
    if (!outcome.ok) throw new Error(`${udfPath} failed: ${outcome.failure.message}`);
    runs += 1;
    if (!(outcome.value as { more: boolean }).more) return runs;
  }
}

type Overview = { invocations: { total: number }; securityEvents: { total: number } };

async function measure(logRows: number): Promise<{ lines: string[]; reads: Record<string, number> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-dashboard-bench-"));
  clock = timeIn(WEEK_HOURS, 0);
  const runtime = await Runtime.start({ convexDir: path.join(PROJECT_ROOT, "convex"), dataDir, cloudUrl: "http://127.0.0.1:9", trace, actionWorkers: 1, log: () => {} });
  try {
    const seeded = await seed(runtime, logRows);
    await runtime.systemTransaction((txn) => txn.insert("", "owners", { tokenIdentifier: OWNER.identity!.tokenIdentifier, role: "admin", status: "active", joinedAt: BENCH_NOW }));
    const started = performance.now();
    const runs = (await aggregate(runtime, "security/summaries:aggregateSkillInvocations")) + (await aggregate(runtime, "security/summaries:aggregateSecurityEvents"));
    const aggregation = `${runs} aggregation runs in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    const summaries = runtime.database("");
    const lines = [`${logRows} log rows (${seeded.invocations} invocations, ${seeded.events} security events): ${aggregation}`];
    const reads: Record<string, number> = {};
    for (const window of WINDOWS) {
      const times: number[] = [];
      const readCounts = new Set<number>();
      let result: Overview | undefined;
      for (let i = 0; i < WARMUP + QUERIES; i++) {
        traced.length = 0;
        const outcome = await runtime.query(OVERVIEW, { window }, { caller: OWNER, meta: NO_REQUEST_META });
        if (!outcome.ok) throw new Error(`overview failed: ${outcome.failure.message}`);
        result = outcome.value as Overview;
        const event = traced.find((e) => e.path === "dashboard:overview")!;
        readCounts.add(event.reads);
        if (i >= WARMUP) times.push(event.execMs);
      }
      // Every seeded row lies within the week: the 7-day totals must account for each exactly once.
      if (window === "7d" && (result!.invocations.total !== seeded.invocations || result!.securityEvents.total !== seeded.events)) {
        throw new Error(`overview totals ${JSON.stringify(result)} do not match the ${logRows} rows seeded`);
      }
      if (readCounts.size !== 1) throw new Error(`reads varied between runs: ${[...readCounts].join(", ")}`);
      reads[window] = [...readCounts][0];
      const inWindow = window === "24h" ? 24 : WEEK_HOURS;
      const summaryRows = [...(summaries.tables.get("skillInvocationSummary")?.docs.values() ?? []), ...(summaries.tables.get("securityEventSummary")?.docs.values() ?? [])].filter(
        (doc) => (doc.scope === undefined || doc.scope === "all") && (doc.bucketStart as number) > Math.floor(BENCH_NOW / HOUR) * HOUR - inWindow * HOUR,
      ).length;
      const sorted = times.sort((a, b) => a - b);
      lines.push(
        `${String(logRows).padStart(9)}   ${window.padStart(6)}   ${String(reads[window]).padStart(14)}   ${String(summaryRows).padStart(22)}   ${`${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 99).toFixed(2)}`.padStart(17)}`,
      );
    }
    return { lines, reads };
  } finally {
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

installSandbox();
console.log(`ClawSync dashboard benchmark (${os.cpus().length} cores, node ${process.version}, ${QUERIES} overview queries per row after ${WARMUP} warm-up)`);
const results: { logRows: number; lines: string[]; reads: Record<string, number> }[] = [];
for (const logRows of LOG_SIZES) results.push({ logRows, ...(await measure(logRows)) });
for (const { lines } of results) console.log(lines[0]);
console.log(" log rows   window   documents read   summary rows in window   query p50/p99 ms");
for (const { lines } of results) for (const line of lines.slice(1)) console.log(line);
const [first, last] = [results[0], results.at(-1)!];
for (const window of WINDOWS) {
  const same = first.reads[window] === last.reads[window];
  console.log(`${window}: ${last.reads[window]} documents read at ${last.logRows} log rows, ${first.reads[window]} at ${first.logRows}: ${same ? "the same" : "DIFFERENT"}`);
}
