// Identity providers whose tokens this deployment trusts. Owners sign in with WorkOS AuthKit when
// WORKOS_CLIENT_ID is set; the offline local runtime adds its own provider by setting
// CLAWSYNC_LOCAL_AUTH_ISSUER (never set it on a hosted deployment: see docs/local-auth.md).
import type { AuthConfig } from "convex/server";

import { env } from "./_generated/server";

const workosClientId = env.WORKOS_CLIENT_ID;
const localIssuer = env.CLAWSYNC_LOCAL_AUTH_ISSUER;

export default {
  providers: [
    ...(workosClientId
      ? [
          {
            type: "customJwt" as const,
            issuer: "https://api.workos.com/",
            algorithm: "RS256" as const,
            jwks: `https://api.workos.com/sso/jwks/${workosClientId}`,
            applicationID: workosClientId,
          },
          {
            type: "customJwt" as const,
            issuer: `https://api.workos.com/user_management/${workosClientId}`,
            algorithm: "RS256" as const,
            jwks: `https://api.workos.com/sso/jwks/${workosClientId}`,
          },
        ]
      : []),
    ...(localIssuer ? [{ domain: localIssuer, applicationID: "clawsync-local" }] : []),
  ],
} satisfies AuthConfig;
