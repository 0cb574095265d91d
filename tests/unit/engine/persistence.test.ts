// Durable storage in the data folder: the log replays after a restart, snapshots compact it, a torn
// last write is cut off, lines a snapshot already holds are skipped, files stay private, and a
// damaged snapshot stops the start instead of losing data.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Doc } from "../../../local/engine/keys.ts";
import { ensurePrivateDir, Persistence, type LoadedState, type LoggedWrite } from "../../../local/engine/persistence.ts";

let dataDir: string;
let open: Persistence[];
let warnings: string[];

const dbDir = () => path.join(dataDir, "db");
const logFile = () => path.join(dbDir(), "wal.log");
const snapshotFile = () => path.join(dbDir(), "snapshot.ndjson");
const mode = (file: string) => fs.statSync(file).mode & 0o777;

function start(): { persistence: Persistence; state: LoadedState } {
  const opened = Persistence.open(dataDir);
  open.push(opened.persistence);
  return opened;
}

function restart(persistence: Persistence): { persistence: Persistence; state: LoadedState } {
  persistence.close();
  return start();
}

const doc = (id: string, fields: Record<string, unknown> = {}): Doc => ({ _id: id, _creationTime: 1, ...fields }) as Doc;
const put = (id: string, fields: Record<string, unknown> = {}, table = "messages", componentPath = ""): LoggedWrite => ({ componentPath, table, id, doc: doc(id, fields) });
const del = (id: string, table = "messages", componentPath = ""): LoggedWrite => ({ componentPath, table, id, doc: null });

/** Documents of one component as `id -> fields other than _id/_creationTime`, for compact assertions. */
function contents(state: LoadedState, componentPath = ""): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { table, doc: d } of state.documents.get(componentPath) ?? []) {
    const { _id, _creationTime, ...fields } = d;
    void _creationTime;
    out[_id] = { table, ...fields };
  }
  return out;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-persistence-"));
  open = [];
  warnings = [];
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));
});

afterEach(() => {
  for (const persistence of open) persistence.close();
  vi.restoreAllMocks();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a new data folder", () => {
  it("starts empty at timestamp 0", () => {
    const { state } = start();
    expect(state.lastTs).toBe(0n);
    expect(state.documents.size).toBe(0);
    expect(state.tableNumbers.size).toBe(0);
  });

  it("creates the folders 0700 and the log 0600", () => {
    start();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbDir())).toBe(0o700);
    expect(mode(logFile())).toBe(0o600);
  });

  it("tightens folders that were open to others", () => {
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(dbDir(), { mode: 0o777 });
    fs.chmodSync(dbDir(), 0o777);
    start();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbDir())).toBe(0o700);
  });

  it("ensurePrivateDir creates nested folders 0700", () => {
    const nested = path.join(dataDir, "a", "b");
    ensurePrivateDir(nested);
    expect(mode(nested)).toBe(0o700);
  });
});

describe("the write-ahead log", () => {
  it("replays appended transactions after a restart", () => {
    const { persistence } = start();
    persistence.append(10n, [put("a", { v: 1 }), put("b", { v: 1 })]);
    persistence.append(20n, [put("a", { v: 2 }), del("b")]);
    persistence.append(30n, [put("t1", { title: "x" }, "threads", "agent")]);
    const { state } = restart(persistence);
    expect(state.lastTs).toBe(30n);
    expect(contents(state)).toEqual({ a: { table: "messages", v: 2 } });
    expect(contents(state, "agent")).toEqual({ t1: { table: "threads", title: "x" } });
  });

  it("round-trips every kind of Convex value", () => {
    const { persistence } = start();
    const fields = { big: -(2n ** 63n), bytes: new Uint8Array([0, 1, 255]).buffer, nil: null, nested: { list: [1.5, "s", true, { deep: 7n }] } };
    persistence.append(1n, [put("a", fields)]);
    const { state } = restart(persistence);
    expect(state.documents.get("")![0].doc).toEqual(doc("a", fields));
  });

  it("keeps appending after a restart", () => {
    let { persistence } = start();
    persistence.append(1n, [put("a")]);
    ({ persistence } = restart(persistence));
    persistence.append(2n, [put("b")]);
    const { state } = restart(persistence);
    expect(Object.keys(contents(state)).sort()).toEqual(["a", "b"]);
    expect(state.lastTs).toBe(2n);
  });

  it("reports its size, which survives a restart", () => {
    const { persistence } = start();
    expect(persistence.logSize).toBe(0);
    persistence.append(1n, [put("a")]);
    const size = persistence.logSize;
    expect(size).toBe(fs.statSync(logFile()).size);
    expect(restart(persistence).persistence.logSize).toBe(size);
  });

  it("refuses appends once closed", () => {
    const { persistence } = start();
    persistence.close();
    expect(() => persistence.append(1n, [put("a")])).toThrow("persistence is closed");
  });
});

