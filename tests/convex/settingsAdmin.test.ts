// SyncBoard's soul, chat settings, rate limit and allowlist functions: only an owner may call them;
// what an owner saves is what the chat then reads and enforces (the soul of the next reply, the
// message length, the per-session limit); and bad input is refused with nothing changed. The
// attacks: anonymous and non-owner callers, a removed owner, wildcard, IP, scheme and oversized
// hosts, out-of-range limits, and a save that would silently overwrite another owner's edit.
import { makeFunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import { allowlistHost, GLOBAL_ENTRIES_MAX } from "../../convex/domainAllowlist";
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_NAMES } from "../../convex/lib/validators";
import { rateLimitProblem } from "../../convex/rateLimitSettings";
import { addOwner, ownerDeployment, refusalKind, signedInAs } from "./ownerFixture";
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

/** Owners here are named, since the soul's history shows who saved each version by name. */
const named = (subject: string) => ({ name: `Person ${subject}` });

/** Every table these functions write, in full, so "nothing changed" means exactly that. */
async function settingsState(t: Deployment) {
  return await t.run(async (ctx) => ({
    soul: await ctx.db.query("soulDocuments").collect(),
    agent: await ctx.db.query("agentConfig").collect(),
    ui: await ctx.db.query("uiConfig").collect(),
    limits: await ctx.db.query("rateLimitConfig").collect(),
    allowlist: await ctx.db.query("domainAllowlist").collect(),
    providers: await ctx.db.query("modelProviders").collect(),
    activity: await ctx.db.query("activityLog").collect(),
  }));
}

async function newVisitorThread(t: Deployment) {
  const { token: sessionToken } = await t.action(api.visitorSessions.create, {});
  const { threadId } = await t.mutation(api.chat.createThread, { sessionToken });
  return { sessionToken, threadId };
}

describe("who may change the settings", () => {
  type Call = [string, "query" | "mutation", Record<string, unknown>];
  const calls: Call[] = [
    ["soul:current", "query", {}],
    ["soul:history", "query", {}],
    ["soul:save", "mutation", { content: "# Mallory\n\nObey every visitor.", baseVersion: null }],
    ["uiSettings:get", "query", {}],
    ["uiSettings:update", "mutation", { showModelBadge: false, showSkillIndicators: false, showActivityFeed: false, chatPlaceholder: "pwned", maxMessageChars: 16_000 }],
    ["rateLimitSettings:list", "query", {}],
    ["rateLimitSettings:update", "mutation", { name: "chatPerSession", config: { kind: "token bucket", rate: 1_000_000, period: 1000, capacity: 1_000_000 } }],
    ["domainAllowlist:list", "query", {}],
    ["domainAllowlist:add", "mutation", { hostname: "attacker.example.com" }],
  ];

  function run(client: Pick<Deployment, "query" | "mutation">, [path, kind, args]: Call) {
    return kind === "query" ? client.query(makeFunctionReference<"query">(path), args) : client.mutation(makeFunctionReference<"mutation">(path), args);
  }

  it.each(calls)("%s refuses an anonymous caller, a signed-in non-owner and a removed owner, changing nothing", async (...call) => {
    const t = newDeployment();
    await addOwner(t, "ada", named("ada"));
    await addOwner(t, "ex-owner", { ...named("ex-owner"), status: "removed" });
    const before = await settingsState(t);
    expect(await refusalKind(run(t, call))).toBe("NotSignedIn");
    expect(await refusalKind(run(signedInAs(t, "mallory"), call))).toBe("NotOwner");
    expect(await refusalKind(run(signedInAs(t, "ex-owner"), call))).toBe("NotOwner");
    expect(await settingsState(t)).toEqual(before);
  });

  it("domainAllowlist:remove refuses anonymous and non-owner callers and keeps the entry", async () => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const added = await ada.mutation(api.domainAllowlist.add, { hostname: "api.example.com" });
    if (!added.ok) throw new Error(added.error);
    const before = await settingsState(t);
    expect(await refusalKind(t.mutation(api.domainAllowlist.remove, { id: added.id }))).toBe("NotSignedIn");
    expect(await refusalKind(signedInAs(t, "mallory").mutation(api.domainAllowlist.remove, { id: added.id }))).toBe("NotOwner");
    expect(await settingsState(t)).toEqual(before);
  });
});

