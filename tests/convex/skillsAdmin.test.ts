// SyncBoard's skills functions (convex/skillsAdmin.ts): only owners reach them, and each passes the
// owner's request to the rules in skills/manage, skillSecrets and the runner. The attacks: callers
// who are not owners, a wildcard, IP or internal host for the allowlist, a credential typed into a
// webhook header, a secret under a name the skill does not read, an unapproved skill in the test
// runner, and one skill's history or secrets showing up on another's page.
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import * as skillsAdmin from "../../convex/skillsAdmin";
import { ownerDeployment, signedInAs } from "./ownerFixture";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;
type Client = Pick<Deployment, "query" | "mutation" | "action">;

/** A fake secret, built at run time so no secret-shaped literal sits in the repository. */
const SECRET = ["sk", "live", "x".repeat(36), "k9Q2"].join("-");

function newKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

beforeEach(() => {
  vi.useFakeTimers();
  process.env.SKILL_SECRET_ENCRYPTION_KEY = newKey();
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
});

/** Ada is named, since a skill's page shows who approved it by name. */
const withOwner = () => ownerDeployment({ name: "Ada" });

const calculator = (name = "calc", configJson = '{"precision": 2}') => ({ name, displayName: "Calculator", description: "Does sums.", templateKey: "calculator" as const, configJson });

const webhook = (headers: { name: string; valueTemplate: string }[] = []) => ({
  name: "weather",
  displayName: "Weather",
  description: "Forecast for a city.",
  webhook: { method: "GET" as const, urlTemplate: "https://api.example.com/v1/forecast?city={city}", headers, responseFormat: "json" as const },
  inputSchemaJson: JSON.stringify({ type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }),
  allowedHosts: [],
});

const tokenHeader = [{ name: "Authorization", valueTemplate: "Bearer {{secret.API_TOKEN}}" }];

async function refusal(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ConvexError) return error.data;
    throw error;
  }
  throw new Error("The call was not refused");
}

/** Everything an owner function can change. */
async function state(t: Deployment) {
  return await t.run(async (ctx) => ({
    skills: await ctx.db.query("skills").collect(),
    allowlist: await ctx.db.query("domainAllowlist").collect(),
    secrets: await ctx.db.query("skillSecrets").collect(),
    log: await ctx.db.query("skillInvocationLog").collect(),
    approvals: await ctx.db.query("approvalRequests").collect(),
    events: await ctx.db.query("securityEvents").collect(),
  }));
}

async function admit(t: Deployment, skillName: string, input: object) {
  return await t.mutation(internal.security.checker.admit, { skillName, inputJson: JSON.stringify(input), caller: { kind: "system" }, channel: "web", dryRun: false });
}

describe("who may call the skills functions", () => {
  async function seeded() {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    await ada.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: SECRET });
    const entryId = await ada.mutation(api.skillsAdmin.allowDomain, { hostname: "api.example.com", skillId });
    return { t, skillId, entryId };
  }

  const calls: [string, (client: Client, ids: { skillId: Id<"skills">; entryId: Id<"domainAllowlist"> }) => Promise<unknown>][] = [
    ["list", (c) => c.query(api.skillsAdmin.list, {})],
    ["templates", (c) => c.query(api.skillsAdmin.templates, {})],
    ["detail", (c, { skillId }) => c.query(api.skillsAdmin.detail, { skillId })],
    ["createFromTemplate", (c) => c.mutation(api.skillsAdmin.createFromTemplate, calculator())],
    ["createWebhook", (c) => c.mutation(api.skillsAdmin.createWebhook, { ...webhook(), name: "other", allowedHosts: ["api.example.org"] })],
    ["updateConfig", (c, { skillId }) => c.mutation(api.skillsAdmin.updateConfig, { skillId, configJson: "{}" })],
    ["approve", (c, { skillId }) => c.mutation(api.skillsAdmin.approve, { skillId, activate: true })],
    ["reject", (c, { skillId }) => c.mutation(api.skillsAdmin.reject, { skillId, note: "no" })],
    ["setActive", (c, { skillId }) => c.mutation(api.skillsAdmin.setActive, { skillId, active: false })],
    ["allowDomain", (c, { skillId }) => c.mutation(api.skillsAdmin.allowDomain, { hostname: "api.example.net", skillId })],
    ["removeDomain", (c, { entryId }) => c.mutation(api.skillsAdmin.removeDomain, { entryId })],
    ["secrets", (c, { skillId }) => c.query(api.skillsAdmin.secrets, { skillId })],
    ["setSecret", (c, { skillId }) => c.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: "replaced-by-an-attacker" })],
    ["history", (c, { skillId }) => c.query(api.skillsAdmin.history, { skillId, paginationOpts: { numItems: 10, cursor: null } })],
    ["dryRun", (c, { skillId }) => c.action(api.skillsAdmin.dryRun, { skillId, inputJson: '{"city":"Oslo"}' })],
  ];

  it.each(calls)("%s refuses an anonymous caller and a signed-in non-owner, changing nothing", async (_name, call) => {
    const { t, ...ids } = await seeded();
    const before = await state(t);
    expect(await refusal(call(t, ids))).toEqual({ kind: "NotSignedIn" });
    expect(await refusal(call(signedInAs(t, "eve"), ids))).toEqual({ kind: "NotOwner" });
    expect(await state(t)).toEqual(before);
  });

  it("covers every public function of the module", () => {
    const exported = Object.entries(skillsAdmin)
      .filter(([, value]) => (value as { isPublic?: boolean }).isPublic === true)
      .map(([name]) => name);
    expect(calls.map(([name]) => name).sort()).toEqual(exported.sort());
  });
});

