// `npm run bench:checker`: the security checker's added latency per skill invocation, with 10,000
// and then 100,000 rows already in skillInvocationLog. It runs the real app in the local runtime
// (in this process, with the runtime's trace on) and invokes a calculator skill through the skill
// runner, as the agent does. Per invocation it reports:
// - checker time: the running and commit time of the checker's two transactions (`admit`, which
//   reads the skill, takes the rate limits, validates the input and checks the allowlist, and
//   `record`, which scrubs and writes the log row), the target metric;
// - the whole invocation as the caller sees it, for context.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PROJECT_ROOT } from "../../local/config.ts";
import { Runtime, type TraceEvent } from "../../local/engine/runtime.ts";
import { installSandbox } from "../../local/engine/sandbox.ts";
import { NO_REQUEST_META, type Caller } from "../../local/engine/types.ts";
import { percentile } from "./benchSupport.ts";

const INVOCATIONS = Number(process.env.BENCH_INVOCATIONS ?? 1000);
const LOG_SIZES = (process.env.BENCH_LOG_ROWS ?? "10000,100000").split(",").map(Number);
const WARMUP = 300;
const SEED_BATCH = 2000;

const ADMIN: Caller = { identity: null, isAdmin: true, token: null };
const options = { caller: ADMIN, meta: NO_REQUEST_META };


const pair = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 99).toFixed(2)}`;
};

installSandbox();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-checker-bench-"));
const events: TraceEvent[] = [];
const runtime = await Runtime.start({
  convexDir: path.join(PROJECT_ROOT, "convex"),
  dataDir,
  cloudUrl: "http://127.0.0.1:9",
  trace: (event) => events.push(event),
  actionWorkers: 1,
  log: () => {},
});

const inputSchemaJson = JSON.stringify({ type: "object", properties: { expression: { type: "string", maxLength: 500 } }, required: ["expression"], additionalProperties: false });
const unlimited = { kind: "token bucket", rate: 1_000_000_000, period: 60_000, capacity: 1_000_000_000 };

const skillId = await runtime.systemTransaction((txn) => {
  for (const name of ["skillGlobal"]) txn.insert("", "rateLimitConfig", { name, ...unlimited, updatedAt: Date.now() });
  return txn.insert("", "skills", {
    name: "calculator",
    displayName: "Calculator",
    description: "Evaluates arithmetic.",
    type: "template",
    approvalStatus: "approved",
    status: "active",
    configVersion: 1,
    approvedConfigVersion: 1,
    inputSchemaJson,
    template: { templateKey: "calculator", configJson: "{}", templateVersion: 1 },
    timeoutMs: 10_000,
    maxOutputBytes: 50 * 1024,
    rateLimit: unlimited,
    updatedAt: Date.now(),
  });
});

let logRows = 0;
async function seedLogTo(target: number): Promise<void> {
  while (logRows < target) {
    const count = Math.min(SEED_BATCH, target - logRows);
    await runtime.systemTransaction((txn) => {
      for (let i = 0; i < count; i++) {
        txn.insert("", "skillInvocationLog", {
          target: "skill",
          skillId,
          skillName: "calculator",
          skillType: "template",
          caller: { kind: "system" },
          channel: "web",
          code: i % 10 === 0 ? "RATE_LIMIT_SKILL" : "OK",
          outcome: i % 10 === 0 ? "denied" : "ok",
          inputRedacted: `{"expression":"${i} + 1"}`,
          outputPreview: String(i + 1),
          durationMs: 3,
          dryRun: false,
        });
      }
    });
    logRows += count;
  }
}

const invoke = { componentPath: "", udfPath: "skills/runner:invoke" };
const CHECKER = new Set(["security/checker:admit", "security/checker:record"]);

async function measure(rows: number): Promise<{ line: string; p99: number }> {
  await seedLogTo(rows);
  const checker: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < WARMUP + INVOCATIONS; i++) {
    events.length = 0;
    const started = performance.now();
    const outcome = await runtime.action(invoke, { skillName: "calculator", inputJson: JSON.stringify({ expression: `${i} * 2 + 1` }), caller: { kind: "system" }, channel: "web", dryRun: false }, options);
    const elapsed = performance.now() - started;
    if (!outcome.ok || !(outcome.value as { ok: boolean }).ok) throw new Error(`invocation failed: ${JSON.stringify(outcome)}`);
    logRows += 1;
    if (i < WARMUP) continue;
    checker.push(events.filter((e) => CHECKER.has(e.path)).reduce((sum, e) => sum + e.execMs + e.commitMs, 0));
    whole.push(elapsed);
  }
  const p99 = percentile([...checker].sort((a, b) => a - b), 99);
  return { line: `${String(rows).padStart(9)}   ${pair(checker).padStart(24)}   ${pair(whole).padStart(26)}`, p99 };
}

try {
  console.log(`ClawSync security checker benchmark (${os.cpus().length} cores, node ${process.version}, ${INVOCATIONS} invocations per row after ${WARMUP} warm-up)`);
  console.log("log rows    checker time p50/p99 ms   whole invocation p50/p99 ms");
  const p99s: number[] = [];
  for (const rows of LOG_SIZES) {
    const { line, p99 } = await measure(rows);
    console.log(line);
    p99s.push(p99);
  }
  console.log(`checker p99 at ${LOG_SIZES.at(-1)} rows is ${(p99s.at(-1)! / p99s[0]).toFixed(2)}× its p99 at ${LOG_SIZES[0]} rows`);
} finally {
  await runtime.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
