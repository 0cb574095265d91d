// The webhook-skill builder's draft (src/lib/skills/webhookDraft.ts): placeholders and secret
// references read from what the owner typed, a starting input schema the server accepts, the
// allowlist entry check (the server's SSRF rules: no wildcard, IP address or internal name), and
// field-by-field problems before anything is sent.
import { describe, expect, it } from "vitest";

import { checkSchemaDocument } from "../../../convex/security/jsonSchema.ts";
import {
  EMPTY_DRAFT,
  checkAllowlistEntry,
  draftInputSchema,
  placeholdersOf,
  secretRefsOf,
  templateHost,
  webhookProblems,
  webhookSpec,
  type WebhookDraft,
} from "../../../src/lib/skills/webhookDraft.ts";

const good: WebhookDraft = {
  method: "POST",
  urlTemplate: " https://api.example.com/v1/items/{id}?q={q} ",
  headers: [{ name: " Authorization ", value: "Bearer {{secret.API_TOKEN}}" }],
  bodyTemplate: '{"note": {note}}',
  responseFormat: "json",
  inputSchemaJson: draftInputSchema(["id", "q", "note"]),
};

describe("reading the draft", () => {
  it("lists the placeholders of the URL and body once each, in order, and not the secret references", () => {
    expect(placeholdersOf("https://api.example.com/{id}?q={q}&again={id}", '{"a": {note}, "b": "{{secret.API_TOKEN}}"}')).toEqual(["id", "q", "note"]);
  });

  it("lists the secrets the headers name", () => {
    expect(secretRefsOf([{ name: "Authorization", value: "Bearer {{secret.API_TOKEN}}" }, { name: "X-Key", value: "{{secret.OTHER}} {{secret.API_TOKEN}}" }, { name: "Accept", value: "application/json" }])).toEqual(["API_TOKEN", "OTHER"]);
  });

  it("drafts an input schema of required strings that the server's schema rules accept", () => {
    const text = draftInputSchema(["city", "units"]);
    expect(JSON.parse(text)).toEqual({
      type: "object",
      properties: { city: { type: "string", maxLength: 200 }, units: { type: "string", maxLength: 200 } },
      required: ["city", "units"],
      additionalProperties: false,
    });
    expect(checkSchemaDocument(text).ok).toBe(true);
  });

  it("finds the host a valid URL template calls, and none for an invalid one", () => {
    expect(templateHost("https://API.example.com/v1/{id}")).toBe("api.example.com");
    expect(templateHost("https://{host}/v1")).toBeNull();
    expect(templateHost("http://api.example.com/")).toBeNull();
  });
});

describe("checkAllowlistEntry", () => {
  it("accepts a plain host name, trimmed and lower-cased as it is stored", () => {
    expect(checkAllowlistEntry("  API.Example.com ")).toEqual({ ok: true, host: "api.example.com" });
  });

  it.each([
    ["", /Enter a host name/],
    ["*.example.com", /Wildcards/],
    ["https://api.example.com", /host name only/],
    ["api.example.com:443", /host name only/],
    ["api.example.com/v1", /host name only/],
    ["127.0.0.1", /not a public host name/],
    ["169.254.169.254", /not a public host name/],
    ["[::1]", /host name only/],
    ["localhost", /not a public host name/],
    ["metadata.google.internal", /not a public host name/],
    ["api..example.com", /not a public host name/],
  ])("refuses %j", (raw, message) => {
    expect(checkAllowlistEntry(raw)).toEqual({ ok: false, error: expect.stringMatching(message) });
  });
});

describe("webhookProblems", () => {
  it("finds nothing wrong with a complete draft", () => {
    expect(webhookProblems(good)).toEqual({});
  });

  it.each([
    ["no URL", { urlTemplate: "" }, { urlTemplate: "Enter the https:// address to call." }],
    ["a plain http URL", { urlTemplate: "http://api.example.com/x" }, { urlTemplate: expect.stringMatching(/https/) }],
    ["a placeholder in the host", { urlTemplate: "https://{tenant}.example.com/x" }, { urlTemplate: expect.stringMatching(/never in the host/) }],
    ["an IP address", { urlTemplate: "https://10.0.0.1/admin" }, { urlTemplate: expect.stringMatching(/not an IP address/) }],
    ["a header name with a space", { headers: [{ name: "X Key", value: "v" }] }, { header0: expect.stringMatching(/header name/) }],
    ["a body on a GET request", { method: "GET" as const }, { bodyTemplate: expect.stringMatching(/GET request has no body/) }],
    ["no input schema", { inputSchemaJson: " " }, { inputSchemaJson: expect.stringMatching(/JSON Schema/) }],
    ["an input schema that is not JSON", { inputSchemaJson: "{type: object}" }, { inputSchemaJson: "The schema is not valid JSON." }],
    ["an input schema that is not an object", { inputSchemaJson: "[]" }, { inputSchemaJson: "The schema must be a JSON object." }],
  ])("reports %s beside its field", (_case, change, problems) => {
    expect(webhookProblems({ ...good, ...change })).toEqual(problems);
  });

  it("reports every problem of an empty draft at once", () => {
    expect(Object.keys(webhookProblems(EMPTY_DRAFT)).sort()).toEqual(["inputSchemaJson", "urlTemplate"]);
  });
});

describe("webhookSpec", () => {
  it("is the spec the server stores: trimmed URL and header names, header values as typed", () => {
    expect(webhookSpec(good)).toEqual({
      method: "POST",
      urlTemplate: "https://api.example.com/v1/items/{id}?q={q}",
      headers: [{ name: "Authorization", valueTemplate: "Bearer {{secret.API_TOKEN}}" }],
      bodyTemplate: '{"note": {note}}',
      responseFormat: "json",
    });
  });

  it("leaves out an empty body", () => {
    expect(webhookSpec({ ...good, method: "GET", bodyTemplate: "  " })).not.toHaveProperty("bodyTemplate");
  });
});
