// Keeps the database in step with the skills this deployment's code ships: the template catalogue
// (one skillTemplates row per built-in template) and the code skills. A new code skill is
// registered as pending and inactive; one whose declaration (`skillMeta`) changed goes back to
// pending with its configuration version bumped, so nothing it newly asks for runs unreviewed; one
// whose module was removed is marked missing and cannot run. Runs when the local runtime starts
// and from a cron, so a deployment picks up new code within minutes of a deploy.
import { v } from "convex/values";

import type { MutationCtx } from "../_generated/server";
import { requestApproval } from "../approvals";
import { internalMutation } from "../lib/functions";
import { sha256Hex } from "../lib/hash";
import { LIMITS, TEMPLATE_KEYS } from "../lib/validators";
import { CODE_SKILLS } from "./code";
import type { SkillMeta } from "./code/types";
import { TEMPLATES } from "./templates/registry";

/** JSON with object keys sorted, so equal declarations hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a declaration: a change of any permission, limit or schema changes it. */
export function metaHash(meta: SkillMeta): string {
  return sha256Hex(canonicalJson(meta));
}

/** The skill row fields a declaration sets. */
function declaredFields(moduleKey: string, meta: SkillMeta) {
  return {
    displayName: meta.displayName,
    description: meta.description.slice(0, LIMITS.descriptionChars),
    inputSchemaJson: JSON.stringify(meta.inputSchema),
    code: {
      module: moduleKey,
      metaHash: metaHash(meta),
      allowedDomains: meta.permissions.allowedDomains,
      secretNames: meta.permissions.secretNames,
      requiresApproval: meta.requiresApproval,
    },
    timeoutMs: meta.timeoutMs ?? LIMITS.skillTimeoutMsDefault,
    maxOutputBytes: meta.maxOutputBytes ?? LIMITS.webhookOutputBytesDefault,
    ...(meta.rateLimit ? { rateLimit: meta.rateLimit } : {}),
    ...(meta.ui ? { ui: meta.ui } : {}),
  };
}

const vSyncResult = v.object({ templates: v.number(), registered: v.number(), changed: v.number(), missing: v.number() });

export const sync = internalMutation({
  args: {},
  returns: vSyncResult,
  handler: async (ctx) => {
    const templates = await syncTemplates(ctx);
    const now = Date.now();
    let registered = 0;
    let changed = 0;
    for (const [moduleKey, module] of Object.entries(CODE_SKILLS)) {
      const meta = module.skillMeta;
      const existing = await ctx.db
        .query("skills")
        .withIndex("by_name", (q) => q.eq("name", meta.name))
        .unique();
      const fields = declaredFields(moduleKey, meta);
      if (existing === null) {
        const skillId = await ctx.db.insert("skills", {
          name: meta.name,
          type: "code",
          approvalStatus: "pending",
          status: "inactive",
          configVersion: 1,
          updatedAt: now,
          ...fields,
        });
        await requestApproval(ctx, { subject: "skill", skillId }, "registered", "system");
        registered += 1;
        continue;
      }
      // A skill an owner made under the same name is not taken over by code.
      if (existing.type !== "code") continue;
      if (existing.code?.metaHash === fields.code.metaHash && existing.code.module === moduleKey && existing.code.missingSince === undefined) continue;
      // Undefined removes a field a declaration no longer sets (a rate limit, UI hints).
      await ctx.db.patch("skills", existing._id, {
        rateLimit: undefined,
        ui: undefined,
        ...fields,
        approvalStatus: "pending",
        configVersion: existing.configVersion + 1,
        updatedAt: now,
      });
      await requestApproval(ctx, { subject: "skill", skillId: existing._id }, "permissionsChanged", "system");
      changed += 1;
    }
    const missing = await markMissing(ctx, new Set(Object.keys(CODE_SKILLS)), now);
    return { templates, registered, changed, missing };
  },
});

async function markMissing(ctx: MutationCtx, present: Set<string>, now: number): Promise<number> {
  let missing = 0;
  const codeSkills = await ctx.db
    .query("skills")
    .withIndex("by_type", (q) => q.eq("type", "code"))
    .take(200);
  for (const skill of codeSkills) {
    if (!skill.code || present.has(skill.code.module) || skill.code.missingSince !== undefined) continue;
    await ctx.db.patch("skills", skill._id, { code: { ...skill.code, missingSince: now }, status: "inactive", updatedAt: now });
    missing += 1;
  }
  return missing;
}

/** One catalogue row per built-in template, updated when the code's definition changes. */
async function syncTemplates(ctx: MutationCtx): Promise<number> {
  let written = 0;
  for (const key of TEMPLATE_KEYS) {
    const definition = TEMPLATES[key];
    if (!definition) continue;
    const row = {
      key,
      displayName: definition.displayName,
      description: definition.description,
      version: definition.version,
      configSchemaJson: JSON.stringify(definition.configSchema),
      inputSchemaJson: JSON.stringify(definition.inputSchema),
      secretNames: definition.secretNames,
      usesNetwork: definition.usesNetwork,
    };
    const existing = await ctx.db
      .query("skillTemplates")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (existing === null) await ctx.db.insert("skillTemplates", row);
    else if (canonicalJson({ ...existing, _id: undefined, _creationTime: undefined }) !== canonicalJson(row)) await ctx.db.replace("skillTemplates", existing._id, row);
    else continue;
    written += 1;
  }
  return written;
}
