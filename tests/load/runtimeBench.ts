// `npm run bench:runtime`: starts the local runtime in its own process and measures, for 1, 10 and
// 100 subscribed websocket clients, the time from a mutation's call until every subscriber holds
// the new result (p50/p99), then HTTP-action requests per second on loopback.
import { spawn } from "node:child_process";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

import { ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import WebSocket from "ws";

import { PROJECT_ROOT } from "../../local/config.ts";
import { freePort, percentile } from "./benchSupport.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARMUP = 20;
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const HTTP_CONCURRENCY = 32;

const latest = makeFunctionReference<"query">("messages:latest");
const send = makeFunctionReference<"mutation">("messages:send");



async function startRuntime(): Promise<{ cloudUrl: string; siteUrl: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-bench-"));
  const sitePort = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "tests/runtime/support/childFixture.ts"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CLAWSYNC_DATA_DIR: dataDir, CLAWSYNC_API_PORT: String(await freePort()), CLAWSYNC_SITE_PORT: String(sitePort), CLAWSYNC_UI_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const { cloudUrl } = await new Promise<{ cloudUrl: string }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`runtime exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("READY ")) resolve(JSON.parse(line.slice(6)) as { cloudUrl: string });
    });
  });
  return {
    cloudUrl,
    siteUrl: `http://127.0.0.1:${sitePort}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

function newClient(url: string): ConvexClient {
  return new ConvexClient(url, { webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket, logger: false });
}

/** Mutation-to-every-subscriber latency with `subscribers` clients watching one query. */
async function fanOut(url: string, subscribers: number): Promise<{ p50: number; p99: number }> {
  const channel = `bench-${subscribers}`;
  const writer = newClient(url);
  const clients = Array.from({ length: subscribers }, () => newClient(url));
  let target = "";
  let pending = 0;
  let done: (() => void) | null = null;
  const holding = new Map<ConvexClient, string | null>();
  for (const client of clients) {
    client.onUpdate(latest, { channel }, (value: string | null) => {
      const before = holding.get(client);
      holding.set(client, value);
      if (value === target && before !== target && --pending === 0) done?.();
    });
  }
  // Wait until every client has its first result.
  await new Promise<void>((resolve) => {
    const check = () => (holding.size === subscribers ? resolve() : setImmediate(check));
    check();
  });
  const samples: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    target = `r${round}`;
    pending = subscribers;
    const allHold = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    await writer.mutation(send, { channel, body: target });
    await allHold;
    if (round >= WARMUP) samples.push(performance.now() - started);
  }
  await Promise.all([writer, ...clients].map((client) => client.close()));
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** HTTP-action requests per second against the site origin, with a fixed number in flight. */
async function httpActions(siteUrl: string): Promise<number> {
  const deadline = performance.now() + HTTP_SECONDS * 1000;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await fetch(`${siteUrl}/echo?name=bench`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`HTTP action failed with ${response.status}`);
      completed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, worker));
  return completed / ((performance.now() - started) / 1000);
}

const runtime = await startRuntime();
try {
  console.log(`ClawSync local runtime benchmark (${os.cpus().length} cores, node ${process.version}, ${ROUNDS} rounds each)`);
  console.log("subscribers  p50 ms   p99 ms   (mutation call -> every subscriber holds the new result)");
  for (const subscribers of [1, 10, 100]) {
    const { p50, p99 } = await fanOut(runtime.cloudUrl, subscribers);
    console.log(`${String(subscribers).padStart(11)}  ${p50.toFixed(2).padStart(6)}   ${p99.toFixed(2).padStart(6)}`);
  }
  const rps = await httpActions(runtime.siteUrl);
  console.log(`HTTP actions: ${rps.toFixed(0)} requests/s (GET /echo, ${HTTP_CONCURRENCY} in flight, ${HTTP_SECONDS} s, loopback)`);
} finally {
  await runtime.stop();
}
