// SyncBoard's skills pages: the owner-guarded face of skills/manage, skillSecrets and the runner.
// Every rule lives in those internals (config against the template's schema, URL templates, the
// allowlist, review on change, encryption, the checker); these functions check the caller is an
// owner, pass the owner's id on, and shape what the pages read. Nothing here returns a secret's
// value: secrets leave only as their last 4 characters.
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v, type Infer } from "convex/values";

import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { env, type QueryCtx } from "./_generated/server";
import { boundedPage } from "./lib/pagination";
import { internalQuery, ownerAction, ownerMutation, ownerQuery } from "./lib/functions";
import { SECRET_VALUE_MAX_CHARS } from "./lib/secretStore";
import {
  LIMITS,
  TEMPLATE_KEYS,
  vActorKind,
  vApprovalStatus,
  vChannel,
  vCheckCode,
  vInvocationOutcome,
  vSkillStatus,
  vSkillType,
  vTemplateKey,
  vWebhookSkillSpec,
} from "./lib/validators";
import { loadKeyRing } from "./security/encryptionKeys";
import { invocationHosts } from "./skills/hosts";
import { refuse } from "./skills/manage";
import { TEMPLATES } from "./skills/templates/registry";
import { referencedSecrets } from "./skills/webhookRequest";

/** Most skills the list shows; past it the page says the list is cut short. */
export const SKILL_LIST_MAX = 200;

/** The list's order: what waits for the owner first. */
const REVIEW_ORDER = ["pending", "approved", "rejected"] as const;

const vSkillListing = v.object({
  _id: v.id("skills"),
  name: v.string(),
  displayName: v.string(),
  type: vSkillType,
  approvalStatus: vApprovalStatus,
  status: vSkillStatus,
  // Approved once, edited since: the checker refuses it until it is approved again.
  changedSinceApproval: v.boolean(),
  updatedAt: v.number(),
});

function changedSinceApproval(skill: Doc<"skills">): boolean {
  return skill.approvedConfigVersion !== undefined && skill.approvedConfigVersion !== skill.configVersion;
}

/** Every skill, pending review first, then approved, then rejected; by name within each. */
export const list = ownerQuery({
  args: {},
  returns: v.object({ skills: v.array(vSkillListing), more: v.boolean() }),
  handler: async (ctx) => {
    const found: Doc<"skills">[] = [];
    for (const approvalStatus of REVIEW_ORDER) {
      if (found.length > SKILL_LIST_MAX) break;
      const rows = await ctx.db
        .query("skills")
        .withIndex("by_approvalStatus_and_status", (q) => q.eq("approvalStatus", approvalStatus))
        .take(SKILL_LIST_MAX + 1 - found.length);
      found.push(...rows.sort((a, b) => a.name.localeCompare(b.name)));
    }
    return {
      skills: found.slice(0, SKILL_LIST_MAX).map((skill) => ({
        _id: skill._id,
        name: skill.name,
        displayName: skill.displayName,
        type: skill.type,
        approvalStatus: skill.approvalStatus,
        status: skill.status,
        changedSinceApproval: changedSinceApproval(skill),
        updatedAt: skill.updatedAt,
      })),
      more: found.length > SKILL_LIST_MAX,
    };
  },
});

const vTemplateListing = v.object({
  key: vTemplateKey,
  displayName: v.string(),
  description: v.string(),
  version: v.number(),
  configSchemaJson: v.string(),
  secretNames: v.array(v.string()),
  usesNetwork: v.boolean(),
});

/** The template picker: the catalogue the deployment synced from code (one row per template). */
export const templates = ownerQuery({
  args: {},
  returns: v.array(vTemplateListing),
  handler: async (ctx) => {
    const rows = await ctx.db.query("skillTemplates").withIndex("by_key").take(TEMPLATE_KEYS.length);
    return rows.map(({ key, displayName, description, version, configSchemaJson, secretNames, usesNetwork }) => ({
      key,
      displayName,
      description,
      version,
      configSchemaJson,
      secretNames,
      usesNetwork,
    }));
  },
});

const vAllowlistEntry = v.object({ _id: v.id("domainAllowlist"), hostname: v.string(), addedAt: v.number(), note: v.union(v.string(), v.null()) });

