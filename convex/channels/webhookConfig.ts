// What the webhook route needs before it can verify a request: the channel's stored signing
// secret, still encrypted. Decryption happens in the route (an action), never in a query result
// that could be cached or returned elsewhere.
import { v } from "convex/values";

import { channelSecretEnvelope } from "../channelSecrets";
import { internalQuery } from "../lib/functions";
import { vChannelPlatform, vSecretEnvelope } from "../lib/validators";
import { VERIFICATION_SECRET } from "./verifyInbound";

export const verificationSecret = internalQuery({
  args: { platform: vChannelPlatform },
  returns: v.union(v.null(), v.object({ channelId: v.id("channelConfig"), envelope: v.union(v.null(), vSecretEnvelope) })),
  handler: async (ctx, { platform }) => {
    const channel = await ctx.db
      .query("channelConfig")
      .withIndex("by_platform", (q) => q.eq("platform", platform))
      .unique();
    if (channel === null) return null;
    return { channelId: channel._id, envelope: await channelSecretEnvelope(ctx, channel._id, VERIFICATION_SECRET[platform]) };
  },
});
