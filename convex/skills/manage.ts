// Creating, changing and reviewing skills, and the domain allowlist. Every rule the checker relies
// on is enforced here on the server: a template's config must match the template's configSchema, a
// webhook's URL template must have a fixed public https host, an input schema must pass the schema
// rules, and any change sends the skill back to review (its configVersion moves past the approved
// one). These are internal: SyncBoard's owner-guarded functions call them with the owner's id.
// What an owner got wrong is thrown as a SkillRefused ConvexError, whose message SyncBoard shows
// (a plain Error reaches a browser only as "Server Error").
import { ConvexError, v } from "convex/values";

import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { requestApproval } from "../approvals";
import { internalMutation } from "../lib/functions";
import { LIMITS, vTemplateKey, vWebhookSkillSpec, type TemplateKey, type WebhookSkillSpec } from "../lib/validators";
import { checkSchemaDocument, validateInput } from "../security/jsonSchema";
import { scrubText } from "../security/redact";
import { checkUrlTemplate, isValidAllowlistHost } from "../security/ssrf";
import { TEMPLATES } from "./templates/registry";

/** An owner's request the server refuses, with the reason to show them. */
export type SkillRefusal = { kind: "SkillRefused"; message: string };

export function refuse(message: string): never {
  throw new ConvexError<SkillRefusal>({ kind: "SkillRefused", message });
}

/** Tool names: what the model calls; lowercase so a message can name them plainly. */
const SKILL_NAME = /^[a-z][a-z0-9_]{1,63}$/;

/** Header names a webhook may set: the same shape the templates' auth headers take. */
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

/** A secret reference in a header value, resolved server-side at run time. */
const SECRET_REF = /\{\{secret\.[A-Z][A-Z0-9_]{0,63}\}\}/g;

function checkCommon(fields: { name: string; displayName: string; description: string }): void {
  if (!SKILL_NAME.test(fields.name)) refuse("A skill name is 2 to 64 lowercase letters, digits and underscores, starting with a letter.");
  if (fields.displayName.trim() === "" || fields.displayName.length > LIMITS.nameChars) refuse(`A display name is 1 to ${LIMITS.nameChars} characters.`);
  if (fields.description.trim() === "" || fields.description.length > LIMITS.descriptionChars) refuse(`A description is 1 to ${LIMITS.descriptionChars} characters.`);
}

/** The owner's config for a template, parsed and checked against the template's configSchema. */
export function checkTemplateConfig(templateKey: TemplateKey, configJson: string): void {
  if (configJson.length > LIMITS.jsonDocChars) refuse("The configuration is too long.");
  let config: unknown;
  try {
    config = JSON.parse(configJson);
  } catch {
    refuse("The configuration is not valid JSON.");
  }
  const result = validateInput(JSON.stringify(TEMPLATES[templateKey].configSchema), config);
  if (!result.ok) refuse(`The configuration does not fit the template: ${result.errors.join("; ")}`);
}

/**
 * A webhook spec an owner saves: a fixed public https host, a bounded body, and headers that carry
 * credentials only by secret reference. A key typed into a header value would sit in the skill's
 * row in plain text and be shown on every page that shows the skill.
 */
export function checkWebhookSpec(spec: WebhookSkillSpec): void {
  const url = checkUrlTemplate(spec.urlTemplate);
  if (!url.ok) refuse(url.reason);
  if (spec.headers.length > 16) refuse("A webhook has at most 16 headers.");
  for (const header of spec.headers) {
    if (!HEADER_NAME.test(header.name)) refuse("A header name is 1 to 64 letters, digits and hyphens.");
    const literal = header.valueTemplate.replace(SECRET_REF, "");
    if (scrubText(literal) !== literal) refuse(`The ${header.name} header holds what looks like a credential: store it as a skill secret and write {{secret.NAME}} instead.`);
  }
  if (spec.bodyTemplate !== undefined && spec.bodyTemplate.length > LIMITS.jsonDocChars) refuse("The body template is too long.");
}

