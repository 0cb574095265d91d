// Durable storage of the database in the data folder: a write-ahead log with one checksummed line
// per committed transaction (appended and fdatasync'ed before the commit is acknowledged), plus a
// snapshot written to a temporary file, fsync'ed and renamed into place. A process killed mid-write
// leaves at most a torn last log line, which fails its checksum and is cut off on the next start;
// a transaction is therefore either wholly present or wholly absent. Files are 0600, folders 0700.
import fs from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";

import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";

import { documentJson } from "./documentJson.ts";
import type { Doc } from "./keys.ts";

export type LoggedWrite = { componentPath: string; table: string; id: string; doc: Doc | null };
export type LoadedState = {
  /** Commit timestamp of the last transaction on disk (0 for a new folder). */
  lastTs: bigint;
  tableNumbers: Map<string, Record<string, number>>;
  /** Every document, grouped per component path. */
  documents: Map<string, { table: string; doc: Doc }[]>;
};

const SNAPSHOT = "snapshot.ndjson";
const LOG = "wal.log";
const FORMAT_VERSION = 1;

export class Persistence {
  private logFd: number | null = null;
  private logBytes = 0;

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the database folder under the data folder and loads what it holds. */
  static open(dataDir: string): { persistence: Persistence; state: LoadedState } {
    const dir = path.join(dataDir, "db");
    ensurePrivateDir(dataDir);
    ensurePrivateDir(dir);
    const persistence = new Persistence(dir);
    const state = persistence.load();
    persistence.openLog();
    return { persistence, state };
  }

  /** Appends one committed transaction and makes it durable before returning. */
  append(ts: bigint, writes: LoggedWrite[]): void {
    if (this.logFd === null) throw new Error("persistence is closed");
    // Built from each document's cached text, which later reads of the new documents reuse.
    const entries = writes.map((write) => {
      const place = JSON.stringify([write.componentPath, write.table, write.id]);
      return `${place.slice(0, -1)},${write.doc === null ? "null" : documentJson(write.doc)}]`;
    });
    const body = `{"ts":${JSON.stringify(ts.toString())},"w":[${entries.join(",")}]}`;
    const line = `${crc32(body).toString(16)} ${body}\n`;
    try {
      fs.writeSync(this.logFd, line);
      fs.fdatasyncSync(this.logFd);
    } catch (error) {
      // A failed write (a full disk, say) may leave part of the line behind; cut it off so the
      // next commit does not land after a damaged line. The transaction is then not committed.
      fs.ftruncateSync(this.logFd, this.logBytes);
      throw error;
    }
    this.logBytes += Buffer.byteLength(line);
  }

  /** Size of the log since the last snapshot; the runtime compacts when it grows large. */
  get logSize(): number {
    return this.logBytes;
  }