const vSkillDetail = v.object({
  _id: v.id("skills"),
  _creationTime: v.number(),
  name: v.string(),
  displayName: v.string(),
  description: v.string(),
  type: vSkillType,
  approvalStatus: vApprovalStatus,
  status: vSkillStatus,
  configVersion: v.number(),
  changedSinceApproval: v.boolean(),
  approvedAt: v.union(v.number(), v.null()),
  approvedByName: v.union(v.string(), v.null()),
  reviewNote: v.union(v.string(), v.null()),
  inputSchemaJson: v.string(),
  template: v.union(
    v.null(),
    v.object({ templateKey: vTemplateKey, displayName: v.string(), configJson: v.string(), configSchemaJson: v.string(), templateVersion: v.number() }),
  ),
  webhook: v.union(v.null(), vWebhookSkillSpec),
  code: v.union(v.null(), v.object({ module: v.string(), allowedDomains: v.array(v.string()), missing: v.boolean() })),
  timeoutMs: v.number(),
  maxOutputBytes: v.number(),
  updatedAt: v.number(),
  // Whether it may reach the network at all: only then does an allowlist matter.
  callsNetwork: v.boolean(),
  // The secret names the skill reads: the only names it may be given.
  secretNames: v.array(v.string()),
  // Hosts it contacts that are known ahead (declared, or fixed by its spec), and which allowlist admits each:
  // this skill's, the global one (managed on the Config page), or none. Hosts chosen per call are
  // not known ahead.
  hosts: v.array(v.object({ hostname: v.string(), allowedBy: v.union(v.literal("skill"), v.literal("global"), v.null()) })),
  allowlist: v.array(vAllowlistEntry),
});

/** The names of the secrets a skill reads, from its template, webhook headers or declaration. */
function secretsRead(skill: Doc<"skills">): string[] {
  if (skill.template) return [...TEMPLATES[skill.template.templateKey].secretNames];
  if (skill.webhook) return referencedSecrets(skill.webhook);
  return skill.code?.secretNames ?? [];
}

function callsNetwork(skill: Doc<"skills">): boolean {
  if (skill.template) return TEMPLATES[skill.template.templateKey].usesNetwork;
  if (skill.webhook) return true;
  return (skill.code?.allowedDomains.length ?? 0) > 0;
}

/** The hosts a skill contacts that are known ahead: a code skill's declared ones, or those its spec fixes. */
function knownHosts(skill: Doc<"skills">): string[] {
  if (skill.code) return skill.code.allowedDomains.slice(0, LIMITS.allowedDomainsPerSkill);
  const contacted = invocationHosts(skill, {});
  return contacted.ok ? contacted.hosts : [];
}

/** A skill's own allowlist: whole, as manage.allowDomain caps it at this size. */
async function allowlistOf(ctx: QueryCtx, skillId: Id<"skills">) {
  const rows = await ctx.db
    .query("domainAllowlist")
    .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", skillId))
    .take(LIMITS.allowedDomainsPerSkill);
  return rows.map((row) => ({ _id: row._id, hostname: row.hostname, addedAt: row.addedAt, note: row.note ?? null }));
}

/** Which allowlist admits `hostname` for the skill, looked up as the checker does: its own, then global. */
async function allowedBy(ctx: QueryCtx, skillId: Id<"skills">, hostname: string): Promise<"skill" | "global" | null> {
  for (const [scope, owner] of [["skill", skillId], ["global", undefined]] as const) {
    const entry = await ctx.db
      .query("domainAllowlist")
      .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", owner).eq("hostname", hostname))
      .first();
    if (entry !== null) return scope;
  }
  return null;
}

/**
 * One skill as its page shows it, or null when there is none. The id comes from the page's URL, so
 * it is taken as text and checked here: a mistyped link shows "no such skill", not an error.
 */
export const detail = ownerQuery({
  args: { skillId: v.string() },
  returns: v.union(v.null(), vSkillDetail),
  handler: async (ctx, args) => {
    const skillId = ctx.db.normalizeId("skills", args.skillId);
    const skill = skillId === null ? null : await ctx.db.get("skills", skillId);
    if (skill === null) return null;
    const approver = skill.approvedBy ? await ctx.db.get("owners", skill.approvedBy) : null;
    const hosts = [];
    for (const hostname of knownHosts(skill)) hosts.push({ hostname, allowedBy: await allowedBy(ctx, skill._id, hostname) });
    const template = skill.template ? TEMPLATES[skill.template.templateKey] : undefined;
    return {
      _id: skill._id,
      _creationTime: skill._creationTime,
      name: skill.name,
      displayName: skill.displayName,
      description: skill.description,
      type: skill.type,
      approvalStatus: skill.approvalStatus,
      status: skill.status,
      configVersion: skill.configVersion,
      changedSinceApproval: changedSinceApproval(skill),
      approvedAt: skill.approvedAt ?? null,
      approvedByName: approver?.name ?? null,
      reviewNote: skill.reviewNote ?? null,
      inputSchemaJson: skill.inputSchemaJson,
      template:
        skill.template && template
          ? { ...skill.template, displayName: template.displayName, configSchemaJson: JSON.stringify(template.configSchema) }
          : null,
      webhook: skill.webhook ?? null,
      code: skill.code ? { module: skill.code.module, allowedDomains: skill.code.allowedDomains, missing: skill.code.missingSince !== undefined } : null,
      timeoutMs: skill.timeoutMs,
      maxOutputBytes: skill.maxOutputBytes,
      updatedAt: skill.updatedAt,
      callsNetwork: callsNetwork(skill),
      secretNames: secretsRead(skill),
      hosts,
      allowlist: await allowlistOf(ctx, skill._id),
    };
  },
});

