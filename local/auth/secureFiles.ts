// File helpers for secrets in the data folder: folders 0700, files 0600, atomic replacement that
// survives a crash mid-write, and permission repair on read (spec finding LOW-04).
import { randomBytes } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** Mode for every folder the runtime creates in its data folder. */
export const SECURE_DIR_MODE = 0o700;
/** Mode for every file the runtime writes in its data folder. */
export const SECURE_FILE_MODE = 0o600;

/** Receives a human-readable warning (defaults to `console.warn`). */
export type WarningSink = (message: string) => void;

const warnOnConsole: WarningSink = (message) => console.warn(message);

// Windows has no POSIX mode bits (node reports fixed values) and cannot fsync a folder.
const isPosix = process.platform !== "win32";

// O_NOFOLLOW makes open() fail on a symlink, so a link planted in the data folder cannot redirect
// a secret read or write to a file elsewhere. It is 0 (no effect) where the platform lacks it.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/**
 * Creates `dir` (and missing parents) with mode 0700, or tightens an existing `dir` that is
 * readable by group or others to 0700, with a warning. Throws if `dir` is not a folder.
 */
export async function ensureSecureDir(dir: string, warn: WarningSink = warnOnConsole): Promise<void> {
  const target = resolve(dir);
  let firstCreated: string | undefined;
  try {
    firstCreated = await fs.mkdir(target, { recursive: true, mode: SECURE_DIR_MODE });
  } catch (error) {
    if (errorCode(error) === "EEXIST") throw new Error(`${target} exists and is not a folder`);
    throw error;
  }
  if (firstCreated !== undefined) {
    // mkdir's mode passes through the umask; set it explicitly on every folder made just now.
    for (let current = target; ; current = dirname(current)) {
      await fs.chmod(current, SECURE_DIR_MODE);
      if (current === firstCreated || current === dirname(current)) break;
    }
    return;
  }
  const stats = await fs.stat(target);
  if (!stats.isDirectory()) throw new Error(`${target} exists and is not a folder`);
  if (isPosix && (stats.mode & 0o077) !== 0) {
    await fs.chmod(target, SECURE_DIR_MODE);
    warn(`Permissions of ${target} were ${formatMode(stats.mode)}; corrected to 700`);
  }
}

/**
 * Replaces `path` atomically with `data`, mode 0600: writes a temporary file beside it, fsyncs it,
 * renames it over `path`, then fsyncs the folder. A crash leaves either the old or the new content.
 */
export async function writeSecureFile(path: string, data: string | Uint8Array): Promise<void> {
  const temp = await writeTempFile(path, data);
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

/**
 * Creates `path` with `data`, mode 0600, only if it does not exist yet, atomically: when two
 * processes race, exactly one wins and the other sees the winner's complete file.
 * @returns true when this call created the file, false when it already existed.
 */
export async function createSecureFileExclusive(path: string, data: string | Uint8Array): Promise<boolean> {
  const temp = await writeTempFile(path, data);
  try {
    // link() fails with EEXIST instead of replacing, and publishes a fully written file.
    await fs.link(temp, path);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncFolder(dirname(path));
  return true;
}

/**
 * Reads `path` as UTF-8, or returns null when it does not exist. A file readable by group or
 * others is corrected to 0600 with a warning. Refuses symlinks and anything but a regular file.
 */
export async function readSecureFile(path: string, warn: WarningSink = warnOnConsole): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    if (errorCode(error) === "ELOOP") throw new Error(`${path} is a symbolic link; refusing to read it`);
    throw error;
  }
  try {
    await requireRegularFile(handle, path, warn);
    return await handle.readFile({ encoding: "utf8" });
  } finally {
    await handle.close();
  }
}

/** Options of {@link appendSecureLine}. */
export interface AppendOptions {
  /** When the file has reached this size, it is renamed to `<path>.1` (replacing an older one) first. */
  rotateAtBytes?: number;
  warn?: WarningSink;
}

/**
 * Appends `line` plus a newline to `path`, creating it with mode 0600 and correcting a looser
 * mode with a warning. Used for JSON-lines logs such as the auth audit log.
 */
export async function appendSecureLine(path: string, line: string, options: AppendOptions = {}): Promise<void> {
  const warn = options.warn ?? warnOnConsole;
  let handle = await openForAppend(path);
  try {
    const size = await requireRegularFile(handle, path, warn);
    if (options.rotateAtBytes !== undefined && size >= options.rotateAtBytes) {
      await handle.close();
      await fs.rename(path, `${path}.1`);
      handle = await openForAppend(path);
    }
    await handle.appendFile(`${line}\n`, { encoding: "utf8" });
  } finally {
    await handle.close();
  }
}

function openForAppend(path: string): Promise<FileHandle> {
  return fs.open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, SECURE_FILE_MODE);
}

/** Checks that `handle` is a regular file, repairs its mode, and returns its size. */
async function requireRegularFile(handle: FileHandle, path: string, warn: WarningSink): Promise<number> {
  const stats = await handle.stat();
  if (!stats.isFile()) throw new Error(`${path} is not a regular file`);
  if (isPosix && (stats.mode & 0o077) !== 0) {
    await handle.chmod(SECURE_FILE_MODE);
    warn(`Permissions of ${path} were ${formatMode(stats.mode)}; corrected to 600`);
  }
  return stats.size;
}

async function writeTempFile(path: string, data: string | Uint8Array): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, SECURE_FILE_MODE);
  try {
    // The umask can only clear bits, but set the mode anyway so the result never depends on it.
    await handle.chmod(SECURE_FILE_MODE);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/** Makes a rename or link in `dir` durable: without it a crash can forget the new directory entry. */
async function syncFolder(dir: string): Promise<void> {
  if (!isPosix) return; // Windows cannot open a folder for fsync.
  const handle = await fs.open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function formatMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, "0");
}
