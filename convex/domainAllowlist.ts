// The domain allowlist as SyncBoard's config page shows and edits it. Entries are exact hostnames
// (the checker compares them exactly, so what is stored is exactly what may be called); adding one
// and removing one go through skills/manage.ts, the one place entries are written.
import { ConvexError, v } from "convex/values";

import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { recordActivity } from "./activity";
import { ownerMutation, ownerQuery } from "./lib/functions";
import { LIMITS } from "./lib/validators";
import { isValidAllowlistHost } from "./security/ssrf";
import type { SkillRefusal } from "./skills/manage";

/** Global entries kept and listed; a longer allowlist defeats its purpose. */
export const GLOBAL_ENTRIES_MAX = 100;

/** Per-skill entries the page lists, across all skills. */
export const SKILL_ENTRIES_LISTED = 200;

/**
 * The hostname as it would be stored (trimmed, lower-cased), or why it cannot be: the specific
 * reason for the mistakes owners make, then the SSRF rules' final word.
 */
export function allowlistHost(raw: string): { ok: true; host: string } | { ok: false; error: string } {
  const host = raw.trim().toLowerCase();
  const refuse = (error: string) => ({ ok: false as const, error });
  if (host === "") return refuse("Enter a host name such as api.example.com.");
  if (host.length > LIMITS.hostnameChars) return refuse(`A host name is at most ${LIMITS.hostnameChars} characters.`);
  if (host.includes("*")) return refuse("Wildcards are not allowed: add each host name exactly, such as api.example.com.");
  if (host.includes("://")) return refuse("Enter the host name only, without https:// or any other scheme.");
  if (/\s/.test(host)) return refuse("A host name cannot contain spaces.");
  if (/[/:?#@]/.test(host)) return refuse("Enter the host name only, without a port, path or query.");
  if (/^[0-9.]+$/.test(host) || host.includes("[")) return refuse("IP addresses cannot be allowlisted: add the host name.");
  if (!isValidAllowlistHost(host)) return refuse("That is not a public host name: use letters, digits and hyphens in dot-separated labels, such as api.example.com.");
  return { ok: true, host };
}

const vEntry = v.object({
  _id: v.id("domainAllowlist"),
  hostname: v.string(),
  addedAt: v.number(),
  note: v.union(v.string(), v.null()),
});

function entryOf(row: Doc<"domainAllowlist">) {
  return { _id: row._id, hostname: row.hostname, addedAt: row.addedAt, note: row.note ?? null };
}

/** Global entries (every skill may call them) and each skill's own, by hostname. */
export const list = ownerQuery({
  args: {},
  returns: v.object({
    global: v.array(vEntry),
    perSkill: v.array(v.object({ ...vEntry.fields, skillId: v.id("skills"), skillName: v.union(v.string(), v.null()) })),
    perSkillTruncated: v.boolean(),
  }),
  handler: async (ctx) => {
    const global = await ctx.db
      .query("domainAllowlist")
      .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", undefined))
      .take(GLOBAL_ENTRIES_MAX);
    // Rows without a skill sort first in the index, so everything after them belongs to a skill.
    const skillRows = await ctx.db
      .query("domainAllowlist")
      .withIndex("by_skill_and_hostname", (q) => q.gt("skillId", undefined))
      .take(SKILL_ENTRIES_LISTED + 1);
    const names = new Map<string, string | null>();
    const perSkill = [];
    for (const row of skillRows.slice(0, SKILL_ENTRIES_LISTED)) {
      const skillId = row.skillId!;
      if (!names.has(skillId)) names.set(skillId, (await ctx.db.get("skills", skillId))?.displayName ?? null);
      perSkill.push({ ...entryOf(row), skillId, skillName: names.get(skillId) ?? null });
    }
    return { global: global.map(entryOf), perSkill, perSkillTruncated: skillRows.length > SKILL_ENTRIES_LISTED };
  },
});

/** Allows a host for every skill, or for one skill. Adding a host already there changes nothing. */
export const add = ownerMutation({
  args: { hostname: v.string(), skillId: v.optional(v.id("skills")), note: v.optional(v.string()) },
  returns: v.union(v.object({ ok: v.literal(true), id: v.id("domainAllowlist"), hostname: v.string() }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { hostname, skillId, note }) => {
    const checked = allowlistHost(hostname);
    if (!checked.ok) return checked;
    if (note !== undefined && note.length > LIMITS.summaryChars) return { ok: false as const, error: `A note is at most ${LIMITS.summaryChars} characters.` };
    const present = await ctx.db
      .query("domainAllowlist")
      .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", skillId).eq("hostname", checked.host))
      .first();
    // Already allowed: nothing to store, and nothing to log.
    if (present !== null) return { ok: true as const, id: present._id, hostname: present.hostname };
    if (skillId === undefined) {
      // allowDomain caps each skill's list; the global list is capped here, where it is listed.
      const global = await ctx.db
        .query("domainAllowlist")
        .withIndex("by_skill_and_hostname", (q) => q.eq("skillId", undefined))
        .take(GLOBAL_ENTRIES_MAX);
      if (global.length >= GLOBAL_ENTRIES_MAX) {
        return { ok: false as const, error: `The allowlist holds at most ${GLOBAL_ENTRIES_MAX} hosts for all skills. Remove one first.` };
      }
    }
    let id: Id<"domainAllowlist">;
    try {
      id = await ctx.runMutation(internal.skills.manage.allowDomain, {
        hostname: checked.host,
        ...(skillId ? { skillId } : {}),
        ownerId: ctx.owner.ownerId,
        ...(note?.trim() ? { note: note.trim() } : {}),
      });
    } catch (error) {
      // A missing skill or a full per-skill list is refused there, with a reason meant for the owner.
      if (error instanceof ConvexError && (error.data as Partial<SkillRefusal>).kind === "SkillRefused") return { ok: false as const, error: (error.data as SkillRefusal).message };
      throw error;
    }
    await recordActivity(ctx, { kind: "config.allowlist", summary: `Host ${checked.host} allowed ${skillId === undefined ? "for all skills" : "for one skill"}`, actorKind: "owner" });
    return { ok: true as const, id, hostname: checked.host };
  },
});

/** Takes a host off the allowlist; the next call to it is refused by the checker. */
export const remove = ownerMutation({
  args: { id: v.id("domainAllowlist") },
  returns: v.union(v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), error: v.string() })),
  handler: async (ctx, { id }) => {
    const row = await ctx.db.get("domainAllowlist", id);
    if (row === null) return { ok: false as const, error: "This entry was already removed." };
    await ctx.runMutation(internal.skills.manage.removeDomain, { entryId: id });
    await recordActivity(ctx, { kind: "config.allowlist", summary: `Host ${row.hostname} removed from the allowlist ${row.skillId === undefined ? "for all skills" : "of one skill"}`, actorKind: "owner" });
    return { ok: true as const };
  },
});
