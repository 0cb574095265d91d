// `npm run bench:chat`: the time the platform adds around the model for one chat message, with the
// offline local model, at 1 and 50 concurrent visitors. It runs the real app in its own process (as
// `npm start` does) with the runtime's trace on, and reports per message:
// - platform work: the running time of the message's transactions (session check and limits in
//   sendMessage, loading config and history, persisting the message and the streamed reply,
//   recording the reply), the target metric;
// - waiting: how long those transactions queued for the runtime's single-writer lock behind other
//   visitors' work, which grows with concurrency on one process;
// - end to end: from the send call until the visitor's subscription holds the finished reply,
//   minus the model's own time (measured separately on the same messages).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { streamText } from "ai";
import WebSocket from "ws";

import { createLocalModel } from "../../convex/models/localModel.ts";
import { PROJECT_ROOT } from "../../local/config.ts";
import type { TraceEvent } from "../../local/engine/runtime.ts";
import { freePort, percentile } from "./benchSupport.ts";

const MESSAGES_PER_VISITOR = Number(process.env.BENCH_MESSAGES ?? 20);
const VISITOR_COUNTS = (process.env.BENCH_VISITORS ?? "1,50").split(",").map(Number);
const WARMUP_MESSAGES = 2;

const createSession = makeFunctionReference<"action">("visitorSessions:create");
const createThread = makeFunctionReference<"mutation">("chat:createThread");
const sendMessage = makeFunctionReference<"mutation">("chat:sendMessage");
const listMessages = makeFunctionReference<"query">("chat:listMessages");
const setLimit = makeFunctionReference<"mutation">("rateLimitSettings:set");

type UIMessage = { role: string; status: string; order: number };




async function startPlatform() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-chat-bench-"));
  const traceFile = path.join(dataDir, "trace.jsonl");
  const apiPort = await freePort();
  // BENCH_PROFILE_DIR: write CPU profiles of the platform's threads there, to see where work goes.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "local/main.ts", "--no-build"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CLAWSYNC_DATA_DIR: dataDir,
      CLAWSYNC_API_PORT: String(apiPort),
      CLAWSYNC_SITE_PORT: String(await freePort()),
      CLAWSYNC_UI_PORT: String(await freePort()),
      LOCAL_MODEL_CHUNK_DELAY_MS: "0",
      CLAWSYNC_TRACE_FILE: traceFile,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the platform exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes("sign-in#code=")) resolve();
    });
  });
  const url = `http://127.0.0.1:${apiPort}`;
  const admin = new ConvexHttpClient(url, { logger: false });
  (admin as unknown as { setAdminAuth(key: string): void }).setAdminAuth(fs.readFileSync(path.join(dataDir, "admin_key"), "utf8").trim());
  return {
    url,
    admin,
    /** CPU seconds the platform's process has used so far (all its threads), from /proc. */
    cpuSeconds: () => {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
      // utime and stime, in clock ticks of 1/100 s on Linux.
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    /** Trace events written since the last call. */
    traceSince: (() => {
      let offset = 0;
      return (): TraceEvent[] => {
        const text = fs.readFileSync(traceFile, "utf8");
        const complete = text.slice(offset, text.lastIndexOf("\n") + 1);
        offset += complete.length;
        return complete.split("\n").filter(Boolean).map((line) => JSON.parse(line) as TraceEvent);
      };
    })(),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGINT");
      }),
  };
}

/** One visitor sending messages one after another; returns each message's end-to-end time. */
async function visitor(url: string, messages: number): Promise<number[]> {
  const client = new ConvexClient(url, { webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket, logger: false });
  const { token } = (await client.action(createSession, {})) as { token: string };
  const { threadId } = (await client.mutation(createThread, { sessionToken: token })) as { threadId: string };
  let page: UIMessage[] = [];
  let waiter: (() => void) | null = null;
  client.onUpdate(listMessages, { sessionToken: token, threadId, paginationOpts: { numItems: 10, cursor: null } }, (result: { page: UIMessage[] }) => {
    page = result.page;
    waiter?.();
  });
  // A reply shares its prompt's order; the thread's first message has order 0.
  const answered = (order: number) => page.some((m) => m.role === "assistant" && m.status === "success" && m.order === order);
  const times: number[] = [];
  for (let i = 0; i < messages; i++) {
    const done = new Promise<void>((resolve) => {
      waiter = () => answered(i) && resolve();
      waiter();
    });
    const started = performance.now();
    const sent = (await client.mutation(sendMessage, { sessionToken: token, threadId, text: `Question number ${i}: what can you do?` })) as { ok: boolean };
    if (!sent.ok) throw new Error(`message refused: ${JSON.stringify(sent)}`);
    await done;
    times.push(performance.now() - started);
  }
  await client.close();
  return times.slice(WARMUP_MESSAGES);
}

/**
 * Per message: the work and the waiting of its transactions. A message is its `chat:sendMessage`
 * mutation plus the reply action that mutation scheduled and every query and mutation the action ran.
 */
