// The HTTP action behind `/api/webhook/<platform>`. It does only what needs the raw request: reads
// the body under the size cap, checks the signature with the channel's secret (stored encrypted in
// channelSecrets, or the deployment's env var of the same name), and parses the verified body. Every
// outcome, refusal or not, then goes through the checker's webhook gate, which logs it and decides.
import { internal } from "../_generated/api";
import { env, httpAction } from "../_generated/server";
import { readChannelSecret } from "../channelSecrets";
import { LIMITS, type ChannelPlatform } from "../lib/validators";
import type { Infer } from "convex/values";
import type { vWebhookVerdict } from "../security/webhookGate";
import { readCappedText } from "./cappedBody";
import { parseInbound } from "./inboundPayloads";
import { webhookReply } from "./webhookResponses";
import { bodyOf, VERIFICATION_SECRET, verifyInbound } from "./verifyInbound";

export function webhookRoute(platform: ChannelPlatform) {
  return httpAction(async (ctx, request) => {
    const verdict = await verify(platform, request, async () => {
      const stored = await ctx.runQuery(internal.channels.webhookConfig.verificationSecret, { platform });
      const name = VERIFICATION_SECRET[platform];
      if (stored?.envelope) {
        // A stored secret that no longer decrypts is not replaced by the env var: the check fails closed.
        return await readChannelSecret(stored.channelId, name, stored.envelope).catch(() => undefined);
      }
      return env[name];
    });
    const decision = await ctx.runMutation(internal.security.webhookGate.admitWebhook, { platform, verdict });
    const reply = webhookReply(platform, decision, verdict.verified && verdict.event.kind === "handshake" ? verdict.event.reply : undefined);
    return new Response(reply.body, {
      status: reply.status,
      headers: { "Content-Type": reply.contentType, ...(reply.retryAfterSeconds !== undefined ? { "Retry-After": String(reply.retryAfterSeconds) } : {}) },
    });
  });
}

async function verify(platform: ChannelPlatform, request: Request, secret: () => Promise<string | undefined>): Promise<Infer<typeof vWebhookVerdict>> {
  const body = await readCappedText(request, LIMITS.webhookBodyBytes);
  if (body === null) return { verified: false, code: "WEBHOOK_PAYLOAD_TOO_LARGE" };
  const signature = await verifyInbound(platform, { url: request.url, headers: request.headers, body }, await secret(), Date.now());
  if (!signature.ok) return { verified: false, code: signature.code };
  const event = parseInbound(platform, bodyOf(platform, body));
  return event === null ? { verified: false, code: "WEBHOOK_PAYLOAD_INVALID" } : { verified: true, event };
}
