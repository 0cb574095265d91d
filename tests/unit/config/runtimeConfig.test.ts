// local/config.ts: the runtime's settings are validated at start with a clear message, it binds to
// loopback unless told otherwise, and it answers only for its own Host names.
import path from "node:path";

import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig, PROJECT_ROOT } from "../../../local/config.ts";

describe("runtime configuration", () => {
  it("defaults to the documented ports, loopback and the .clawsync data folder", () => {
    const config = loadConfig({});
    expect([config.apiPort, config.sitePort, config.uiPort]).toEqual([3210, 3211, 5173]);
    expect(config.host).toBe("127.0.0.1");
    expect(config.cloudUrl).toBe("http://127.0.0.1:3210");
    expect(config.siteUrl).toBe("http://127.0.0.1:3211");
    expect(config.dataDir).toBe(path.join(PROJECT_ROOT, ".clawsync"));
    expect(config.exposeInternalErrors).toBe(false);
  });

  it("gives functions the deployment URLs and the local identity provider's issuer", () => {
    const config = loadConfig({ CLAWSYNC_SITE_PORT: "4001", CUSTOM_SETTING: "x" });
    expect(config.functionEnv).toMatchObject({
      CONVEX_CLOUD_URL: "http://127.0.0.1:3210",
      CONVEX_SITE_URL: "http://127.0.0.1:4001",
      CLAWSYNC_LOCAL_AUTH_ISSUER: "http://127.0.0.1:4001",
      CUSTOM_SETTING: "x",
    });
  });

  it.each([
    [{ CLAWSYNC_API_PORT: "abc" }, "CLAWSYNC_API_PORT must be a port number"],
    [{ CLAWSYNC_SITE_PORT: "70000" }, "CLAWSYNC_SITE_PORT must be a port number"],
    [{ CLAWSYNC_UI_PORT: "3210" }, "must differ"],
    [{ CLAWSYNC_HOST: "0.0.0.0" }, "would expose the runtime beyond this machine"],
  ])("refuses %j with a clear message", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("binds beyond loopback only with explicit confirmation", () => {
    expect(loadConfig({ CLAWSYNC_HOST: "0.0.0.0", CLAWSYNC_ALLOW_NON_LOOPBACK: "1" }).host).toBe("0.0.0.0");
  });

  it("answers only for its own Host names, plus those explicitly allowed", () => {
    const config = loadConfig({ CLAWSYNC_ALLOWED_HOSTS: "clawsync.test:3210, Other.Test:5173" });
    for (const host of ["127.0.0.1:3210", "localhost:3211", "[::1]:5173", "clawsync.test:3210", "other.test:5173"]) expect(config.allowedHosts.has(host)).toBe(true);
    for (const host of ["evil.example:3210", "127.0.0.1", "localhost:80"]) expect(config.allowedHosts.has(host)).toBe(false);
  });
});