async function assertNameFree(ctx: MutationCtx, name: string): Promise<void> {
  const existing = await ctx.db
    .query("skills")
    .withIndex("by_name", (q) => q.eq("name", name))
    .first();
  if (existing !== null) refuse("A skill with that name exists.");
}

/** Inserts a new skill, pending review and switched off, with the platform's default limits. */
async function insertPendingSkill(
  ctx: MutationCtx,
  common: { name: string; displayName: string; description: string; ownerId: Id<"owners"> },
  typed: Pick<Doc<"skills">, "type" | "inputSchemaJson"> & Partial<Pick<Doc<"skills">, "template" | "webhook">>,
): Promise<Id<"skills">> {
  const skillId = await ctx.db.insert("skills", {
    name: common.name,
    displayName: common.displayName,
    description: common.description,
    ...typed,
    approvalStatus: "pending",
    status: "inactive",
    configVersion: 1,
    timeoutMs: LIMITS.skillTimeoutMsDefault,
    maxOutputBytes: LIMITS.webhookOutputBytesDefault,
    createdBy: common.ownerId,
    updatedAt: Date.now(),
  });
  await requestApproval(ctx, { subject: "skill", skillId }, "created", "owner");
  return skillId;
}

const vCommon = { name: v.string(), displayName: v.string(), description: v.string(), ownerId: v.id("owners") };

export const createTemplateSkill = internalMutation({
  args: { ...vCommon, templateKey: vTemplateKey, configJson: v.string() },
  returns: v.id("skills"),
  handler: async (ctx, args) => {
    checkCommon(args);
    checkTemplateConfig(args.templateKey, args.configJson);
    await assertNameFree(ctx, args.name);
    const template = TEMPLATES[args.templateKey];
    return await insertPendingSkill(ctx, args, {
      type: "template",
      inputSchemaJson: JSON.stringify(template.inputSchema),
      template: { templateKey: args.templateKey, configJson: args.configJson, templateVersion: template.version },
    });
  },
});

export const createWebhookSkill = internalMutation({
  args: { ...vCommon, webhook: vWebhookSkillSpec, inputSchemaJson: v.string() },
  returns: v.id("skills"),
  handler: async (ctx, args) => {
    checkCommon(args);
    checkWebhookSpec(args.webhook);
    const schema = checkSchemaDocument(args.inputSchemaJson);
    if (!schema.ok) refuse(`The input schema is not accepted: ${schema.reason}`);
    await assertNameFree(ctx, args.name);
    return await insertPendingSkill(ctx, args, { type: "webhook", inputSchemaJson: args.inputSchemaJson, webhook: args.webhook });
  },
});

/** Changes a template skill's config: checked again, and the skill goes back to review. */
export const updateTemplateConfig = internalMutation({
  args: { skillId: v.id("skills"), configJson: v.string(), ownerId: v.id("owners") },
  returns: v.number(),
  handler: async (ctx, { skillId, configJson }) => {
    const skill = await ctx.db.get("skills", skillId);
    if (skill === null || skill.type !== "template" || !skill.template) refuse("No such template skill.");
    checkTemplateConfig(skill.template.templateKey, configJson);
    const configVersion = skill.configVersion + 1;
    await ctx.db.patch("skills", skillId, {
      template: { ...skill.template, configJson, templateVersion: TEMPLATES[skill.template.templateKey].version },
      configVersion,
      approvalStatus: "pending",
      updatedAt: Date.now(),
    });
    await requestApproval(ctx, { subject: "skill", skillId }, "configChanged", "owner");
    return configVersion;
  },
});

/** Approves the skill's current configuration; only that version passes the checker. */
export const approve = internalMutation({
  args: { skillId: v.id("skills"), ownerId: v.id("owners"), activate: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { skillId, ownerId, activate }) => {
    const skill = await ctx.db.get("skills", skillId);
    if (skill === null) refuse("No such skill.");
    const now = Date.now();
    await ctx.db.patch("skills", skillId, {
      approvalStatus: "approved",
      approvedConfigVersion: skill.configVersion,
      approvedBy: ownerId,
      approvedAt: now,
      ...(activate ? { status: "active" as const } : {}),
      updatedAt: now,
    });
    await decidePending(ctx, skillId, "approved", ownerId, now);
    return null;
  },
});

