// SyncBoard's records for owners: the activity log (publishing only by an owner's explicit act),
// security events (filters, acknowledgement) and every conversation, read-only, with each read in
// the data access log. The attacks: an anonymous caller, a signed-in stranger, a removed owner and a
// visitor's session trying every function; filters that must not leak other rows; oversized pages.
import { makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { addOwner, refusalKind, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => {
  vi.useFakeTimers();
  process.env.LOCAL_MODEL_CHUNK_DELAY_MS = "0";
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.LOCAL_MODEL_CHUNK_DELAY_MS;
});

const firstPage = (numItems: number) => ({ numItems, cursor: null });

/** Records `count` private entries of `kind`, a millisecond apart so their order is certain. */
async function recordEntries(t: Deployment, kind: string, count: number, summary = (i: number) => `${kind} ${i}`): Promise<Id<"activityLog">[]> {
  const ids: Id<"activityLog">[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await t.mutation(internal.activity.record, { kind, summary: summary(i) }));
    vi.advanceTimersByTime(1);
  }
  return ids;
}

async function addEvent(
  t: Deployment,
  event: { code: "DOMAIN_NOT_ALLOWED" | "AUTH_LOCKED_OUT" | "RATE_LIMIT_GLOBAL"; severity: "low" | "medium" | "high" | "critical" },
): Promise<Id<"securityEvents">> {
  const id = await t.run(async (ctx) => await ctx.db.insert("securityEvents", { ...event, message: `${event.code} happened` }));
  vi.advanceTimersByTime(1);
  return id;
}

/** A conversation row on `channel` whose thread is `threadId` (no messages), active at `lastMessageAt`. */
async function addConversation(
  t: Deployment,
  fields: { channel: "web" | "telegram" | "email"; lastMessageAt: number; title?: string; channelUserId?: Id<"channelUsers"> },
): Promise<Id<"conversations">> {
  return await t.run(async (ctx) => {
    const principal = fields.channelUserId !== undefined ? {} : { visitorSessionId: await ctx.db.insert("visitorSessions", { tokenHash: "0".repeat(64), expiresAt: Date.now() + 60_000, lastSeenAt: Date.now() }) };
    return await ctx.db.insert("conversations", { threadId: `thread-${fields.lastMessageAt}`, messageCount: 0, ...principal, ...fields });
  });
}

/** A visitor who said `text` on the web chat and got the agent's answer. */
async function visitorConversation(t: Deployment, text: string) {
  const { token: sessionToken } = await t.action(api.visitorSessions.create, {});
  const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
  expect((await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text })).ok).toBe(true);
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  const conversation = await t.run(async (ctx) => await ctx.db.query("conversations").withIndex("by_threadId", (q) => q.eq("threadId", threadId)).unique());
  return { sessionToken, threadId, conversationId: conversation!._id };
}

/** Every row an owner function could write or change, for "nothing changed" checks. */
async function records(t: Deployment) {
  return await t.run(async (ctx) => ({
    activity: await ctx.db.query("activityLog").collect(),
    events: await ctx.db.query("securityEvents").collect(),
    dataAccess: await ctx.db.query("dataAccessLog").collect(),
    owners: await ctx.db.query("owners").collect(),
  }));
}

async function dataAccessRows(t: Deployment) {
  return await t.run(async (ctx) => await ctx.db.query("dataAccessLog").collect());
}