describe("the skills list and templates", () => {
  it("lists pending skills first, then approved, then rejected, each by name", async () => {
    const { ada } = await withOwner();
    const approved = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("a_approved"));
    const rejected = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("b_rejected"));
    await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("z_pending"));
    await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("c_pending"));
    await ada.mutation(api.skillsAdmin.approve, { skillId: approved, activate: true });
    await ada.mutation(api.skillsAdmin.reject, { skillId: rejected });
    const { skills, more } = await ada.query(api.skillsAdmin.list, {});
    expect(skills.map(({ name, approvalStatus, status }) => [name, approvalStatus, status])).toEqual([
      ["c_pending", "pending", "inactive"],
      ["z_pending", "pending", "inactive"],
      ["a_approved", "approved", "active"],
      ["b_rejected", "rejected", "inactive"],
    ]);
    expect(more).toBe(false);
  });

  it("offers the templates synced from code, each with the config schema its form is built from", async () => {
    const { t, ada } = await withOwner();
    expect(await ada.query(api.skillsAdmin.templates, {})).toEqual([]);
    await t.mutation(internal.skills.registry.sync, {});
    const templates = await ada.query(api.skillsAdmin.templates, {});
    expect(templates.map((template) => template.key)).toContain("calculator");
    const calc = templates.find((template) => template.key === "calculator")!;
    expect(JSON.parse(calc.configSchemaJson)).toMatchObject({ type: "object", properties: { precision: { type: "integer" } } });
  });

  it("shows no skill for an id that is not one, rather than failing", async () => {
    const { ada } = await withOwner();
    expect(await ada.query(api.skillsAdmin.detail, { skillId: "not-an-id" })).toBeNull();
  });
});