const vCommon = { name: v.string(), displayName: v.string(), description: v.string() };

/** A new skill from a built-in template; it waits, switched off, for an owner's approval. */
export const createFromTemplate = ownerMutation({
  args: { ...vCommon, templateKey: vTemplateKey, configJson: v.string() },
  returns: v.id("skills"),
  handler: async (ctx, args): Promise<Id<"skills">> => await ctx.runMutation(internal.skills.manage.createTemplateSkill, { ...args, ownerId: ctx.owner.ownerId }),
});

/**
 * A new webhook skill, and the hosts the owner put on its allowlist in the builder (each one added
 * by hand there). One transaction: a refused host leaves no skill behind.
 */
export const createWebhook = ownerMutation({
  args: { ...vCommon, webhook: vWebhookSkillSpec, inputSchemaJson: v.string(), allowedHosts: v.array(v.string()) },
  returns: v.id("skills"),
  handler: async (ctx, { allowedHosts, ...args }): Promise<Id<"skills">> => {
    if (allowedHosts.length > LIMITS.allowedDomainsPerSkill) refuse(`An allowlist holds at most ${LIMITS.allowedDomainsPerSkill} hosts.`);
    const ownerId = ctx.owner.ownerId;
    const skillId = await ctx.runMutation(internal.skills.manage.createWebhookSkill, { ...args, ownerId });
    for (const hostname of allowedHosts) await ctx.runMutation(internal.skills.manage.allowDomain, { hostname, skillId, ownerId });
    return skillId;
  },
});

/** A template skill's new config; the skill goes back to review. Returns the new config version. */
export const updateConfig = ownerMutation({
  args: { skillId: v.id("skills"), configJson: v.string() },
  returns: v.number(),
  handler: async (ctx, args): Promise<number> => await ctx.runMutation(internal.skills.manage.updateTemplateConfig, { ...args, ownerId: ctx.owner.ownerId }),
});

/** Approves the skill's current configuration, and switches it on when `activate` is set. */
export const approve = ownerMutation({
  args: { skillId: v.id("skills"), activate: v.boolean() },
  returns: v.null(),
  handler: async (ctx, args): Promise<null> => await ctx.runMutation(internal.skills.manage.approve, { ...args, ownerId: ctx.owner.ownerId }),
});

/** Rejects the skill (it is switched off), with an optional note for the other owners. */
export const reject = ownerMutation({
  args: { skillId: v.id("skills"), note: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args): Promise<null> => await ctx.runMutation(internal.skills.manage.reject, { ...args, ownerId: ctx.owner.ownerId }),
});

/** The owner's switch: on (approved skills only) or off. */
export const setActive = ownerMutation({
  args: { skillId: v.id("skills"), active: v.boolean() },
  returns: v.null(),
  handler: async (ctx, args): Promise<null> => await ctx.runMutation(internal.skills.manage.setActive, args),
});

/** Puts a host on a skill's allowlist (or, without a skill, on every skill's). */
export const allowDomain = ownerMutation({
  args: { hostname: v.string(), skillId: v.optional(v.id("skills")), note: v.optional(v.string()) },
  returns: v.id("domainAllowlist"),
  handler: async (ctx, args): Promise<Id<"domainAllowlist">> => await ctx.runMutation(internal.skills.manage.allowDomain, { ...args, ownerId: ctx.owner.ownerId }),
});

export const removeDomain = ownerMutation({
  args: { entryId: v.id("domainAllowlist") },
  returns: v.null(),
  handler: async (ctx, args): Promise<null> => await ctx.runMutation(internal.skills.manage.removeDomain, args),
});

const vMaskedSecret = v.object({ name: v.string(), last4: v.string(), updatedAt: v.number() });

/** A skill's secrets: names and last 4 characters only. */
export const secrets = ownerQuery({
  args: { skillId: v.id("skills") },
  returns: v.array(vMaskedSecret),
  handler: async (ctx, args): Promise<Infer<typeof vMaskedSecret>[]> => await ctx.runQuery(internal.skillSecrets.listMasked, args),
});