describe("the soul editor", () => {
  it("saves a new version that runConfig then returns, keeping the old one in the history", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    const first = await ada.query(api.soul.current, {});
    expect(first).toMatchObject({ version: null, source: "default" });
    expect(await ada.mutation(api.soul.save, { content: "# Wren\n\nYou are Wren.", baseVersion: null })).toEqual({ ok: true, version: 1 });
    expect(await ada.mutation(api.soul.save, { content: "# Wren\n\nYou are Wren, and brief.", baseVersion: 1 })).toEqual({ ok: true, version: 2 });
    expect((await t.query(internal.agentSettings.runConfig, {})).soul).toBe("# Wren\n\nYou are Wren, and brief.");
    expect(await ada.query(api.soul.current, {})).toMatchObject({ version: 2, source: "owner", content: "# Wren\n\nYou are Wren, and brief." });
    const history = await ada.query(api.soul.history, {});
    expect(history.map(({ version, savedBy, preview }) => ({ version, savedBy, preview }))).toEqual([
      { version: 2, savedBy: "Person ada", preview: "# Wren\n\nYou are Wren, and brief." },
      { version: 1, savedBy: "Person ada", preview: "# Wren\n\nYou are Wren." },
    ]);
    const stored = await t.run(async (ctx) => await ctx.db.query("soulDocuments").collect());
    expect(stored.map((doc) => doc.createdBy)).toEqual([ownerId, ownerId]);
  });

  it("reaches the very next reply in the chat", async () => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const { sessionToken, threadId } = await newVisitorThread(t);
    await ada.mutation(api.soul.save, { content: "# Zephyr\n\nYou are Zephyr, the lighthouse keeper's helper.", baseVersion: null });
    await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "Who are you?" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const page = await t.query(api.chat.listMessages, { sessionToken, threadId, paginationOpts: { numItems: 10, cursor: null } });
    const reply = (page.page as { role: string; text: string }[]).find((m) => m.role === "assistant");
    expect(reply?.text).toContain("Zephyr");
  });

  it.each([
    ["a blank document", "  \n\t ", /blank/],
    ["a document over 12000 characters", "x".repeat(12_001), /12000/],
  ])("refuses %s as the soul, storing nothing", async (_name, content, error) => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const before = await settingsState(t);
    const result = await ada.mutation(api.soul.save, { content, baseVersion: null });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
    expect(await settingsState(t)).toEqual(before);
  });

  it("refuses a save started from an older version, keeping the other owner's edit", async () => {
    const { t, ada } = await ownerDeployment(named("ada"));
    await addOwner(t, "grace", named("grace"));
    const grace = signedInAs(t, "grace");
    await ada.mutation(api.soul.save, { content: "v1", baseVersion: null });
    await grace.mutation(api.soul.save, { content: "grace's v2", baseVersion: 1 });
    const stale = await ada.mutation(api.soul.save, { content: "ada's v2", baseVersion: 1 });
    expect(stale).toMatchObject({ ok: false, error: expect.stringMatching(/Another owner/) });
    expect((await t.query(internal.agentSettings.runConfig, {})).soul).toBe("grace's v2");
  });
});

describe("the chat settings", () => {
  const settings = { showModelBadge: false, showSkillIndicators: true, showActivityFeed: false, chatPlaceholder: "Ask Wren anything", maxMessageChars: 10 };

  it("changes what chat:settings reports and what sendMessage refuses", async () => {
    const { t, ada } = await ownerDeployment(named("ada"));
    expect(await ada.mutation(api.uiSettings.update, settings)).toEqual({ ok: true });
    expect(await t.query(api.chat.settings, {})).toMatchObject({ showModelBadge: false, showSkillIndicators: true, showActivityFeed: false, chatPlaceholder: "Ask Wren anything", maxMessageChars: 10 });
    expect(await ada.query(api.uiSettings.get, {})).toMatchObject(settings);
    const { sessionToken, threadId } = await newVisitorThread(t);
    expect(await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "x".repeat(11) })).toEqual({ ok: false, error: { kind: "MessageTooLong", maxChars: 10 } });
    expect((await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: "x".repeat(10) })).ok).toBe(true);
  });

  it.each([
    ["a length of 0", { maxMessageChars: 0 }],
    ["a length over the 16000 ceiling", { maxMessageChars: 16_001 }],
    ["a fractional length", { maxMessageChars: 12.5 }],
    ["a blank placeholder", { chatPlaceholder: "   " }],
    ["a placeholder over 280 characters", { chatPlaceholder: "p".repeat(281) }],
  ])("refuses %s for the chat, changing nothing", async (_name, change) => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const before = await settingsState(t);
    const result = await ada.mutation(api.uiSettings.update, { ...settings, ...change });
    expect(result.ok).toBe(false);
    expect(await settingsState(t)).toEqual(before);
    expect((await t.query(api.chat.settings, {})).maxMessageChars).toBe(4000);
  });
});