describe("review", () => {
  it("records the creating owner, and approval makes a pending skill one the checker admits", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    expect(await admit(t, "calc", { expression: "1+1" })).toMatchObject({ admitted: false, code: "SKILL_NOT_APPROVED" });
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: true });
    expect(await admit(t, "calc", { expression: "1+1" })).toMatchObject({ admitted: true, plan: { skillId } });
    expect(await t.run(async (ctx) => await ctx.db.get("skills", skillId))).toMatchObject({ createdBy: ownerId, approvedBy: ownerId, approvalStatus: "approved", status: "active" });
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ approvalStatus: "approved", approvedByName: "Ada", changedSinceApproval: false, callsNetwork: false, hosts: [] });
  });

  it("sends a skill back to pending when its config changes, and the checker refuses it until approved again", async () => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: true });
    expect(await ada.mutation(api.skillsAdmin.updateConfig, { skillId, configJson: '{"precision": 0}' })).toBe(2);
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ approvalStatus: "pending", changedSinceApproval: true, template: { configJson: '{"precision": 0}' } });
    expect((await ada.query(api.skillsAdmin.list, {})).skills[0]).toMatchObject({ name: "calc", approvalStatus: "pending", changedSinceApproval: true });
    expect(await admit(t, "calc", { expression: "1+1" })).toMatchObject({ admitted: false, code: "SKILL_NOT_APPROVED" });
  });

  it("refuses a config that does not fit the template, with the reason, changing nothing", async () => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    const before = await state(t);
    expect(await refusal(ada.mutation(api.skillsAdmin.updateConfig, { skillId, configJson: '{"precision": 99}' }))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/does not fit the template/) });
    expect(await refusal(ada.mutation(api.skillsAdmin.updateConfig, { skillId, configJson: "x".repeat(9000) }))).toMatchObject({ kind: "SkillRefused", message: "The configuration is too long." });
    expect(await state(t)).toEqual(before);
  });

  it("rejects with a note and switches the skill off; only an approved skill can be switched on", async () => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: true });
    await ada.mutation(api.skillsAdmin.reject, { skillId, note: "Rounds too much." });
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ approvalStatus: "rejected", status: "inactive", reviewNote: "Rounds too much." });
    expect(await refusal(ada.mutation(api.skillsAdmin.setActive, { skillId, active: true }))).toMatchObject({ kind: "SkillRefused", message: "Approve the skill before switching it on." });
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: false });
    await ada.mutation(api.skillsAdmin.setActive, { skillId, active: true });
    expect(await admit(t, "calc", { expression: "1" })).toMatchObject({ admitted: true });
    await ada.mutation(api.skillsAdmin.setActive, { skillId, active: false });
    expect(await admit(t, "calc", { expression: "1" })).toMatchObject({ admitted: false, code: "SKILL_INACTIVE" });
  });
});

describe("webhook skills and the allowlist", () => {
  it.each(["*.example.com", "169.254.169.254", "127.0.0.1", "[::1]", "api..example.com", "https://api.example.com", "api.example.com:443", "localhost", "metadata.google.internal", ""])(
    "refuses %j for the allowlist, changing nothing",
    async (hostname) => {
      const { t, ada } = await withOwner();
      const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook());
      const before = await state(t);
      expect(await refusal(ada.mutation(api.skillsAdmin.allowDomain, { hostname, skillId }))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/host name/) });
      expect(await state(t)).toEqual(before);
    },
  );

  it("creates no skill when a host in the builder's allowlist is refused", async () => {
    const { t, ada } = await withOwner();
    expect(await refusal(ada.mutation(api.skillsAdmin.createWebhook, { ...webhook(), allowedHosts: ["api.example.com", "*.example.com"] }))).toMatchObject({ kind: "SkillRefused" });
    expect(await state(t)).toMatchObject({ skills: [], allowlist: [], approvals: [] });
  });

  it("adds a host only by the owner's explicit action, shows which allowlist admits it, and removes it", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook());
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ callsNetwork: true, hosts: [{ hostname: "api.example.com", allowedBy: null }], allowlist: [] });
    const entryId = await ada.mutation(api.skillsAdmin.allowDomain, { hostname: "api.example.com", skillId });
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ hosts: [{ allowedBy: "skill" }], allowlist: [{ _id: entryId, hostname: "api.example.com" }] });
    expect(await t.run(async (ctx) => await ctx.db.get("domainAllowlist", entryId))).toMatchObject({ skillId, addedBy: ownerId });
    await ada.mutation(api.skillsAdmin.removeDomain, { entryId });
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ hosts: [{ allowedBy: null }], allowlist: [] });
  });

  it("adds the hosts the owner put on the builder's allowlist together with the skill", async () => {
    const { ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, { ...webhook(), allowedHosts: ["api.example.com"] });
    expect(await ada.query(api.skillsAdmin.detail, { skillId })).toMatchObject({ approvalStatus: "pending", status: "inactive", hosts: [{ hostname: "api.example.com", allowedBy: "skill" }] });
  });

  it("caps a skill's allowlist at 20 hosts, refusing one more without storing it", async () => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook());
    for (let i = 0; i < 20; i++) await ada.mutation(api.skillsAdmin.allowDomain, { hostname: `h${i}.example.com`, skillId });
    const before = await state(t);
    expect(await refusal(ada.mutation(api.skillsAdmin.allowDomain, { hostname: "one-more.example.com", skillId }))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/at most 20/) });
    expect(await state(t)).toEqual(before);
    expect((await ada.query(api.skillsAdmin.detail, { skillId }))?.allowlist).toHaveLength(20);
  });

  it("refuses a header name that is not a plain token", async () => {
    const { t, ada } = await withOwner();
    expect(await refusal(ada.mutation(api.skillsAdmin.createWebhook, webhook([{ name: "X-Key\r\nHost", valueTemplate: "v" }])))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/header name/) });
    expect(await state(t)).toMatchObject({ skills: [] });
  });

  it("refuses a credential typed into a header, so no key is stored or shown in plain text", async () => {
    const { t, ada } = await withOwner();
    const typed = [{ name: "Authorization", valueTemplate: `Bearer ${SECRET}` }];
    expect(await refusal(ada.mutation(api.skillsAdmin.createWebhook, webhook(typed)))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/secret/) });
    expect(JSON.stringify(await state(t))).not.toContain(SECRET);
  });
});