describe("a torn final write", () => {
  function twoCommits(): number {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    persistence.append(2n, [put("b")]);
    persistence.close();
    return fs.statSync(logFile()).size;
  }

  /** A complete, valid log line (without its newline) for a third commit, made in a scratch folder. */
  function validThirdLine(): string {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "clawsync-persistence-scratch-"));
    try {
      const { persistence } = Persistence.open(scratch);
      persistence.append(3n, [put("c")]);
      persistence.close();
      return fs.readFileSync(path.join(scratch, "db", "wal.log"), "utf8").replace(/\n$/, "");
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }

  it("a valid third line is kept (the control case for the torn variants below)", () => {
    twoCommits();
    fs.appendFileSync(logFile(), `${validThirdLine()}\n`);
    const { state } = start();
    expect(state.lastTs).toBe(3n);
    expect(Object.keys(contents(state)).sort()).toEqual(["a", "b", "c"]);
  });

  it.each<[string, (goodLine: string) => string]>([
    ["half a line, no newline", (line) => line.slice(0, line.length >> 1)],
    ["a whole line without its newline", (line) => line],
    ["only a checksum", (line) => line.slice(0, line.indexOf(" "))],
    ["a line with a wrong checksum", (line) => `00000000${line.slice(line.indexOf(" "))}\n`],
    ["a line whose body was altered after checksumming", (line) => `${line.replace('"c"', '"d"')}\n`],
    ["a line with no space", () => "garbage\n"],
    ["a checksummed line that is not JSON", () => "0 \n"],
    ["zero bytes from a preallocated block", () => "\u0000".repeat(64)],
  ])("%s is discarded and cut off, and new appends work", (_name, torn) => {
    const line = validThirdLine();
    const goodSize = twoCommits();
    fs.appendFileSync(logFile(), torn(line));
    const { persistence, state } = start();
    expect(state.lastTs).toBe(2n);
    expect(Object.keys(contents(state)).sort()).toEqual(["a", "b"]);
    expect(fs.statSync(logFile()).size).toBe(goodSize);
    expect(warnings.some((warning) => warning.includes("discarding an incomplete final transaction"))).toBe(true);
    persistence.append(3n, [put("c")]);
    const reopened = restart(persistence).state;
    expect(reopened.lastTs).toBe(3n);
    expect(Object.keys(contents(reopened)).sort()).toEqual(["a", "b", "c"]);
  });

  it("a torn first write leaves an empty database", () => {
    fs.mkdirSync(dbDir(), { recursive: true });
    fs.writeFileSync(logFile(), '1234 {"ts":"1","w":[', { mode: 0o600 });
    const { state } = start();
    expect(state.lastTs).toBe(0n);
    expect(fs.statSync(logFile()).size).toBe(0);
  });
});