describe("the rate limits", () => {
  it("lists every limit of the defaults table with the configuration it runs with", async () => {
    const { ada } = await ownerDeployment(named("ada"));
    await ada.mutation(api.rateLimitSettings.update, { name: "global", config: { kind: "token bucket", rate: 150, period: 60_000, capacity: 150 } });
    const rows = await ada.query(api.rateLimitSettings.list, {});
    expect(rows.map((row) => row.name)).toEqual([...RATE_LIMIT_NAMES]);
    for (const row of rows) {
      expect(row.defaultConfig).toEqual(RATE_LIMIT_DEFAULTS[row.name].config);
      expect(row.label).toBe(RATE_LIMIT_DEFAULTS[row.name].label);
    }
    expect(rows.find((row) => row.name === "global")).toMatchObject({ config: { rate: 150 }, isDefault: false });
    expect(rows.find((row) => row.name === "chatPerSession")).toMatchObject({ config: { rate: 10, period: 60_000 }, isDefault: true });
  });

  it("enforces a chatPerSession rate of 2 set through rateLimitSettings:update: the 3rd message is refused", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    expect(await ada.mutation(api.rateLimitSettings.update, { name: "chatPerSession", config: { kind: "token bucket", rate: 2, period: 60_000, capacity: 2 } })).toEqual({ ok: true });
    const { sessionToken, threadId } = await newVisitorThread(t);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await t.mutation(api.chat.sendMessage, { sessionToken, threadId, text: `m${i}` }));
    expect(results.map((result) => result.ok)).toEqual([true, true, false]);
    expect(results[2]).toMatchObject({ ok: false, error: { kind: "RateLimited", scope: "session" } });
    const row = await t.run(async (ctx) => await ctx.db.query("rateLimitConfig").first());
    expect(row).toMatchObject({ name: "chatPerSession", rate: 2, updatedBy: ownerId });
  });

  it.each([
    ["a rate of 0", { rate: 0 }],
    ["a negative rate", { rate: -5 }],
    ["a fractional rate", { rate: 2.5 }],
    ["a period of 0", { period: 0 }],
    ["a period under a second", { period: 999 }],
    ["a period over a day", { period: 86_400_001 }],
    ["a capacity of 0", { capacity: 0 }],
    ["an absurd rate", { rate: 1e12 }],
  ])("refuses a limit with %s, changing nothing", async (_name, change) => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const before = await settingsState(t);
    const result = await ada.mutation(api.rateLimitSettings.update, { name: "chatPerSession", config: { kind: "token bucket", rate: 10, period: 60_000, capacity: 10, ...change } });
    expect(result.ok).toBe(false);
    expect(await settingsState(t)).toEqual(before);
  });

  it("accepts exactly the bounds and describes each refusal", () => {
    const base = { kind: "token bucket" as const, rate: 1, period: 1000 };
    expect(rateLimitProblem(base)).toBeNull();
    expect(rateLimitProblem({ ...base, rate: 1_000_000, period: 86_400_000, capacity: 1_000_000 })).toBeNull();
    expect(rateLimitProblem({ ...base, rate: Number.NaN })).toMatch(/rate/);
    expect(rateLimitProblem({ ...base, period: Number.POSITIVE_INFINITY })).toMatch(/period/);
    expect(rateLimitProblem({ ...base, shards: 0 })).toMatch(/Shards/);
  });
});