describe("activity for owners", () => {
  it("lists every entry, private and public, newest first, a page at a time", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const ids = await recordEntries(t, "chat.reply", 5);
    await t.mutation(internal.activity.publish, { id: ids[3] });
    const ada = signedInAs(t, "ada");
    const first = await ada.query(api.activity.list, { paginationOpts: firstPage(2) });
    expect(first.page.map((entry) => entry.summary)).toEqual(["chat.reply 4", "chat.reply 3"]);
    expect(first.page.map((entry) => entry.visibility)).toEqual(["private", "public"]);
    expect(first.isDone).toBe(false);
    const second = await ada.query(api.activity.list, { paginationOpts: { numItems: 2, cursor: first.continueCursor } });
    expect(second.page.map((entry) => entry.summary)).toEqual(["chat.reply 2", "chat.reply 1"]);
    const third = await ada.query(api.activity.list, { paginationOpts: { numItems: 2, cursor: second.continueCursor } });
    expect(third.page.map((entry) => entry.summary)).toEqual(["chat.reply 0"]);
    expect(third.isDone).toBe(true);
  });

  it("filters by kind, scoping every page to that kind", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    await recordEntries(t, "model.fallback", 3);
    await recordEntries(t, "chat.reply", 4);
    await recordEntries(t, "model.fallback", 1, () => "model.fallback latest");
    const ada = signedInAs(t, "ada");
    const first = await ada.query(api.activity.list, { paginationOpts: firstPage(3), kind: "model.fallback" });
    expect(first.page.map((entry) => entry.summary)).toEqual(["model.fallback latest", "model.fallback 2", "model.fallback 1"]);
    const rest = await ada.query(api.activity.list, { paginationOpts: { numItems: 3, cursor: first.continueCursor }, kind: "model.fallback" });
    expect(rest.page.map((entry) => entry.summary)).toEqual(["model.fallback 0"]);
    expect(rest.isDone).toBe(true);
    expect((await ada.query(api.activity.list, { paginationOpts: firstPage(10), kind: "no.such.kind" })).page).toEqual([]);
  });

  it("refuses a kind filter longer than 64 characters", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    expect(await refusalKind(signedInAs(t, "ada").query(api.activity.list, { paginationOpts: firstPage(10), kind: "k".repeat(65) }))).toBe("FilterTooLong");
  });

  it("serves at most 100 entries a page, whatever the client asks for", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    await t.run(async (ctx) => {
      for (let i = 0; i < 105; i++) await ctx.db.insert("activityLog", { kind: "k", summary: `entry ${i}`, visibility: "private" });
    });
    const page = await signedInAs(t, "ada").query(api.activity.list, { paginationOpts: firstPage(100_000) });
    expect(page.page).toHaveLength(100);
    expect(page.isDone).toBe(false);
  });

  it("publishes an entry only by an owner's act, to a feed that shows only its kind, summary and time, and unpublishes it", async () => {
    const t = newDeployment();
    const adaId = await addOwner(t, "ada");
    const [id] = await recordEntries(t, "skill.ran", 1, () => "Checked the weather");
    await t.run(async (ctx) => await ctx.db.patch("activityLog", id, { threadId: "thread-private", channel: "telegram", actorKind: "channelUser", metadata: { chatId: "4242" } }));
    expect(await t.query(api.activity.listPublic, {})).toEqual([]);

    expect(await signedInAs(t, "ada").mutation(api.activity.setVisibility, { id, visibility: "public" })).toEqual({ ok: true });
    const feed = await t.query(api.activity.listPublic, {});
    expect(feed).toHaveLength(1);
    expect(Object.keys(feed[0]).sort()).toEqual(["_creationTime", "_id", "kind", "summary"]);
    expect(feed[0]).toMatchObject({ _id: id, kind: "skill.ran", summary: "Checked the weather" });
    expect(JSON.stringify(feed)).not.toMatch(/thread-private|4242|telegram|channelUser/);
    const published = await t.run(async (ctx) => await ctx.db.get("activityLog", id));
    expect(published).toMatchObject({ visibility: "public", publishedBy: adaId, publishedAt: Date.now() });

    expect(await signedInAs(t, "ada").mutation(api.activity.setVisibility, { id, visibility: "private" })).toEqual({ ok: true });
    expect(await t.query(api.activity.listPublic, {})).toEqual([]);
    const unpublished = await t.run(async (ctx) => await ctx.db.get("activityLog", id));
    expect(unpublished?.visibility).toBe("private");
    expect(unpublished?.publishedBy).toBeUndefined();
    expect(unpublished?.publishedAt).toBeUndefined();
  });

  it("answers publishing an entry that no longer exists with a refusal, publishing nothing", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const [id] = await recordEntries(t, "k", 1);
    await t.run(async (ctx) => await ctx.db.delete("activityLog", id));
    expect(await signedInAs(t, "ada").mutation(api.activity.setVisibility, { id, visibility: "public" })).toEqual({ ok: false, error: "This entry no longer exists." });
    expect(await t.query(api.activity.listPublic, {})).toEqual([]);
  });
});

