// Which hosts one invocation of a skill would contact, worked out before it runs, so the checker
// can hold them against the owner's allowlist on every call (a config or input naming a new host is
// refused, never silently fetched). Pure: reads only the skill's spec and the call's input.
import type { Doc } from "../_generated/dataModel";
import type { TemplateKey } from "../lib/validators";

/** For templates that fetch, the config or input field that holds the URL they fetch. */
const TEMPLATE_URL_FIELDS: Partial<Record<TemplateKey, { from: "config" | "input"; field: string }>> = {
  apiCaller: { from: "config", field: "urlTemplate" },
  rssFetcher: { from: "config", field: "feedUrl" },
  webPageReader: { from: "input", field: "url" },
  webhookCaller: { from: "config", field: "url" },
};

/** Fixed hosts of templates that talk to one service. */
const TEMPLATE_FIXED_HOSTS: Partial<Record<TemplateKey, string[]>> = {
  emailSender: ["api.resend.com"],
};

export type HostsResult = { ok: true; hosts: string[] } | { ok: false; reason: string };

/** The lowercase hostname of an absolute URL, or null when it is not one. */
export function hostOf(url: unknown): string | null {
  if (typeof url !== "string") return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
}

/**
 * The hosts an invocation contacts. Code skills return their declared domains: what they may
 * reach is decided again at each fetch, against the declared list and the allowlist together.
 */
export function invocationHosts(skill: Pick<Doc<"skills">, "type" | "template" | "webhook" | "code">, input: unknown): HostsResult {
  if (skill.type === "webhook") {
    const host = hostOf(skill.webhook?.urlTemplate.replace(/\{[^}]*\}/g, "x"));
    return host === null ? { ok: false, reason: "The webhook's URL is not valid." } : { ok: true, hosts: [host] };
  }
  if (skill.type === "code") return { ok: true, hosts: [] };
  const key = skill.template?.templateKey;
  if (key === undefined) return { ok: false, reason: "The template skill has no template." };
  const fixed = TEMPLATE_FIXED_HOSTS[key];
  if (fixed) return { ok: true, hosts: fixed };
  const source = TEMPLATE_URL_FIELDS[key];
  if (!source) return { ok: true, hosts: [] };
  const record = source.from === "config" ? parseObject(skill.template!.configJson) : input;
  const url = record !== null && typeof record === "object" ? (record as Record<string, unknown>)[source.field] : undefined;
  // A URL template's placeholders are path and query only; the host is fixed.
  const host = hostOf(typeof url === "string" ? url.replace(/\{[^}]*\}/g, "x") : url);
  return host === null ? { ok: false, reason: `The ${source.from === "config" ? "configured" : "requested"} URL is not valid.` } : { ok: true, hosts: [host] };
}

function parseObject(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}