export const reject = internalMutation({
  args: { skillId: v.id("skills"), ownerId: v.id("owners"), note: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, { skillId, ownerId, note }) => {
    const skill = await ctx.db.get("skills", skillId);
    if (skill === null) refuse("No such skill.");
    const now = Date.now();
    await ctx.db.patch("skills", skillId, { approvalStatus: "rejected", status: "inactive", ...(note ? { reviewNote: note.slice(0, LIMITS.descriptionChars) } : {}), updatedAt: now });
    await decidePending(ctx, skillId, "rejected", ownerId, now);
    return null;
  },
});

async function decidePending(ctx: MutationCtx, skillId: Id<"skills">, status: "approved" | "rejected", ownerId: Id<"owners">, now: number): Promise<void> {
  const pending = await ctx.db
    .query("approvalRequests")
    .withIndex("by_skill_and_status", (q) => q.eq("skillId", skillId).eq("status", "pending"))
    .take(10);
  for (const request of pending) await ctx.db.patch("approvalRequests", request._id, { status, decidedAt: now, decidedBy: ownerId });
}

/** Switches an approved skill on, or any skill off. Only an approved skill may be switched on. */
export const setActive = internalMutation({
  args: { skillId: v.id("skills"), active: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { skillId, active }) => {
    const skill = await ctx.db.get("skills", skillId);
    if (skill === null) refuse("No such skill.");
    if (active && skill.approvalStatus !== "approved") refuse("Approve the skill before switching it on.");
    await ctx.db.patch("skills", skillId, { status: active ? "active" : "inactive", updatedAt: Date.now() });
    return null;
  },
});

/**
 * Adds a host to the allowlist (for one skill, or for all): an explicit owner action, validated.
 * A skill's own list is capped, so a reader of it (SyncBoard) sees all of it in one bounded read.
 */
export const allowDomain = internalMutation({
  args: { hostname: v.string(), skillId: v.optional(v.id("skills")), ownerId: v.id("owners"), note: v.optional(v.string()) },
  returns: v.id("domainAllowlist"),
  handler: async (ctx, { hostname, skillId, ownerId, note }) => {
    const host = hostname.trim();
    if (!isValidAllowlistHost(host)) refuse("Enter a plain lowercase host name such as api.example.com: no scheme, port, path, wildcard or IP address.");
    if (skillId !== undefined && (await ctx.db.get("skills", skillId)) === null) refuse("No such skill.");
    const existing = await ctx.db
      .query("domainAllowlist")
      .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", skillId).eq("hostname", host))
      .first();
    if (existing !== null) return existing._id;
    if (skillId !== undefined) {
      const entries = await ctx.db
        .query("domainAllowlist")
        .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", skillId))
        .take(LIMITS.allowedDomainsPerSkill);
      if (entries.length >= LIMITS.allowedDomainsPerSkill) refuse(`A skill's allowlist holds at most ${LIMITS.allowedDomainsPerSkill} hosts.`);
    }
    return await ctx.db.insert("domainAllowlist", { hostname: host, ...(skillId ? { skillId } : {}), addedBy: ownerId, addedAt: Date.now(), ...(note ? { note: note.slice(0, LIMITS.summaryChars) } : {}) });
  },
});

/** Takes a host off the allowlist; the checker refuses it from the next call. Gone already is fine. */
export const removeDomain = internalMutation({
  args: { entryId: v.id("domainAllowlist") },
  returns: v.null(),
  handler: async (ctx, { entryId }) => {
    if ((await ctx.db.get("domainAllowlist", entryId)) !== null) await ctx.db.delete("domainAllowlist", entryId);
    return null;
  },
});