describe("security events for owners", () => {
  it("lists newest first and filters by code or by severity, each scoped to its value", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const domainHigh = await addEvent(t, { code: "DOMAIN_NOT_ALLOWED", severity: "high" });
    const lockedHigh = await addEvent(t, { code: "AUTH_LOCKED_OUT", severity: "high" });
    const domainLow = await addEvent(t, { code: "DOMAIN_NOT_ALLOWED", severity: "low" });
    const rateMedium = await addEvent(t, { code: "RATE_LIMIT_GLOBAL", severity: "medium" });
    const ada = signedInAs(t, "ada");
    const ids = async (filter?: { code: "DOMAIN_NOT_ALLOWED" } | { severity: "high" | "critical" }) =>
      (await ada.query(api.securityEvents.list, { paginationOpts: firstPage(10), ...(filter ? { filter } : {}) })).page.map((event) => event._id);
    expect(await ids()).toEqual([rateMedium, domainLow, lockedHigh, domainHigh]);
    expect(await ids({ code: "DOMAIN_NOT_ALLOWED" })).toEqual([domainLow, domainHigh]);
    expect(await ids({ severity: "high" })).toEqual([lockedHigh, domainHigh]);
    expect(await ids({ severity: "critical" })).toEqual([]);
  });

  it("pages through events with the filter kept on every page", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const high: Id<"securityEvents">[] = [];
    for (let i = 0; i < 5; i++) {
      high.push(await addEvent(t, { code: "AUTH_LOCKED_OUT", severity: "high" }));
      await addEvent(t, { code: "RATE_LIMIT_GLOBAL", severity: "low" });
    }
    const ada = signedInAs(t, "ada");
    const seen: Id<"securityEvents">[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const result: { page: { _id: Id<"securityEvents"> }[]; isDone: boolean; continueCursor: string } = await ada.query(api.securityEvents.list, {
        paginationOpts: { numItems: 2, cursor },
        filter: { severity: "high" },
      });
      seen.push(...result.page.map((event) => event._id));
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    expect(seen).toEqual([...high].reverse());
  });

  it("shows the kind of principal involved, never its row id", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const channelUserId = await t.run(async (ctx) => await ctx.db.insert("channelUsers", { platform: "whatsapp", platformUserId: "+15550100", status: "allowed", lastSeenAt: 0 }));
    await t.run(async (ctx) => await ctx.db.insert("securityEvents", { code: "RATE_LIMIT_GLOBAL", severity: "low", message: "Too many messages", caller: { kind: "channelUser", channelUserId }, channel: "whatsapp" }));
    const [event] = (await signedInAs(t, "ada").query(api.securityEvents.list, { paginationOpts: firstPage(10) })).page;
    expect(event).toMatchObject({ callerKind: "channelUser", channel: "whatsapp", acknowledgedAt: null });
    expect(JSON.stringify(event)).not.toMatch(new RegExp(`${channelUserId}|15550100`));
  });

  it("acknowledges an event once, recording who and when; a second acknowledgement changes nothing", async () => {
    const t = newDeployment();
    const adaId = await addOwner(t, "ada");
    await addOwner(t, "bob", { role: "owner" });
    const id = await addEvent(t, { code: "AUTH_LOCKED_OUT", severity: "high" });
    const acknowledgedAt = Date.now();
    expect(await signedInAs(t, "ada").mutation(api.securityEvents.acknowledge, { id })).toEqual({ ok: true });
    vi.advanceTimersByTime(5_000);
    expect(await signedInAs(t, "bob").mutation(api.securityEvents.acknowledge, { id })).toEqual({ ok: true });
    const row = await t.run(async (ctx) => await ctx.db.get("securityEvents", id));
    expect(row).toMatchObject({ acknowledgedAt, acknowledgedBy: adaId });
    const [listed] = (await signedInAs(t, "bob").query(api.securityEvents.list, { paginationOpts: firstPage(10) })).page;
    expect(listed.acknowledgedAt).toBe(acknowledgedAt);
  });

  it("answers acknowledging an event that no longer exists with a refusal", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const id = await addEvent(t, { code: "AUTH_LOCKED_OUT", severity: "high" });
    await t.run(async (ctx) => await ctx.db.delete("securityEvents", id));
    expect(await signedInAs(t, "ada").mutation(api.securityEvents.acknowledge, { id })).toEqual({ ok: false, error: "This event no longer exists." });
  });
});

