// Starts the whole platform the way `npm start` does (`node --import tsx local/main.ts`, which builds
// the web app for the runtime's own URLs and starts it), in a child process on free ports with a
// fresh temporary data folder, and stops it the way an operator does: Ctrl-C (SIGINT), then checks
// that it exited cleanly.
//
// Readiness is the banner itself: the helper reads stdout until the one-time sign-in link is
// printed and takes the URLs from the banner lines, so nothing here waits for a fixed time.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, "tests", "artifacts");

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;
const HOST = "127.0.0.1";

export type Platform = {
  uiUrl: string;
  apiUrl: string;
  siteUrl: string;
  dataDir: string;
  /** The one-time owner sign-in link printed in the banner. */
  signInLink: string;
  /** The admin key from `<dataDir>/admin_key` (for `ConvexHttpClient.setAdminAuth`). */
  adminKey: string;
  /** Everything the platform printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /**
   * Sends SIGINT and waits for the exit; throws unless the exit code is 0 and "Stopped." was
   * printed. Kills with SIGKILL (and throws) if it has not exited 20 s after SIGINT. Idempotent.
   * Removes the data folder afterwards when the helper created it, unless `keepDataDir` was set.
   */
  stop(): Promise<void>;
};

export type StartOptions = {
  /** Extra environment for the platform (e.g. LOCAL_MODEL_CHUNK_DELAY_MS). */
  env?: Record<string, string>;
  /** An existing data folder, e.g. to start a second time on the same data. Never removed. */
  dataDir?: string;
  /** Keep a data folder the helper created after stop(), e.g. to restart on it. */
  keepDataDir?: boolean;
};

/** Starts the platform; resolves once the banner with the sign-in link has been printed. */
export async function startPlatform(options: StartOptions = {}): Promise<Platform> {
  const ports = await freePorts(3);
  const [apiPort, sitePort, uiPort] = ports;

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), "clawsync-e2e-")));

  const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CLAWSYNC_API_PORT: String(apiPort),
      CLAWSYNC_SITE_PORT: String(sitePort),
      CLAWSYNC_UI_PORT: String(uiPort),
      CLAWSYNC_DATA_DIR: dataDir,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });

  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawnFailed = new Promise<never>((_, reject) => child.once("error", reject));
  // Keep both pipes drained for the whole life of the process, or a chatty runtime would block.
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const banner = readBanner(child, (chunk) => (output += chunk));

  const tail = () => output.split("\n").slice(-40).join("\n");
  let parsed: Banner;
  try {
    parsed = await Promise.race([
      banner,
      spawnFailed,
      exited.then(({ code, signal }) => {
        throw new Error(`The platform exited before it was ready (code ${code}, signal ${signal}). Its output:\n${tail()}`);
      }),
      rejectAfter(READY_TIMEOUT_MS, () => new Error(`The platform printed no sign-in link within ${READY_TIMEOUT_MS / 1000} s. Its output:\n${tail()}`)),
    ]);
  } catch (error) {
    await killAndWait(child, exited);
    if (ownsDataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const expected = { uiUrl: `http://${HOST}:${uiPort}`, apiUrl: `http://${HOST}:${apiPort}`, siteUrl: `http://${HOST}:${sitePort}` };
  for (const key of ["uiUrl", "apiUrl", "siteUrl"] as const) {
    if (parsed[key] !== expected[key]) {
      await killAndWait(child, exited);
      throw new Error(`The banner printed ${key} ${parsed[key]}, expected ${expected[key]}. Output:\n${tail()}`);
    }
  }
  if (path.resolve(parsed.dataDir) !== path.resolve(dataDir)) {
    await killAndWait(child, exited);
    throw new Error(`The banner printed the data folder ${parsed.dataDir}, expected ${dataDir}`);
  }
  const adminKey = (await fs.promises.readFile(path.join(dataDir, "admin_key"), "utf8")).trim();

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
        const result = await Promise.race([exited, nullAfter(STOP_GRACE_MS)]);
        if (result === null) {
          await killAndWait(child, exited);
          throw new Error(`The platform did not stop within ${STOP_GRACE_MS / 1000} s of SIGINT; killed it. Output:\n${tail()}`);
        }
        if (result.code !== 0) throw new Error(`The platform exited with code ${result.code} (signal ${result.signal}) after SIGINT. Output:\n${tail()}`);
        if (!output.includes("Stopped.")) throw new Error(`The platform exited without printing "Stopped.". Output:\n${tail()}`);
      } finally {
        if (ownsDataDir && !options.keepDataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
      }
    })());

  return { ...parsed, dataDir, adminKey, output: () => output, stop };
}

type Banner = { uiUrl: string; apiUrl: string; siteUrl: string; dataDir: string; signInLink: string };

/**
 * Reads stdout line by line until the banner's sign-in link. The banner (local/main.ts) reads:
 *   Chat           http://127.0.0.1:5173/chat
 *   Client API     http://127.0.0.1:3210   (VITE_CONVEX_URL / CONVEX_URL)
 *   HTTP actions   http://127.0.0.1:3211   (CONVEX_SITE_URL)
 *   Data folder    /tmp/...
 *   Owner sign-in (one-time link, valid 15 minutes):
 *   http://127.0.0.1:5173/syncboard/sign-in#code=...
 */
function readBanner(child: ChildProcess, record: (chunk: string) => void): Promise<Banner> {
  return new Promise((resolve, reject) => {
    const found: Partial<Banner> = {};
    let pending = "";
    let done = false;
    const stdout = child.stdout;
    if (!stdout) return reject(new Error("The platform's stdout is not piped"));
    stdout.setEncoding("utf8").on("data", (chunk: string) => {
      record(chunk);
      if (done) return;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const raw of lines) {
        const line = raw.trim();
        let match: RegExpMatchArray | null;
        if ((match = /^Chat\s+(\S+)\/chat$/.exec(line))) found.uiUrl = match[1];
        else if ((match = /^Client API\s+(\S+)/.exec(line))) found.apiUrl = match[1];
        else if ((match = /^HTTP actions\s+(\S+)/.exec(line))) found.siteUrl = match[1];
        else if ((match = /^Data folder\s+(.+)$/.exec(line))) found.dataDir = match[1];
        else if (/^https?:\/\/\S+\/syncboard\/sign-in#code=\S+$/.test(line)) {
          found.signInLink = line;
          done = true;
          const missing = (["uiUrl", "apiUrl", "siteUrl", "dataDir"] as const).filter((key) => found[key] === undefined);
          if (missing.length > 0) reject(new Error(`The banner printed the sign-in link but not: ${missing.join(", ")}`));
          else resolve(found as Banner);
          return;
        }
      }
    });
  });
}

async function killAndWait(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await exited;
}

/** Rejects with `makeError()` after `ms` (the timer never keeps the process alive). */
function rejectAfter(ms: number, makeError: () => Error): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(makeError()), ms).unref());
}

/** Resolves with null after `ms` (the timer never keeps the process alive). */
function nullAfter(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms).unref());
}

/** `count` distinct free loopback ports, found by listening on port 0 and closing. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    ports.add(
      await new Promise<number>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, HOST, () => {
          const address = server.address();
          const port = typeof address === "object" && address !== null ? address.port : 0;
          server.close(() => resolve(port));
        });
      }),
    );
  }
  return [...ports];
}
