// Durability of the data folder: data and pending schedules survive a restart, a kill -9 in the
// middle of writes loses no acknowledged transaction and keeps every transaction whole, and the
// files are private to their owner.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { describe, expect, it } from "vitest";

import { PROJECT_ROOT } from "../../local/config.ts";
import { freePort, startFixture, tempDataDir } from "./support/fixture.ts";
import { watch } from "./support/watch.ts";

const list = makeFunctionReference<"query">("messages:list");
const listAll = makeFunctionReference<"query">("messages:listAll");
const send = makeFunctionReference<"mutation">("messages:send");
const scheduleSend = makeFunctionReference<"mutation">("messages:scheduleSend");

describe("restart", () => {
  it("keeps data and pending scheduled functions across a clean restart", async () => {
    const first = await startFixture();
    await first.http().mutation(send, { channel: "kept", body: "before restart" });
    await first.http().mutation(scheduleSend, { channel: "kept", body: "scheduled before restart", delayMs: 1500 });
    await first.stop();

    const second = await startFixture(first.config);
    try {
      expect(await second.http().query(list, { channel: "kept" })).toEqual(["before restart"]);
      const feed = watch<string[]>(second.client(), list, { channel: "kept" });
      expect(await feed.until((bodies) => bodies.length === 2, 10_000)).toEqual(["before restart", "scheduled before restart"]);
    } finally {
      await second.stop();
    }
  });

  it("creates the data folder 0700 and its files 0600", async () => {
    const fixture = await startFixture();
    await fixture.http().mutation(send, { channel: "perm", body: "x" });
    await fixture.stop();
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? [full, ...walk(full)] : [full];
    });
    const mode = (file: string) => fs.statSync(file).mode & 0o777;
    expect(mode(fixture.config.dataDir)).toBe(0o700);
    const entries = walk(fixture.config.dataDir);
    expect(entries.length).toBeGreaterThan(4);
    for (const entry of entries) expect([entry, mode(entry)]).toEqual([entry, fs.statSync(entry).isDirectory() ? 0o700 : 0o600]);
  });
});

/** Starts the fixture app in a child process on the given data folder. */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; http: ConvexHttpClient }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/runtime/support/childFixture.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CLAWSYNC_DATA_DIR: dataDir,
      CLAWSYNC_API_PORT: String(await freePort()),
      CLAWSYNC_SITE_PORT: String(await freePort()),
      CLAWSYNC_UI_PORT: String(await freePort()),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ cloudUrl: string; adminKey: string }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("READY ")) resolve(JSON.parse(line.slice(6)) as { cloudUrl: string; adminKey: string });
    });
  });
  return { child, http: new ConvexHttpClient(ready.cloudUrl, { logger: false }) };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("kill -9 in the middle of writes", () => {
  it("loses no acknowledged mutation and never keeps a partial transaction", async () => {
    const dataDir = tempDataDir();
    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { child, http } = await startChild(dataDir);
      let stop = false;
      const writers = Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; !stop; i++) {
          const body = `r${round}-w${writer}-${i}`;
          attempted.add(body);
          try {
            await http.mutation(send, { channel: "crash", body });
            acknowledged.add(body);
          } catch {
            return; // the process died under this request
          }
        }
      });
      // Kill once this round has a few hundred acknowledged writes in flight.
      const target = acknowledged.size + 200 + round * 50;
      while (acknowledged.size < target) await Promise.race([...writers, new Promise((resolve) => setImmediate(resolve))]);
      stop = true;
      await killed(child);
      await Promise.all(writers);
    }
    // A torn final line, as a write cut off by a crash leaves it, must be discarded on load.
    fs.appendFileSync(path.join(dataDir, "db/wal.log"), '1234abcd {"ts":"99999999999999999999","w":[["","messages","x');
    const { child, http } = await startChild(dataDir);
    try {
      const stored = (await http.query(listAll, { channel: "crash" })) as string[];
      const storedSet = new Set(stored);
      expect(storedSet.size).toBe(stored.length);
      for (const body of acknowledged) expect(storedSet.has(body), `acknowledged ${body} was lost`).toBe(true);
      for (const body of stored) expect(attempted.has(body)).toBe(true);
      // The runtime still accepts writes after recovering.
      await http.mutation(send, { channel: "after", body: "ok" });
      expect(await http.query(list, { channel: "after" })).toEqual(["ok"]);
    } finally {
      await killed(child);
    }
  });
});