describe("skill secrets", () => {
  it("are set through the encrypting action and shown only as their last 4 characters, never the value", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    const set = await ada.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: SECRET });
    expect(set).toEqual({ name: "API_TOKEN", last4: "k9Q2" });
    const everything = {
      set,
      secrets: await ada.query(api.skillsAdmin.secrets, { skillId }),
      detail: await ada.query(api.skillsAdmin.detail, { skillId }),
      list: await ada.query(api.skillsAdmin.list, {}),
      history: await ada.query(api.skillsAdmin.history, { skillId, paginationOpts: { numItems: 10, cursor: null } }),
    };
    expect(everything.secrets).toEqual([{ name: "API_TOKEN", last4: "k9Q2", updatedAt: expect.any(Number) }]);
    expect(everything.detail?.secretNames).toEqual(["API_TOKEN"]);
    const returned = JSON.stringify(everything);
    expect(returned).not.toContain(SECRET);
    expect(returned).not.toContain(SECRET.slice(0, 12));
    const [row] = await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect());
    expect(row).toMatchObject({ skillId, name: "API_TOKEN", updatedBy: ownerId });
    expect(JSON.stringify(row)).not.toContain(SECRET);
  });

  it("replace the previous value under the same name", async () => {
    const { ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    await ada.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: SECRET });
    await ada.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: `${SECRET}-next-Z7w1` });
    expect(await ada.query(api.skillsAdmin.secrets, { skillId })).toEqual([{ name: "API_TOKEN", last4: "Z7w1", updatedAt: expect.any(Number) }]);
  });

  it.each([
    ["a name the skill does not read", "OTHER_TOKEN", SECRET, /reads only API_TOKEN/],
    ["an empty value", "API_TOKEN", "", /1 to 8192 characters/],
    ["an oversized value", "API_TOKEN", "x".repeat(8193), /1 to 8192 characters/],
  ])("refuse %s with the reason, storing nothing", async (_case, name, value, message) => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    expect(await refusal(ada.action(api.skillsAdmin.setSecret, { skillId, name, value }))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(message) });
    expect(await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect())).toEqual([]);
  });

  it("refuse to store anything without a valid encryption key, naming the problem", async () => {
    const { t, ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    delete process.env.SKILL_SECRET_ENCRYPTION_KEY;
    expect(await refusal(ada.action(api.skillsAdmin.setSecret, { skillId, name: "API_TOKEN", value: SECRET }))).toMatchObject({ kind: "SkillRefused", message: expect.stringMatching(/SKILL_SECRET_ENCRYPTION_KEY/) });
    expect(await t.run(async (ctx) => await ctx.db.query("skillSecrets").collect())).toEqual([]);
  });

  it("of one skill never appear on another skill's page", async () => {
    const { ada } = await withOwner();
    const weather = await ada.mutation(api.skillsAdmin.createWebhook, webhook(tokenHeader));
    const other = await ada.mutation(api.skillsAdmin.createWebhook, { ...webhook(tokenHeader), name: "other" });
    await ada.action(api.skillsAdmin.setSecret, { skillId: weather, name: "API_TOKEN", value: SECRET });
    expect(await ada.query(api.skillsAdmin.secrets, { skillId: other })).toEqual([]);
  });
});

