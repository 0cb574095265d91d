// The email sender template: sends a plain-text email through Resend's HTTP API, only to the
// recipients the owner listed, so a model cannot be talked into mailing anyone else. It calls the
// API through the guarded fetch rather than the `resend` package: the package uses the global
// fetch, which would bypass the address check and pinning every outbound call goes through.
import type { TemplateDefinition } from "./registryTypes";

const RESEND_EMAILS_URL = "https://api.resend.com/emails";
const EMAIL = { type: "string", format: "email", maxLength: 254 } as const;

export const emailSender: TemplateDefinition = {
  displayName: "Email sender",
  description: "Sends a short plain-text email to one of the recipients the owner allowed.",
  version: 1,
  configSchema: {
    type: "object",
    properties: {
      from: EMAIL,
      allowedRecipients: { type: "array", items: EMAIL, minItems: 1, maxItems: 20 },
      subjectPrefix: { type: "string", maxLength: 40 },
    },
    required: ["from", "allowedRecipients"],
    additionalProperties: false,
  },
  inputSchema: {
    type: "object",
    properties: { to: EMAIL, subject: { type: "string", minLength: 1, maxLength: 150 }, text: { type: "string", minLength: 1, maxLength: 5000 } },
    required: ["to", "subject", "text"],
    additionalProperties: false,
  },
  secretNames: ["RESEND_API_KEY"],
  usesNetwork: true,
  run: async (config, input, deps) => {
    const to = String(input.to).toLowerCase();
    const allowed = (config.allowedRecipients as string[]).map((address) => address.toLowerCase());
    if (!allowed.includes(to)) return { ok: false, code: "INPUT_INVALID", message: "That recipient is not on the skill's list of allowed recipients." };
    const key = await deps.secret("RESEND_API_KEY");
    if (key === undefined) return { ok: false, code: "SECRET_UNAVAILABLE", message: "The secret RESEND_API_KEY is not set for this skill." };
    const prefix = typeof config.subjectPrefix === "string" && config.subjectPrefix !== "" ? `${config.subjectPrefix} ` : "";
    const response = await deps.fetch({
      url: RESEND_EMAILS_URL,
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ from: config.from, to: [to], subject: `${prefix}${String(input.subject)}`, text: String(input.text) }),
    });
    if (!response.ok) return { ok: false, code: response.code, message: response.message };
    if (response.status >= 400) return { ok: false, message: `The email service answered with HTTP status ${response.status}.` };
    return { ok: true, output: `Email sent to ${to}.` };
  },
};