/** What the owner actions need of a skill: its name (the runner's key) and the secrets it reads. */
export const actionTarget = internalQuery({
  args: { skillId: v.id("skills") },
  returns: v.union(v.null(), v.object({ name: v.string(), secretNames: v.array(v.string()) })),
  handler: async (ctx, { skillId }) => {
    const skill = await ctx.db.get("skills", skillId);
    return skill === null ? null : { name: skill.name, secretNames: secretsRead(skill) };
  },
});

type ActionTarget = { name: string; secretNames: string[] } | null;

/**
 * Sets or replaces one secret of a skill; encrypted by skillSecrets.set. Only a name the skill reads
 * is taken, and what the owner can fix (the value's length, a missing key) is refused with a reason
 * before the encrypting action runs. Returns the name and last 4 characters, never the value.
 */
export const setSecret = ownerAction({
  args: { skillId: v.id("skills"), name: v.string(), value: v.string() },
  returns: v.object({ name: v.string(), last4: v.string() }),
  handler: async (ctx, { skillId, name, value }): Promise<{ name: string; last4: string }> => {
    const target: ActionTarget = await ctx.runQuery(internal.skillsAdmin.actionTarget, { skillId });
    if (target === null) refuse("No such skill.");
    if (!target.secretNames.includes(name)) {
      refuse(target.secretNames.length === 0 ? "This skill reads no secrets." : `This skill reads only ${target.secretNames.join(", ")}.`);
    }
    if (value.length === 0 || value.length > SECRET_VALUE_MAX_CHARS) refuse(`A secret is 1 to ${SECRET_VALUE_MAX_CHARS} characters.`);
    const keys = loadKeyRing(env);
    if (!keys.ok) refuse(keys.message);
    return await ctx.runAction(internal.skillSecrets.set, { skillId, name, value, ownerId: ctx.owner.ownerId });
  },
});

const vHistoryRow = v.object({
  _id: v.id("skillInvocationLog"),
  _creationTime: v.number(),
  code: vCheckCode,
  outcome: vInvocationOutcome,
  channel: vChannel,
  // The principal's kind only: the history names no visitor session or channel user.
  callerKind: vActorKind,
  dryRun: v.boolean(),
  durationMs: v.number(),
  inputRedacted: v.string(),
  outputPreview: v.union(v.string(), v.null()),
  errorMessage: v.union(v.string(), v.null()),
});

/** One skill's invocations, newest first, a page at a time, through the log's by_skill index. */
export const history = ownerQuery({
  args: { skillId: v.id("skills"), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vHistoryRow),
  handler: async (ctx, { skillId, paginationOpts }) => {
    const result = await ctx.db
      .query("skillInvocationLog")
      .withIndex("by_skill", (q) => q.eq("skillId", skillId))
      .order("desc")
      .paginate(boundedPage(paginationOpts));
    return {
      ...result,
      page: result.page.map((row) => ({
        _id: row._id,
        _creationTime: row._creationTime,
        code: row.code,
        outcome: row.outcome,
        channel: row.channel,
        callerKind: row.caller.kind,
        dryRun: row.dryRun,
        durationMs: row.durationMs,
        inputRedacted: row.inputRedacted,
        outputPreview: row.outputPreview ?? null,
        errorMessage: row.errorMessage ?? null,
      })),
    };
  },
});

/** The runner's result; the runner's own validator lives in a Node module this one cannot import. */
const vDryRunResult = v.union(v.object({ ok: v.literal(true), output: v.string() }), v.object({ ok: v.literal(false), code: vCheckCode, message: v.string() }));

/**
 * SyncBoard's test runner: one real invocation through the runner, so the security checker admits
 * (or refuses) and logs it like any other, marked as a dry run, for this owner on the syncboard
 * channel. The skill runs for real: a webhook is called, an email is sent.
 */
export const dryRun = ownerAction({
  args: { skillId: v.id("skills"), inputJson: v.string() },
  returns: vDryRunResult,
  handler: async (ctx, { skillId, inputJson }): Promise<Infer<typeof vDryRunResult>> => {
    const target: ActionTarget = await ctx.runQuery(internal.skillsAdmin.actionTarget, { skillId });
    if (target === null) refuse("No such skill.");
    return await ctx.runAction(internal.skills.runner.invoke, {
      skillName: target.name,
      inputJson,
      caller: { kind: "owner", ownerId: ctx.owner.ownerId },
      channel: "syncboard",
      dryRun: true,
    });
  },
});
