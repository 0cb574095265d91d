// The activity log: entries are private when recorded; only published ones reach the public feed,
// and then only their kind, summary and time.
import { convexTest } from "convex-test";
import { describe, expect, it } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import schema from "../../convex/schema";
import { modules } from "./setup";

describe("activity", () => {
  it("records entries as private, so the public feed starts empty", async () => {
    const t = convexTest(schema, modules);
    const id = await t.mutation(internal.activity.record, { kind: "chat.reply", summary: "Answered a visitor" });
    expect(await t.query(api.activity.listPublic, {})).toEqual([]);
    const stored = await t.run(async (ctx) => await ctx.db.get("activityLog", id));
    expect(stored?.visibility).toBe("private");
  });

  it("shows a published entry with only its kind, summary and time", async () => {
    const t = convexTest(schema, modules);
    const id = await t.mutation(internal.activity.record, { kind: "skill.ran", summary: "Checked the weather" });
    await t.run(async (ctx) => await ctx.db.patch("activityLog", id, { threadId: "thread-secret", metadata: { ip: "10.0.0.1" } }));
    await t.mutation(internal.activity.publish, { id });
    const feed = await t.query(api.activity.listPublic, {});
    expect(feed).toHaveLength(1);
    expect(Object.keys(feed[0]).sort()).toEqual(["_creationTime", "_id", "kind", "summary"]);
    expect(feed[0]).toMatchObject({ _id: id, kind: "skill.ran", summary: "Checked the weather" });
  });

  it("lists newest first and never more than 50", async () => {
    const t = convexTest(schema, modules);
    for (let i = 0; i < 55; i++) {
      const id = await t.mutation(internal.activity.record, { kind: "k", summary: `entry ${i}` });
      await t.mutation(internal.activity.publish, { id });
    }
    const feed = await t.query(api.activity.listPublic, {});
    expect(feed).toHaveLength(50);
    expect(feed[0].summary).toBe("entry 54");
  });

  it("cuts summaries to the summary limit", async () => {
    const t = convexTest(schema, modules);
    const id = await t.mutation(internal.activity.record, { kind: "k", summary: "x".repeat(1000) });
    const stored = await t.run(async (ctx) => await ctx.db.get("activityLog", id));
    expect(stored?.summary).toHaveLength(280);
  });

  it("refuses to publish an entry that does not exist", async () => {
    const t = convexTest(schema, modules);
    const id = await t.mutation(internal.activity.record, { kind: "k", summary: "s" });
    await t.run(async (ctx) => await ctx.db.delete("activityLog", id));
    await expect(t.mutation(internal.activity.publish, { id })).rejects.toThrow("No such activity entry");
  });
});

describe("viewer", () => {
  it("tells an anonymous caller it is signed out", async () => {
    const t = convexTest(schema, modules);
    expect(await t.query(api.viewer.viewer, {})).toEqual({ signedIn: false, name: null });
  });

  it("greets a signed-in caller by name", async () => {
    const t = convexTest(schema, modules);
    const owner = t.withIdentity({ subject: "owner-1", issuer: "https://issuer.example", name: "Ada" });
    expect(await owner.query(api.viewer.viewer, {})).toEqual({ signedIn: true, name: "Ada" });
  });
});
