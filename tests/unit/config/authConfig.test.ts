// convex/auth.config.ts: which identity providers the deployment trusts, depending on its
// environment. WorkOS AuthKit is trusted only when WORKOS_CLIENT_ID is set; the local runtime's
// provider only when CLAWSYNC_LOCAL_AUTH_ISSUER is set.
import { generateKeyPairSync } from "node:crypto";

import type { AuthConfig } from "convex/server";
import { exportJWK, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createJwtVerifier } from "../../../local/auth/jwtVerifier.ts";

async function loadAuthConfig(env: Record<string, string | undefined>): Promise<AuthConfig> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return ((await import("../../../convex/auth.config.ts")) as { default: AuthConfig }).default;
}

afterEach(() => {
  delete process.env.WORKOS_CLIENT_ID;
  delete process.env.CLAWSYNC_LOCAL_AUTH_ISSUER;
});

describe("auth.config.ts", () => {
  it("trusts no provider when neither WorkOS nor the local runtime is configured", async () => {
    const config = await loadAuthConfig({ WORKOS_CLIENT_ID: undefined, CLAWSYNC_LOCAL_AUTH_ISSUER: undefined });
    expect(config.providers).toEqual([]);
  });

  it("trusts only the local provider when the local runtime sets its issuer", async () => {
    const config = await loadAuthConfig({ WORKOS_CLIENT_ID: undefined, CLAWSYNC_LOCAL_AUTH_ISSUER: "http://127.0.0.1:3211" });
    expect(config.providers).toEqual([{ domain: "http://127.0.0.1:3211", applicationID: "clawsync-local" }]);
  });

  it("activates WorkOS AuthKit providers when WORKOS_CLIENT_ID is set, and verifies their tokens", async () => {
    const clientId = "client_01TESTWORKOS";
    const config = await loadAuthConfig({ WORKOS_CLIENT_ID: clientId, CLAWSYNC_LOCAL_AUTH_ISSUER: undefined });
    expect(config.providers.map((provider) => ("type" in provider ? provider.issuer : provider.domain))).toEqual([
      "https://api.workos.com/",
      `https://api.workos.com/user_management/${clientId}`,
    ]);

    // WorkOS is not reachable offline: serve its key set through an injected fetch.
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(publicKey)), kid: "workos-key", alg: "RS256", use: "sig" };
    const jwksUrl = `https://api.workos.com/sso/jwks/${clientId}`;
    const fetched: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      fetched.push(url);
      return url === jwksUrl ? Response.json({ keys: [jwk] }) : new Response("not found", { status: 404 });
    }) as typeof fetch;
    const verifier = createJwtVerifier(config.providers, { fetch: fakeFetch });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sid: "session_1" })
      .setProtectedHeader({ alg: "RS256", kid: "workos-key" })
      .setIssuer(`https://api.workos.com/user_management/${clientId}`)
      .setSubject("user_01OWNER")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const result = await verifier.verify(token);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.identity.tokenIdentifier).toBe(`https://api.workos.com/user_management/${clientId}|user_01OWNER`);
    expect(fetched).toContain(jwksUrl);

    // The same token under the local runtime's configuration is refused: no WorkOS provider there.
    const local = await loadAuthConfig({ WORKOS_CLIENT_ID: undefined, CLAWSYNC_LOCAL_AUTH_ISSUER: "http://127.0.0.1:3211" });
    expect((await createJwtVerifier(local.providers, { fetch: fakeFetch }).verify(token)).ok).toBe(false);
  });
});