function perMessage(events: TraceEvent[]): { work: number; waiting: number }[] {
  const byJob = new Map(events.filter((e) => e.path === "agentRuntime:respond" && e.scheduledFunctionId).map((e) => [e.scheduledFunctionId!, e]));
  const children = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (!event.parentRequestId) continue;
    const list = children.get(event.parentRequestId) ?? [];
    list.push(event);
    children.set(event.parentRequestId, list);
  }
  const out: { work: number; waiting: number }[] = [];
  for (const send of events.filter((e) => e.path === "chat:sendMessage" && e.ok)) {
    const reply = send.scheduled.map((job) => byJob.get(job)).find(Boolean);
    if (!reply) continue;
    const parts = [send, ...(children.get(reply.requestId) ?? [])];
    out.push({ work: parts.reduce((sum, e) => sum + e.execMs + e.commitMs, 0), waiting: parts.reduce((sum, e) => sum + e.waitMs, 0) });
  }
  return out;
}

/** Mean running and commit time per function, to see where platform work goes. */
function printBreakdown(events: TraceEvent[]): void {
  const byPath = new Map<string, { calls: number; exec: number; commit: number }>();
  for (const e of events) {
    const entry = byPath.get(e.path) ?? { calls: 0, exec: 0, commit: 0 };
    entry.calls += 1;
    entry.exec += e.execMs;
    entry.commit += e.commitMs;
    byPath.set(e.path, entry);
  }
  for (const [path, { calls, exec, commit }] of [...byPath].sort((a, b) => b[1].exec + b[1].commit - (a[1].exec + a[1].commit))) {
    console.log(`  ${String(calls).padStart(5)} calls  exec ${(exec / calls).toFixed(2).padStart(6)} ms  commit ${(commit / calls).toFixed(2).padStart(6)} ms  ${path}`);
  }
}

/** The local model's own time for one reply, measured outside the platform. */
async function modelTimeMs(): Promise<number> {
  const model = createLocalModel({ chunkDelayMs: 0 });
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    const result = streamText({ model, system: "# ClawSync\n\nYou are ClawSync.", prompt: `Question number ${i}: what can you do?` });
    await result.consumeStream();
    await result.text;
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return percentile(samples, 50);
}

const platform = await startPlatform();
try {
  // The bench measures latency, not the limits: lift them for its visitors.
  const open = { kind: "token bucket" as const, rate: 1_000_000, period: 60_000, capacity: 1_000_000 };
  for (const name of ["chatPerSession", "global", "sessionCreation"]) await platform.admin.mutation(setLimit, { name, config: open });
  const modelMs = await modelTimeMs();
  console.log(`ClawSync chat benchmark (${os.cpus().length} cores, node ${process.version}, local model, ${MESSAGES_PER_VISITOR - WARMUP_MESSAGES} timed messages per visitor)`);
  console.log(`local model's own time per reply (median, measured separately): ${modelMs.toFixed(2)} ms`);
  console.log("visitors  messages   platform work p50/p99 ms   waiting for the lock p50/p99 ms   end-to-end minus model p50/p99 ms");
  // A fresh process compiles as it goes; a round of untimed messages first lets both rows measure
  // a warmed-up platform rather than the first row paying for the JIT.
  await Promise.all(Array.from({ length: 10 }, () => visitor(platform.url, 6)));
  platform.traceSince();
  const cpuLines: string[] = [];
  for (const visitors of VISITOR_COUNTS) {
    const wallStart = performance.now();
    const platformCpuStart = platform.cpuSeconds();
    const benchCpuStart = process.cpuUsage();
    const endToEnd = (await Promise.all(Array.from({ length: visitors }, () => visitor(platform.url, MESSAGES_PER_VISITOR))))
      .flat()
      .map((ms) => Math.max(0, ms - modelMs))
      .sort((a, b) => a - b);
    // The trace covers warm-up messages too; keep the same number of the latest as were timed.
    const events = platform.traceSince();
    const measured = perMessage(events).slice(-endToEnd.length);
    if (process.env.BENCH_BREAKDOWN) printBreakdown(events);
    const work = measured.map((m) => m.work).sort((a, b) => a - b);
    const waiting = measured.map((m) => m.waiting).sort((a, b) => a - b);
    const pair = (sorted: number[]) => `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)}`;
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const benchCpu = process.cpuUsage(benchCpuStart);
    const cores = (seconds: number) => `${(seconds / wallSeconds).toFixed(2)} cores`;
    cpuLines.push(`${visitors} visitors: the platform used ${cores(platform.cpuSeconds() - platformCpuStart)}, this benchmark's clients ${cores((benchCpu.user + benchCpu.system) / 1e6)}`);
    console.log(`${String(visitors).padStart(8)}  ${String(endToEnd.length).padStart(8)}   ${pair(work).padStart(22)}   ${pair(waiting).padStart(29)}   ${pair(endToEnd).padStart(31)}`);
  }
  // Clients and platform share this machine's cores; a busy machine slows every transaction.
  for (const line of cpuLines) console.log(line);
} finally {
  await platform.stop();
}