describe("threads for owners", () => {
  it("lists every conversation, most recently active first, a page at a time", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const oldest = await addConversation(t, { channel: "web", lastMessageAt: 1_000 });
    const newest = await addConversation(t, { channel: "telegram", lastMessageAt: 3_000 });
    const middle = await addConversation(t, { channel: "web", lastMessageAt: 2_000, title: "Opening hours?" });
    const ada = signedInAs(t, "ada");
    const first = await ada.query(api.threads.list, { paginationOpts: firstPage(2) });
    expect(first.page.map((thread) => thread.conversationId)).toEqual([newest, middle]);
    expect(first.page[1]).toEqual({ conversationId: middle, channel: "web", title: "Opening hours?", lastMessageAt: 2_000, messageCount: 0, principal: "visitor", channelUserName: null });
    const rest = await ada.query(api.threads.list, { paginationOpts: { numItems: 2, cursor: first.continueCursor } });
    expect(rest.page.map((thread) => thread.conversationId)).toEqual([oldest]);
    expect(rest.isDone).toBe(true);
  });

  it("filters by channel, scoping every page to that channel", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const webOld = await addConversation(t, { channel: "web", lastMessageAt: 1_000 });
    await addConversation(t, { channel: "telegram", lastMessageAt: 2_000 });
    const webNew = await addConversation(t, { channel: "web", lastMessageAt: 3_000 });
    await addConversation(t, { channel: "email", lastMessageAt: 4_000 });
    const ada = signedInAs(t, "ada");
    const first = await ada.query(api.threads.list, { paginationOpts: firstPage(1), channel: "web" });
    expect(first.page.map((thread) => thread.conversationId)).toEqual([webNew]);
    const rest = await ada.query(api.threads.list, { paginationOpts: { numItems: 5, cursor: first.continueCursor }, channel: "web" });
    expect(rest.page.map((thread) => thread.conversationId)).toEqual([webOld]);
    expect((await ada.query(api.threads.list, { paginationOpts: firstPage(5), channel: "discord" })).page).toEqual([]);
  });

  it("shows owners a channel user's display name beside the conversation", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const channelUserId = await t.run(async (ctx) => await ctx.db.insert("channelUsers", { platform: "telegram", platformUserId: "4242", displayName: "Grace", status: "allowed", lastSeenAt: 0 }));
    await addConversation(t, { channel: "telegram", lastMessageAt: 1_000, channelUserId });
    const [thread] = (await signedInAs(t, "ada").query(api.threads.list, { paginationOpts: firstPage(5) })).page;
    expect(thread).toMatchObject({ channel: "telegram", principal: "channelUser", channelUserName: "Grace" });
  });

  it("reading a thread writes exactly one dataAccessLog row naming the owner and the conversation", async () => {
    const t = newDeployment();
    const adaId = await addOwner(t, "ada");
    const { conversationId } = await visitorConversation(t, "When do you open?");
    expect(await dataAccessRows(t)).toEqual([]);

    const read = await signedInAs(t, "ada").mutation(api.threads.messages, { conversationId, paginationOpts: firstPage(20) });
    if (!read.ok) throw new Error(read.error);
    expect(read.thread).toMatchObject({ conversationId, channel: "web", principal: "visitor", title: "When do you open?", messageCount: 2 });
    expect(read.messages.page.map((message) => message.role)).toEqual(["user", "assistant"]);
    expect(read.messages.page[0].text).toBe("When do you open?");

    const rows = await dataAccessRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resource: "conversation", action: "read", accessor: { kind: "owner", ownerId: adaId }, accessorKey: `owner:${adaId}`, conversationId, allowed: true });
  });

  it("logs each page an owner reads, so no read goes unrecorded", async () => {
    const t = newDeployment();
    const adaId = await addOwner(t, "ada");
    const { conversationId } = await visitorConversation(t, "First question");
    const ada = signedInAs(t, "ada");
    const first = await ada.mutation(api.threads.messages, { conversationId, paginationOpts: firstPage(1) });
    if (!first.ok) throw new Error(first.error);
    expect(first.messages.page.map((message) => message.role)).toEqual(["assistant"]);
    const earlier = await ada.mutation(api.threads.messages, { conversationId, paginationOpts: { numItems: 1, cursor: first.messages.continueCursor } });
    if (!earlier.ok) throw new Error(earlier.error);
    expect(earlier.messages.page.map((message) => message.text)).toEqual(["First question"]);
    expect((await dataAccessRows(t)).map((row) => [row.accessorKey, row.conversationId])).toEqual([
      [`owner:${adaId}`, conversationId],
      [`owner:${adaId}`, conversationId],
    ]);
  });

  it.each([
    ["a malformed id", () => "not-an-id"],
    ["an id from another table", async (t: Deployment) => String(await addOwner(t, "someone-else"))],
    [
      "the id of a deleted conversation",
      async (t: Deployment) => {
        const id = await addConversation(t, { channel: "web", lastMessageAt: 1 });
        await t.run(async (ctx) => await ctx.db.delete("conversations", id));
        return String(id);
      },
    ],
  ])("answers %s as no such conversation, logging nothing", async (_name, makeId) => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const conversationId = await makeId(t);
    expect(await signedInAs(t, "ada").mutation(api.threads.messages, { conversationId, paginationOpts: firstPage(20) })).toEqual({ ok: false, error: "There is no such conversation." });
    expect(await dataAccessRows(t)).toEqual([]);
  });

  it("gives a visitor's session no access to threads:*, even to the visitor's own conversation", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const { sessionToken, conversationId } = await visitorConversation(t, "My phone number is 555 0100");
    // A visitor has no identity: to an owner function the browser's session is an anonymous caller.
    expect(await refusalKind(t.query(api.threads.list, { paginationOpts: firstPage(10) }))).toBe("NotSignedIn");
    expect(await refusalKind(t.mutation(api.threads.messages, { conversationId, paginationOpts: firstPage(10) }))).toBe("NotSignedIn");
    // Handing the token over as an argument is no way in either: the arguments refuse it.
    const list = makeFunctionReference<"query">("threads:list");
    const messages = makeFunctionReference<"mutation">("threads:messages");
    await expect(t.query(list, { sessionToken, paginationOpts: firstPage(10) })).rejects.toThrow(/sessionToken/);
    await expect(t.mutation(messages, { sessionToken, conversationId, paginationOpts: firstPage(10) })).rejects.toThrow(/sessionToken/);
    expect(await dataAccessRows(t)).toEqual([]);
  });
});

