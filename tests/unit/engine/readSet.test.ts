// Read sets decide which subscriptions a commit re-runs: a write matters when its old or new version
// lies in a range the query read, or when it is a document the query fetched by id.
import { describe, expect, it } from "vitest";

import type { Doc, KeyRange } from "../../../local/engine/keys.ts";
import { ReadSet, tableKey, type CommittedWrite } from "../../../local/engine/readSet.ts";

const BY_CHANNEL = ["channel", "_creationTime", "_id"];
const doc = (id: string, channel: string | undefined, creationTime = 1): Doc =>
  (channel === undefined ? { _id: id, _creationTime: creationTime } : { _id: id, _creationTime: creationTime, channel }) as Doc;
const write = (oldDoc: Doc | null, newDoc: Doc | null, overrides: Partial<CommittedWrite> = {}): CommittedWrite => ({
  componentPath: "",
  table: "messages",
  id: (newDoc ?? oldDoc)?._id ?? "none",
  oldDoc,
  newDoc,
  ...overrides,
});

/** A query that read `messages.by_channel` where channel == "b". */
function channelB(): ReadSet {
  const readSet = new ReadSet();
  const range: KeyRange = { lower: { values: ["b"], inclusive: true }, upper: { values: ["b"], inclusive: true } };
  readSet.add({ kind: "range", componentPath: "", table: "messages", fields: BY_CHANNEL, range });
  return readSet;
}

describe("ReadSet.overlaps: range reads", () => {
  it.each<[string, CommittedWrite, boolean]>([
    ["an insert into the range", write(null, doc("m1", "b")), true],
    ["an insert outside the range", write(null, doc("m1", "c")), false],
    ["an insert with the field missing (sorts first, outside)", write(null, doc("m1", undefined)), false],
    ["a delete from the range (old version in range)", write(doc("m1", "b"), null), true],
    ["a delete outside the range", write(doc("m1", "a"), null), false],
    ["a move out of the range (old in, new out)", write(doc("m1", "b"), doc("m1", "c")), true],
    ["a move into the range (old out, new in)", write(doc("m1", "a"), doc("m1", "b")), true],
    ["an update that stays in the range", write(doc("m1", "b"), doc("m1", "b")), true],
    ["an update that stays outside (neither version in range)", write(doc("m1", "a"), doc("m1", "c")), false],
    ["a value of another type that sorts elsewhere", write(null, { _id: "m1", _creationTime: 1, channel: 1 } as unknown as Doc), false],
    ["the same range in another table", write(null, doc("m1", "b"), { table: "posts" }), false],
    ["the same range in another component", write(null, doc("m1", "b"), { componentPath: "agent" }), false],
  ])("%s -> %s", (_name, w, expected) => {
    expect(channelB().overlaps([w])).toBe(expected);
  });

  it("a read that stopped early covers only the keys it reached", () => {
    // `.take(2)` over channel "b" read up to (b, 20, m2): later inserts in "b" cannot change it.
    const readSet = new ReadSet();
    readSet.add({
      kind: "range",
      componentPath: "",
      table: "messages",
      fields: BY_CHANNEL,
      range: { lower: { values: ["b"], inclusive: true }, upper: { values: ["b", 20, "m2"], inclusive: true } },
    });
    expect(readSet.overlaps([write(null, doc("m9", "b", 30))])).toBe(false);
    expect(readSet.overlaps([write(null, doc("m9", "b", 10))])).toBe(true);
    expect(readSet.overlaps([write(null, doc("m2", "b", 20))])).toBe(true);
    expect(readSet.overlaps([write(null, doc("m3", "b", 20))])).toBe(false);
  });

  it("a full-range read sees every write to the table", () => {
    const readSet = new ReadSet();
    readSet.add({ kind: "range", componentPath: "", table: "messages", fields: ["_creationTime", "_id"], range: { lower: null, upper: null } });
    expect(readSet.overlaps([write(null, doc("m1", undefined))])).toBe(true);
    expect(readSet.overlaps([write(doc("m1", "z"), null)])).toBe(true);
  });

  it("an empty read set and an empty commit overlap nothing", () => {
    expect(new ReadSet().overlaps([write(null, doc("m1", "b"))])).toBe(false);
    expect(channelB().overlaps([])).toBe(false);
  });

  it("one overlapping write among many is enough", () => {
    const writes = [write(null, doc("m1", "a")), write(null, doc("m2", "c"), { table: "posts" }), write(doc("m3", "b"), null)];
    expect(channelB().overlaps(writes)).toBe(true);
    expect(channelB().overlaps(writes.slice(0, 2))).toBe(false);
  });
});

describe("ReadSet.overlaps: point reads", () => {
  function pointRead(): ReadSet {
    const readSet = new ReadSet();
    readSet.addPoint("", "messages", "m1");
    return readSet;
  }

  it.each<[string, CommittedWrite, boolean]>([
    ["an update of the document", write(doc("m1", "a"), doc("m1", "z")), true],
    ["its deletion", write(doc("m1", "a"), null), true],
    ["its creation (a get that returned null)", write(null, doc("m1", "a")), true],
    ["another document of the table", write(null, doc("m2", "a")), false],
    ["the same id in another component", write(doc("m1", "a"), null, { componentPath: "agent" }), false],
    ["the same id in another table", write(doc("m1", "a"), null, { table: "posts" }), false],
  ])("%s -> %s", (_name, w, expected) => {
    expect(pointRead().overlaps([w])).toBe(expected);
  });
});

describe("ReadSet.tableKeys", () => {
  it("lists each component/table once", () => {
    const readSet = channelB();
    readSet.addPoint("", "messages", "m1");
    readSet.addPoint("agent", "threads", "t1");
    readSet.add({ kind: "range", componentPath: "", table: "posts", fields: ["_creationTime", "_id"], range: { lower: null, upper: null } });
    expect(readSet.tableKeys()).toEqual(new Set([tableKey("", "messages"), tableKey("agent", "threads"), tableKey("", "posts")]));
  });

  it("keeps component and table apart, so no two pairs collide", () => {
    expect(tableKey("a", "b/c")).not.toBe(tableKey("a/b", "c"));
    expect(tableKey("", "messages")).toBe("\u0000messages");
  });

  it("is empty for a query that read nothing", () => {
    expect(new ReadSet().tableKeys().size).toBe(0);
  });
});
