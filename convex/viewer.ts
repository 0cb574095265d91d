// Who the browser is signed in as, so the UI can greet the owner. Ownership itself (which
// identities may run owner functions) is decided by the owner guards, not here.
import { v } from "convex/values";

import { publicQuery } from "./lib/functions";

export const viewer = publicQuery("answers only about the caller's own verified token")({
  args: {},
  returns: v.object({ signedIn: v.boolean(), name: v.union(v.string(), v.null()) }),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null) return { signedIn: false, name: null };
    return { signedIn: true, name: identity.name ?? identity.preferredUsername ?? identity.email ?? null };
  },
});