describe("snapshots", () => {
  const component = (pathName: string, tableNumbers: Record<string, number>, docs: { table: string; doc: Doc }[]) => ({ path: pathName, tableNumbers, docs });

  it("a snapshot plus later appends load together, with the table numbers", () => {
    let { persistence } = start();
    persistence.append(1n, [put("a", { v: 1 }), put("b")]);
    persistence.writeSnapshot(1n, [
      component("", { messages: 10001, _storage: 2 }, [
        { table: "messages", doc: doc("a", { v: 1 }) },
        { table: "messages", doc: doc("b") },
      ]),
      component("agent", { threads: 10001 }, []),
    ]);
    expect(persistence.logSize).toBe(0);
    expect(fs.statSync(logFile()).size).toBe(0);
    persistence.append(2n, [put("a", { v: 2 }), del("b"), put("c")]);
    ({ persistence } = restart(persistence));
    const { state } = restart(persistence);
    expect(state.lastTs).toBe(2n);
    expect(contents(state)).toEqual({ a: { table: "messages", v: 2 }, c: { table: "messages" } });
    expect(state.tableNumbers).toEqual(new Map([["", { messages: 10001, _storage: 2 }], ["agent", { threads: 10001 }]]));
  });

  it("a snapshot alone holds the state at its timestamp", () => {
    const { persistence } = start();
    persistence.writeSnapshot(7n, [component("", { messages: 10001 }, [{ table: "messages", doc: doc("a", { big: 1n }) }])]);
    const { state } = restart(persistence);
    expect(state.lastTs).toBe(7n);
    expect(contents(state)).toEqual({ a: { table: "messages", big: 1n } });
  });

  it("a large snapshot (written in several chunks) loads whole", () => {
    const { persistence } = start();
    const docs = Array.from({ length: 3000 }, (_, i) => ({ table: "messages", doc: doc(`d${i}`, { text: "x".repeat(500) }) }));
    persistence.writeSnapshot(1n, [component("", { messages: 10001 }, docs)]);
    expect(fs.statSync(snapshotFile()).size).toBeGreaterThan(1 << 20);
    const { state } = restart(persistence);
    expect(state.documents.get("")).toHaveLength(3000);
  });

  it("log lines at or before the snapshot's timestamp are skipped (crash between snapshot rename and log reset)", () => {
    const { persistence } = start();
    persistence.append(3n, [put("a", { version: "at 3" })]);
    persistence.append(5n, [put("a", { version: "at 5" }), put("gone")]);
    const oldLog = fs.readFileSync(logFile());
    // The snapshot records ts 5 with contents the old log would overwrite if it were replayed.
    persistence.writeSnapshot(5n, [component("", { messages: 10001 }, [{ table: "messages", doc: doc("a", { version: "snapshot" }) }])]);
    persistence.close();
    fs.writeFileSync(logFile(), oldLog);
    const first = start();
    expect(first.state.lastTs).toBe(5n);
    expect(contents(first.state)).toEqual({ a: { table: "messages", version: "snapshot" } });
    first.persistence.append(6n, [put("b")]);
    const { state } = restart(first.persistence);
    expect(state.lastTs).toBe(6n);
    expect(contents(state)).toEqual({ a: { table: "messages", version: "snapshot" }, b: { table: "messages" } });
  });

  it("a leftover temporary snapshot (crash before the rename) is ignored", () => {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    persistence.close();
    fs.writeFileSync(path.join(dbDir(), "snapshot.ndjson.tmp"), '{"version":1,"ts":"99","tables":{}}\n["","messages",{"_id":"evil"');
    const { state } = start();
    expect(state.lastTs).toBe(1n);
    expect(Object.keys(contents(state))).toEqual(["a"]);
  });

  it("writes the snapshot 0600 and leaves no temporary file", () => {
    const { persistence } = start();
    persistence.writeSnapshot(1n, [component("", {}, [])]);
    expect(mode(snapshotFile())).toBe(0o600);
    expect(mode(logFile())).toBe(0o600);
    expect(fs.readdirSync(dbDir()).sort()).toEqual(["snapshot.ndjson", "wal.log"]);
  });

  it("repairs files that were made readable by others, with a warning", () => {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    persistence.writeSnapshot(1n, [component("", {}, [{ table: "messages", doc: doc("a") }])]);
    persistence.close();
    fs.chmodSync(snapshotFile(), 0o644);
    fs.chmodSync(logFile(), 0o666);
    start();
    expect(mode(snapshotFile())).toBe(0o600);
    expect(mode(logFile())).toBe(0o600);
    expect(warnings.filter((warning) => warning.includes("setting 600"))).toHaveLength(2);
  });

  describe("a damaged snapshot refuses to start", () => {
    function snapshotWithTwoDocs(): string {
      const { persistence } = start();
      persistence.writeSnapshot(4n, [component("", { messages: 10001 }, [
        { table: "messages", doc: doc("a") },
        { table: "messages", doc: doc("b") },
      ])]);
      persistence.close();
      return fs.readFileSync(snapshotFile(), "utf8");
    }

    it.each<[string, (text: string) => string]>([
      ["the end marker missing", (text) => text.split("\n").slice(0, 3).join("\n") + "\n"],
      ["a document line missing", (text) => text.split("\n").filter((_, i) => i !== 1).join("\n")],
      ["the end marker counting more documents", (text) => text.replace('"count":2', '"count":3')],
    ])("%s", (_name, damage) => {
      fs.writeFileSync(snapshotFile(), damage(snapshotWithTwoDocs()));
      expect(() => start()).toThrow(`The database snapshot ${snapshotFile()} is incomplete; refusing to start on damaged data`);
    });

    it("a snapshot cut mid-line", () => {
      const text = snapshotWithTwoDocs();
      fs.writeFileSync(snapshotFile(), text.slice(0, text.length - 20));
      expect(() => start()).toThrow();
    });

    it("an unsupported format version", () => {
      fs.writeFileSync(snapshotFile(), snapshotWithTwoDocs().replace('"version":1', '"version":2'));
      expect(() => start()).toThrow(`Unsupported snapshot format 2 in ${snapshotFile()}`);
    });
  });
});