  /**
   * Writes a snapshot of the whole database and starts an empty log. `ts` is the last commit the
   * snapshot contains; log lines at or before it are skipped on load, so a crash between the
   * snapshot's rename and the log's reset loses nothing and replays nothing twice.
   */
  writeSnapshot(ts: bigint, components: { path: string; tableNumbers: Record<string, number>; docs: Iterable<{ table: string; doc: Doc }> }[]): void {
    const tmp = path.join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      const header = { version: FORMAT_VERSION, ts: ts.toString(), tables: Object.fromEntries(components.map((c) => [c.path, c.tableNumbers])) };
      let buffer = `${JSON.stringify(header)}\n`;
      let count = 0;
      for (const component of components) {
        for (const { table, doc } of component.docs) {
          buffer += `${JSON.stringify([component.path, table, convexToJson(doc)])}\n`;
          count += 1;
          if (buffer.length > 1 << 20) {
            fs.writeSync(fd, buffer);
            buffer = "";
          }
        }
      }
      buffer += `${JSON.stringify({ end: true, count })}\n`;
      fs.writeSync(fd, buffer);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(this.dir, SNAPSHOT));
    syncDir(this.dir);
    this.resetLog();
  }

  close(): void {
    if (this.logFd !== null) fs.closeSync(this.logFd);
    this.logFd = null;
  }

  private openLog(): void {
    const file = path.join(this.dir, LOG);
    this.logFd = fs.openSync(file, "a", 0o600);
    fs.chmodSync(file, 0o600);
    this.logBytes = fs.fstatSync(this.logFd).size;
  }

  private resetLog(): void {
    this.close();
    const file = path.join(this.dir, LOG);
    fs.writeFileSync(`${file}.tmp`, "", { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    syncDir(this.dir);
    this.openLog();
  }

  private load(): LoadedState {
    const state: LoadedState = { lastTs: 0n, tableNumbers: new Map(), documents: new Map() };
    const byId = new Map<string, Map<string, { table: string; doc: Doc }>>();
    const componentDocs = (componentPath: string) => {
      let docs = byId.get(componentPath);
      if (!docs) byId.set(componentPath, (docs = new Map()));
      return docs;
    };
    const snapshotFile = path.join(this.dir, SNAPSHOT);
    let snapshotTs = 0n;
    if (fs.existsSync(snapshotFile)) {
      fixPermissions(snapshotFile);
      const lines = fs.readFileSync(snapshotFile, "utf8").split("\n");
      const header = JSON.parse(lines[0]) as { version: number; ts: string; tables: Record<string, Record<string, number>> };
      if (header.version !== FORMAT_VERSION) throw new Error(`Unsupported snapshot format ${header.version} in ${snapshotFile}`);
      snapshotTs = BigInt(header.ts);
      for (const [componentPath, numbers] of Object.entries(header.tables)) state.tableNumbers.set(componentPath, numbers);
      let count = 0;
      let complete = false;
      for (const line of lines.slice(1)) {
        if (line === "") continue;
        const parsed = JSON.parse(line) as [string, string, JSONValue] | { end: true; count: number };
        if (!Array.isArray(parsed)) {
          complete = parsed.count === count;
          break;
        }
        const [componentPath, table, docJson] = parsed;
        const doc = jsonToConvex(docJson) as Doc;
        componentDocs(componentPath).set(doc._id, { table, doc });
        count += 1;
      }
      // Snapshots are renamed into place only after an fsync, so an incomplete one means the
      // folder was damaged by something other than this runtime: refuse rather than lose data.
      if (!complete) throw new Error(`The database snapshot ${snapshotFile} is incomplete; refusing to start on damaged data`);
    }
    state.lastTs = snapshotTs;
    const logFile = path.join(this.dir, LOG);
    if (fs.existsSync(logFile)) {
      fixPermissions(logFile);
      const content = fs.readFileSync(logFile);
      let offset = 0;
      while (offset < content.length) {
        const newline = content.indexOf(0x0a, offset);
        const entry = newline === -1 ? null : parseLogLine(content.subarray(offset, newline).toString("utf8"));
        if (entry === null) {
          // Only the tail can be torn: every acknowledged commit was fdatasync'ed, so what follows
          // the last good line was never acknowledged. A bad line with good ones after it is damage.
          if (hasValidLine(content.subarray(newline === -1 ? content.length : newline + 1))) {
            throw new Error(`The database log ${logFile} is damaged at byte ${offset} but holds transactions after it; refusing to start on damaged data`);
          }
          console.warn(`[clawsync] discarding an incomplete final transaction in ${logFile} (${content.length - offset} bytes)`);
          fs.truncateSync(logFile, offset);
          break;
        }
        offset = newline + 1;
        if (entry.ts <= snapshotTs) continue;
        for (const write of entry.writes) {
          if (write.doc === null) componentDocs(write.componentPath).delete(write.id);
          else componentDocs(write.componentPath).set(write.id, { table: write.table, doc: write.doc });
        }
        state.lastTs = entry.ts;
      }
    }
    for (const [componentPath, docs] of byId) state.documents.set(componentPath, [...docs.values()]);
    return state;
  }
}

function hasValidLine(rest: Buffer): boolean {
  return rest.toString("utf8").split("\n").some((line) => line !== "" && parseLogLine(line) !== null);
}

function parseLogLine(line: string): { ts: bigint; writes: LoggedWrite[] } | null {
  const space = line.indexOf(" ");
  if (space === -1) return null;
  const body = line.slice(space + 1);
  if (crc32(body).toString(16) !== line.slice(0, space)) return null;
  try {
    const parsed = JSON.parse(body) as { ts: string; w: [string, string, string, JSONValue | null][] };
    return {
      ts: BigInt(parsed.ts),
      writes: parsed.w.map(([componentPath, table, id, doc]) => ({
        componentPath,
        table,
        id,
        doc: doc === null ? null : (jsonToConvex(doc) as Record<string, Value> as Doc),
      })),
    };
  } catch {
    return null;
  }
}

/** Creates a folder readable only by its owner, tightening it if it already exists. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

function fixPermissions(file: string): void {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode !== 0o600) {
    console.warn(`[clawsync] ${file} had permissions ${mode.toString(8)}; setting 600`);
    fs.chmodSync(file, 0o600);
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
