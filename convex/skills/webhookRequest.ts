// Building a webhook skill's outbound request from its spec and one call's input. Pure, so every
// rule is tested directly: URL parameters are percent-encoded by `substituteUrlTemplate` (they can
// fill their segment or query value and nothing more), header values may name only the skill's own
// secrets (`{{secret.NAME}}`), and body placeholders become complete JSON values, so an input can
// never break out of the JSON it is placed in.
import type { WebhookSkillSpec } from "../lib/validators";
import { substituteUrlTemplate } from "../security/ssrf";

export type WebhookRequest = { url: string; method: string; headers: Record<string, string>; body?: string };
export type BuildResult = { ok: true; request: WebhookRequest } | { ok: false; code: "INPUT_INVALID" | "SECRET_UNAVAILABLE"; message: string };

const SECRET_REF = /\{\{secret\.([A-Z][A-Z0-9_]{0,63})\}\}/g;
const BODY_PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;

/** The secret names a spec's headers refer to: the only secrets a run of it reads. */
export function referencedSecrets(spec: WebhookSkillSpec): string[] {
  return [...new Set(spec.headers.flatMap((header) => [...header.valueTemplate.matchAll(SECRET_REF)].map((match) => match[1])))];
}

/** The scalar fields of an input object, the only values a URL may carry. */
function urlParams(input: Record<string, unknown>): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(input)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") params[name] = value;
  }
  return params;
}

export function buildWebhookRequest(spec: WebhookSkillSpec, input: Record<string, unknown>, secrets: ReadonlyMap<string, string>): BuildResult {
  const url = substituteUrlTemplate(spec.urlTemplate, urlParams(input));
  if (!url.ok) return { ok: false, code: "INPUT_INVALID", message: url.reason };
  const headers: Record<string, string> = {};
  for (const header of spec.headers) {
    let missing: string | null = null;
    headers[header.name] = header.valueTemplate.replace(SECRET_REF, (_match, name: string) => {
      const value = secrets.get(name);
      if (value === undefined) missing = name;
      return value ?? "";
    });
    if (missing !== null) return { ok: false, code: "SECRET_UNAVAILABLE", message: `The secret ${missing} is not set for this skill.` };
  }
  let body: string | undefined;
  if (spec.bodyTemplate !== undefined) {
    let unknownName: string | null = null;
    body = spec.bodyTemplate.replace(BODY_PLACEHOLDER, (_match, name: string) => {
      if (!Object.prototype.hasOwnProperty.call(input, name)) unknownName = name;
      return JSON.stringify(input[name] ?? null);
    });
    if (unknownName !== null) return { ok: false, code: "INPUT_INVALID", message: `The parameter ${unknownName} is missing.` };
    if (spec.method === "GET") return { ok: false, code: "INPUT_INVALID", message: "A GET request has no body." };
  }
  return { ok: true, request: { url: url.url, method: spec.method, headers, ...(body !== undefined ? { body } : {}) } };
}