describe("damage in the middle of the log", () => {
  it("refuses to start rather than drop the transactions after a damaged line", () => {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    persistence.append(2n, [put("b")]);
    persistence.append(3n, [put("c")]);
    persistence.close();
    const lines = fs.readFileSync(logFile(), "utf8").split("\n");
    lines[1] = `00000000${lines[1].slice(lines[1].indexOf(" "))}`;
    fs.writeFileSync(logFile(), lines.join("\n"));
    expect(() => start()).toThrow(/is damaged at byte \d+ but holds transactions after it/);
  });
});

describe("a failed append", () => {
  const noSpace = () => Object.assign(new Error("no space left on device"), { code: "ENOSPC" });

  it("leaves no partial line behind, so later commits and restarts are unaffected", () => {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    const failing = vi.spyOn(fs, "fdatasyncSync").mockImplementationOnce(() => {
      throw noSpace();
    });
    expect(() => persistence.append(2n, [put("b")])).toThrow("no space left on device");
    failing.mockRestore();
    persistence.append(3n, [put("c")]);
    const { state } = restart(persistence);
    expect(state.lastTs).toBe(3n);
    expect(Object.keys(contents(state)).sort()).toEqual(["a", "c"]);
  });

  it("a write cut off part-way is removed too", () => {
    const { persistence } = start();
    persistence.append(1n, [put("a")]);
    const sizeBefore = fs.statSync(logFile()).size;
    const realWrite = fs.writeSync.bind(fs);
    // The log writes each line as one string: write its first bytes, then fail as a full disk does.
    const failing = vi.spyOn(fs, "writeSync").mockImplementationOnce((fd: number, data: unknown) => {
      realWrite(fd, String(data).slice(0, 12));
      throw noSpace();
    });
    expect(() => persistence.append(2n, [put("b")])).toThrow("no space left on device");
    failing.mockRestore();
    expect(fs.statSync(logFile()).size).toBe(sizeBefore);
    persistence.append(3n, [put("c")]);
    const { state } = restart(persistence);
    expect(Object.keys(contents(state)).sort()).toEqual(["a", "c"]);
  });
});
