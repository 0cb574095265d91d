// The web app's configuration (src/lib/config.ts): the URLs an owner's token travels to must be
// https unless they point at this machine, and the defaults are the local runtime's.
import { describe, expect, it } from "vitest";

import { loadConfig } from "../../../src/lib/config.ts";

const PAGE = "http://127.0.0.1:5173";

describe("web app configuration", () => {
  it("defaults to the local runtime with the local identity provider", () => {
    expect(loadConfig({}, PAGE)).toEqual({
      ok: true,
      config: { convexUrl: "http://127.0.0.1:3210", siteUrl: "http://127.0.0.1:3211", workos: null },
    });
  });

  it("derives the HTTP-actions URL of a Convex Cloud deployment", () => {
    const result = loadConfig({ VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud" }, PAGE);
    expect(result).toMatchObject({ ok: true, config: { siteUrl: "https://happy-otter-123.convex.site" } });
  });

  it.each([
    ["plain http to another host", { VITE_CONVEX_URL: "http://deployment.example.com" }, "must use https://"],
    ["plain http for the site", { VITE_CONVEX_SITE_URL: "http://site.example.com" }, "must use https://"],
    ["another scheme", { VITE_CONVEX_URL: "ftp://deployment.example.com" }, "must start with https://"],
    ["credentials in the URL", { VITE_CONVEX_URL: "https://user:pass@deployment.example.com" }, "without credentials"],
    ["a redirect without a client id", { VITE_WORKOS_REDIRECT_URI: "https://app.example.com/syncboard" }, "set both or neither"],
  ])("refuses %s", (_name, source, problem) => {
    const result = loadConfig(source, PAGE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).toContain(problem);
  });

  it("selects WorkOS AuthKit when a client id is set, returning to /syncboard by default", () => {
    const result = loadConfig({ VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud", VITE_WORKOS_CLIENT_ID: "client_01ABC" }, "https://app.example.com");
    expect(result).toMatchObject({ ok: true, config: { workos: { clientId: "client_01ABC", redirectUri: "https://app.example.com/syncboard" } } });
  });
});
