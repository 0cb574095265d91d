// The webhook-skill builder's draft: what the owner typed, checked field by field with the same SSRF
// rules the server applies (convex/security/ssrf.ts is pure and runs here too), and turned into the
// spec the server stores. The server checks everything again; this only says what is wrong sooner.
import { LIMITS, type HttpMethod, type WebhookSkillSpec } from "../../../convex/lib/validators";
import { checkUrlTemplate, isValidAllowlistHost } from "../../../convex/security/ssrf";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const satisfies readonly HttpMethod[];

export interface HeaderDraft {
  name: string;
  value: string;
}

export interface WebhookDraft {
  method: HttpMethod;
  urlTemplate: string;
  headers: HeaderDraft[];
  bodyTemplate: string;
  responseFormat: "json" | "text";
  inputSchemaJson: string;
}

/** Fields of the draft that can be wrong; a header's problem is keyed `header<index>`. */
export type WebhookProblems = Partial<Record<"urlTemplate" | "bodyTemplate" | "inputSchemaJson" | `header${number}`, string>>;

/** `{name}`: a value the model fills in (the server's placeholder syntax). */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
/** `{{secret.NAME}}`: a skill secret, put in a header on the server at run time. */
const SECRET_REF = /\{\{secret\.([A-Z][A-Z0-9_]{0,63})\}\}/g;
/** Header names the server accepts. */
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
/** Most headers a webhook may set (the server's limit). */
export const MAX_HEADERS = 16;

export const EMPTY_DRAFT: WebhookDraft = { method: "GET", urlTemplate: "", headers: [], bodyTemplate: "", responseFormat: "json", inputSchemaJson: "" };

/** The placeholders of a URL or body template, each once, in order of appearance. */
export function placeholdersOf(...templates: string[]): string[] {
  const names = templates.flatMap((template) => [...template.replace(SECRET_REF, "").matchAll(PLACEHOLDER)].map((match) => match[1]));
  return [...new Set(names)];
}

/** The secret names the headers refer to: the secrets the skill will need. */
export function secretRefsOf(headers: readonly HeaderDraft[]): string[] {
  return [...new Set(headers.flatMap((header) => [...header.value.matchAll(SECRET_REF)].map((match) => match[1])))];
}

/**
 * A starting input schema: each placeholder a required string, nothing else accepted. The owner may
 * edit it (a number, a description for the model) before saving.
 */
export function draftInputSchema(placeholders: readonly string[]): string {
  const schema = {
    type: "object",
    properties: Object.fromEntries(placeholders.map((name) => [name, { type: "string", maxLength: 200 }])),
    required: [...placeholders],
    additionalProperties: false,
  };
  return JSON.stringify(schema, null, 2);
}

/** The host a URL template calls, once the template is valid; null before. */
export function templateHost(urlTemplate: string): string | null {
  const check = checkUrlTemplate(urlTemplate.trim());
  return check.ok ? check.host : null;
}

/** A host an owner typed for the allowlist, as it would be stored, or why it cannot be. */
export function checkAllowlistEntry(raw: string): { ok: true; host: string } | { ok: false; error: string } {
  const host = raw.trim().toLowerCase();
  if (host === "") return { ok: false, error: "Enter a host name such as api.example.com." };
  if (host.includes("*")) return { ok: false, error: "Wildcards are not allowed: add each host name exactly." };
  if (host.includes("://") || /[/:?#@]/.test(host)) return { ok: false, error: "Enter the host name only, without https://, a port or a path." };
  if (!isValidAllowlistHost(host)) return { ok: false, error: "That is not a public host name. IP addresses and internal names such as localhost cannot be allowed." };
  return { ok: true, host };
}

/** What is wrong with the draft, field by field; empty when it can be sent. */
export function webhookProblems(draft: WebhookDraft): WebhookProblems {
  const problems: WebhookProblems = {};
  const url = checkUrlTemplate(draft.urlTemplate.trim());
  if (!url.ok) problems.urlTemplate = draft.urlTemplate.trim() === "" ? "Enter the https:// address to call." : url.reason;
  draft.headers.forEach((header, index) => {
    if (!HEADER_NAME.test(header.name.trim())) problems[`header${index}`] = "A header name is 1 to 64 letters, digits and hyphens.";
  });
  if (draft.bodyTemplate.trim() !== "" && draft.method === "GET") problems.bodyTemplate = "A GET request has no body: choose another method or clear the body.";
  else if (draft.bodyTemplate.length > LIMITS.jsonDocChars) problems.bodyTemplate = `The body is at most ${LIMITS.jsonDocChars} characters.`;
  const schemaProblem = inputSchemaProblem(draft.inputSchemaJson);
  if (schemaProblem !== null) problems.inputSchemaJson = schemaProblem;
  return problems;
}

function inputSchemaProblem(text: string): string | null {
  if (text.trim() === "") return "Describe the input the model gives, as a JSON Schema.";
  if (text.length > LIMITS.jsonDocChars) return `The schema is at most ${LIMITS.jsonDocChars} characters.`;
  try {
    const schema: unknown = JSON.parse(text);
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return "The schema must be a JSON object.";
  } catch {
    return "The schema is not valid JSON.";
  }
  return null;
}

/** The spec the server stores for a checked draft. */
export function webhookSpec(draft: WebhookDraft): WebhookSkillSpec {
  const body = draft.bodyTemplate.trim();
  return {
    method: draft.method,
    urlTemplate: draft.urlTemplate.trim(),
    headers: draft.headers.map((header) => ({ name: header.name.trim(), valueTemplate: header.value })),
    ...(body !== "" ? { bodyTemplate: body } : {}),
    responseFormat: draft.responseFormat,
  };
}
