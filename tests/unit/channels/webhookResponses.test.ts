// What each platform is told: the status for each refusal of the request, acknowledgements in the
// platform's own format, and 429 with Retry-After only where a retry can succeed.
import { describe, expect, it } from "vitest";

import { webhookReply } from "../../../convex/channels/webhookResponses";
import type { WebhookDecision } from "../../../convex/security/webhookGate";

const refused = (code: Extract<WebhookDecision, { accepted: false }>["code"], retryAfterMs?: number): WebhookDecision => ({
  accepted: false,
  code,
  message: "why",
  ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});

describe("webhookReply", () => {
  it.each([
    ["WEBHOOK_SIGNATURE_INVALID", 401],
    ["WEBHOOK_SIGNATURE_MISSING", 401],
    ["WEBHOOK_TIMESTAMP_STALE", 401],
    ["WEBHOOK_SECRET_UNCONFIGURED", 401],
    ["WEBHOOK_PAYLOAD_TOO_LARGE", 413],
    ["WEBHOOK_PAYLOAD_INVALID", 400],
    ["WEBHOOK_CHANNEL_DISABLED", 403],
  ] as const)("answers %s with %i on every platform, naming no code or secret", (code, status) => {
    for (const platform of ["telegram", "slack", "discord", "whatsapp", "email"] as const) {
      const reply = webhookReply(platform, refused(code));
      expect(reply.status).toBe(status);
      expect(reply.body).not.toContain(code);
    }
  });

  it("tells a verification failure apart from nothing else: every 401 reads the same", () => {
    const bodies = new Set(["WEBHOOK_SIGNATURE_INVALID", "WEBHOOK_SIGNATURE_MISSING", "WEBHOOK_TIMESTAMP_STALE", "WEBHOOK_SECRET_UNCONFIGURED"].map((code) => webhookReply("slack", refused(code as never)).body));
    expect(bodies.size).toBe(1);
  });

  it("answers a rate-limited delivery with 429 and Retry-After in whole seconds", () => {
    expect(webhookReply("telegram", refused("RATE_LIMIT_CHANNEL_USER", 1500))).toMatchObject({ status: 429, retryAfterSeconds: 2 });
  });

  it("shows a refused Discord user why, privately, since an interaction cannot be retried", () => {
    const reply = webhookReply("discord", refused("RATE_LIMIT_CHANNEL_USER", 1500));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ type: 4, data: { content: "why", flags: 64 } });
  });

  it("acknowledges in each platform's format", () => {
    const accepted: WebhookDecision = { accepted: true, kind: "message" };
    expect(JSON.parse(webhookReply("discord", accepted).body)).toEqual({ type: 5 });
    expect(webhookReply("whatsapp", accepted)).toMatchObject({ status: 200, contentType: "text/xml" });
    expect(JSON.parse(webhookReply("slack", { accepted: true, kind: "handshake" }, { challenge: "c" }).body)).toEqual({ challenge: "c" });
    expect(JSON.parse(webhookReply("telegram", refused("CHANNEL_USER_BLOCKED")).body)).toEqual({ ok: false, code: "CHANNEL_USER_BLOCKED" });
  });
});