/** Every owner function of these pages, as calls by `client` with arguments naming real rows. */
function ownerCalls(ids: { entry: Id<"activityLog">; event: Id<"securityEvents">; conversation: Id<"conversations"> }) {
  const page = firstPage(10);
  return (client: Pick<Deployment, "query" | "mutation">): (() => Promise<unknown>)[] => [
    () => client.query(api.activity.list, { paginationOpts: page }),
    () => client.mutation(api.activity.setVisibility, { id: ids.entry, visibility: "public" }),
    () => client.query(api.securityEvents.list, { paginationOpts: page }),
    () => client.mutation(api.securityEvents.acknowledge, { id: ids.event }),
    () => client.query(api.threads.list, { paginationOpts: page }),
    () => client.mutation(api.threads.messages, { conversationId: ids.conversation, paginationOpts: page }),
  ];
}

async function seedRecords(t: Deployment) {
  const [entry] = await recordEntries(t, "chat.reply", 1);
  const event = await addEvent(t, { code: "AUTH_LOCKED_OUT", severity: "high" });
  const conversation = await addConversation(t, { channel: "web", lastMessageAt: 1_000 });
  return { entry, event, conversation };
}

describe("who may use these pages", () => {
  it("refuses an anonymous caller and a signed-in identity that owns nothing on every function, changing nothing", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    const calls = ownerCalls(await seedRecords(t));
    const before = await records(t);
    for (const call of calls(t)) expect(await refusalKind(call())).toBe("NotSignedIn");
    for (const call of calls(signedInAs(t, "mallory"))) expect(await refusalKind(call())).toBe("NotOwner");
    expect(await records(t)).toEqual(before);
  });

  it("refuses an owner removed by an admin on every function, at once, changing nothing", async () => {
    const t = newDeployment();
    await addOwner(t, "ada");
    await addOwner(t, "bob", { role: "owner" });
    const calls = ownerCalls(await seedRecords(t));
    const bob = signedInAs(t, "bob");
    expect((await bob.query(api.threads.list, { paginationOpts: firstPage(10) })).page).toHaveLength(1);
    const bobId = (await signedInAs(t, "ada").query(api.owners.list, {})).owners.find((owner) => !owner.isYou)!.ownerId;
    expect(await signedInAs(t, "ada").mutation(api.owners.remove, { ownerId: bobId })).toEqual({ ok: true });
    const before = await records(t);
    for (const call of calls(bob)) expect(await refusalKind(call())).toBe("NotOwner");
    expect(await records(t)).toEqual(before);
  });
});