describe("the dry run", () => {
  it("runs the skill through the checker, logged as a dry run by this owner on the syncboard channel", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: true });
    expect(await ada.action(api.skillsAdmin.dryRun, { skillId, inputJson: '{"expression":"1/3"}' })).toEqual({ ok: true, output: "0.33" });
    const log = await t.run(async (ctx) => await ctx.db.query("skillInvocationLog").collect());
    expect(log).toMatchObject([{ skillId, channel: "syncboard", caller: { kind: "owner", ownerId }, dryRun: true, code: "OK", outcome: "ok" }]);
  });

  it("is refused for an unapproved skill with SKILL_NOT_APPROVED, and the refusal is logged", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    expect(await ada.action(api.skillsAdmin.dryRun, { skillId, inputJson: '{"expression":"1"}' })).toEqual({ ok: false, code: "SKILL_NOT_APPROVED", message: expect.any(String) });
    const log = await t.run(async (ctx) => await ctx.db.query("skillInvocationLog").collect());
    expect(log).toMatchObject([{ skillId, channel: "syncboard", caller: { kind: "owner", ownerId }, dryRun: true, code: "SKILL_NOT_APPROVED", outcome: "denied" }]);
  });

  it("is refused with INPUT_INVALID when the input does not fit the skill's schema", async () => {
    const { ada } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    await ada.mutation(api.skillsAdmin.approve, { skillId, activate: true });
    expect(await ada.action(api.skillsAdmin.dryRun, { skillId, inputJson: '{"expr":"1"}' })).toMatchObject({ ok: false, code: "INPUT_INVALID" });
    expect(await ada.action(api.skillsAdmin.dryRun, { skillId, inputJson: "not json" })).toMatchObject({ ok: false, code: "INPUT_INVALID" });
  });
});

describe("invocation history", () => {
  it("pages through one skill's invocations, newest first, and never another skill's", async () => {
    const { t, ada, ownerId } = await withOwner();
    const mine = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("mine"));
    const theirs = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator("theirs"));
    const inserted: Id<"skillInvocationLog">[] = [];
    for (let i = 0; i < 8; i++) {
      vi.advanceTimersByTime(1000);
      const skillId = i % 3 === 2 ? theirs : mine;
      const id = await t.run(
        async (ctx) =>
          await ctx.db.insert("skillInvocationLog", {
            target: "skill",
            skillId,
            skillName: skillId === mine ? "mine" : "theirs",
            skillType: "template",
            caller: { kind: "owner", ownerId },
            channel: "syncboard",
            code: "OK",
            outcome: "ok",
            inputRedacted: `{"n":${i}}`,
            durationMs: 1,
            dryRun: true,
          }),
      );
      if (skillId === mine) inserted.push(id);
    }
    const seen: Id<"skillInvocationLog">[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page: { page: { _id: Id<"skillInvocationLog"> }[]; isDone: boolean; continueCursor: string } = await ada.query(api.skillsAdmin.history, { skillId: mine, paginationOpts: { numItems: 2, cursor } });
      expect(page.page.length).toBeLessThanOrEqual(2);
      seen.push(...page.page.map((row) => row._id));
      pages += 1;
      if (page.isDone) break;
      cursor = page.continueCursor;
    }
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual([...inserted].reverse());
  });

  it("serves at most 100 rows a page, whatever the page asks for", async () => {
    const { t, ada, ownerId } = await withOwner();
    const skillId = await ada.mutation(api.skillsAdmin.createFromTemplate, calculator());
    await t.run(async (ctx) => {
      for (let i = 0; i < 101; i++) {
        await ctx.db.insert("skillInvocationLog", {
          target: "skill",
          skillId,
          skillName: "calc",
          caller: { kind: "owner", ownerId },
          channel: "syncboard",
          code: "OK",
          outcome: "ok",
          inputRedacted: "{}",
          durationMs: 1,
          dryRun: true,
        });
      }
    });
    const page = await ada.query(api.skillsAdmin.history, { skillId, paginationOpts: { numItems: 10_000, cursor: null } });
    expect(page.page).toHaveLength(100);
    expect(page.isDone).toBe(false);
  });
});