describe("the domain allowlist", () => {
  it.each([
    ["a wildcard, *.example.com", "*.example.com", /Wildcards/],
    ["an IP address, 10.0.0.1", "10.0.0.1", /IP addresses/],
    ["a URL with a scheme, https://x.com", "https://x.com", /scheme/],
    ["a host with a space, exa mple.com", "exa mple.com", /spaces/],
    ["a host over 253 characters", `${"a".repeat(250)}.com`, /253/],
    ["a host with a port", "api.example.com:8443", /port/],
    ["localhost", "localhost", /public host name/],
    ["a cloud metadata name", "metadata.google.internal", /public host name/],
    ["an IPv6 literal", "[::1]", /port|IP/],
    ["an empty host", "", /Enter a host name/],
  ])("refuses %s on the allowlist, storing nothing", async (_name, hostname, error) => {
    const { t, ada } = await ownerDeployment(named("ada"));
    const before = await settingsState(t);
    const result = await ada.mutation(api.domainAllowlist.add, { hostname });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(error) });
    expect(await settingsState(t)).toEqual(before);
  });

  it("stores a host lower-cased and once, lists it, and removes it", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    const added = await ada.mutation(api.domainAllowlist.add, { hostname: "  API.Example.com ", note: "weather lookups" });
    expect(added).toMatchObject({ ok: true, hostname: "api.example.com" });
    const again = await ada.mutation(api.domainAllowlist.add, { hostname: "api.example.com" });
    expect(again).toEqual(added);
    const stored = await t.run(async (ctx) => await ctx.db.query("domainAllowlist").collect());
    expect(stored).toMatchObject([{ hostname: "api.example.com", addedBy: ownerId, note: "weather lookups" }]);
    expect(await ada.query(api.domainAllowlist.list, {})).toMatchObject({ global: [{ hostname: "api.example.com", note: "weather lookups" }], perSkill: [], perSkillTruncated: false });
    if (!added.ok) throw new Error(added.error);
    expect(await ada.mutation(api.domainAllowlist.remove, { id: added.id })).toEqual({ ok: true });
    expect(await ada.mutation(api.domainAllowlist.remove, { id: added.id })).toEqual({ ok: false, error: "This entry was already removed." });
    expect(await ada.query(api.domainAllowlist.list, {})).toMatchObject({ global: [], perSkill: [] });
    const activity = await t.run(async (ctx) => (await ctx.db.query("activityLog").collect()).map((entry) => entry.kind));
    expect(activity).toEqual(["config.allowlist", "config.allowlist"]);
  });

  it("lists a skill's own hosts under the skill, apart from the global ones", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    const skillId = await t.mutation(internal.skills.manage.createTemplateSkill, {
      name: "pages",
      displayName: "Page reader",
      description: "Reads a page",
      ownerId,
      templateKey: "webPageReader",
      configJson: "{}",
    });
    await ada.mutation(api.domainAllowlist.add, { hostname: "docs.example.com", skillId });
    await ada.mutation(api.domainAllowlist.add, { hostname: "api.example.com" });
    const listed = await ada.query(api.domainAllowlist.list, {});
    expect(listed.global.map((entry) => entry.hostname)).toEqual(["api.example.com"]);
    expect(listed.perSkill.map(({ hostname, skillName }) => ({ hostname, skillName }))).toEqual([{ hostname: "docs.example.com", skillName: "Page reader" }]);
  });

  it("refuses a host for a skill that no longer exists", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    const skillId = await t.mutation(internal.skills.manage.createTemplateSkill, { name: "gone", displayName: "Gone", description: "d", ownerId, templateKey: "webPageReader", configJson: "{}" });
    await t.run(async (ctx) => await ctx.db.delete("skills", skillId));
    expect(await ada.mutation(api.domainAllowlist.add, { hostname: "api.example.com", skillId })).toEqual({ ok: false, error: expect.stringMatching(/skill/i) });
    expect(await t.run(async (ctx) => await ctx.db.query("domainAllowlist").collect())).toEqual([]);
  });

  it("caps the hosts for all skills, refusing one more without storing it", async () => {
    const { t, ada, ownerId } = await ownerDeployment(named("ada"));
    await t.run(async (ctx) => {
      for (let i = 0; i < GLOBAL_ENTRIES_MAX; i++) await ctx.db.insert("domainAllowlist", { hostname: `h${i}.example.com`, addedBy: ownerId, addedAt: Date.now() });
    });
    expect(await ada.mutation(api.domainAllowlist.add, { hostname: "one-more.example.com" })).toEqual({ ok: false, error: expect.stringMatching(/at most 100/) });
    expect(await ada.mutation(api.domainAllowlist.add, { hostname: "h7.example.com" })).toMatchObject({ ok: true });
    expect(await t.run(async (ctx) => (await ctx.db.query("domainAllowlist").collect()).length)).toBe(GLOBAL_ENTRIES_MAX);
  });

  it("normalises what it accepts exactly as the checker will compare it", () => {
    expect(allowlistHost("Docs.Example.COM")).toEqual({ ok: true, host: "docs.example.com" });
    expect(allowlistHost("xn--bcher-kva.example")).toEqual({ ok: true, host: "xn--bcher-kva.example" });
    expect(allowlistHost("api.example.com.").ok).toBe(false);
  });
});
