import { describe, expect, it, vi } from "vitest";

import { capabilityContext, type CapabilityDeps } from "../../../convex/skills/code/capabilities";

function deps(overrides: Partial<CapabilityDeps> = {}): CapabilityDeps {
  return {
    allowedHosts: ["api.search.example"],
    declaredSecrets: ["SEARCH_KEY"],
    signal: new AbortController().signal,
    readSecret: vi.fn(async (name: string) => (name === "SEARCH_KEY" ? "value-of-search-key" : undefined)),
    fetch: vi.fn(async () => ({ ok: true as const, status: 200, body: new TextEncoder().encode("hello"), contentType: "text/plain" })),
    ...overrides,
  };
}

describe("a code skill's capabilities", () => {
  it("are all a code skill gets: a signal, its own secrets and the guarded fetch, never a database, the environment or the run's context", () => {
    const { context } = capabilityContext(deps());
    expect(Object.keys(context).sort()).toEqual(["fetch", "secret", "signal"]);
  });

  it("fetch a declared, allowlisted host through the guarded fetch", async () => {
    const d = deps();
    const { context, refusal } = capabilityContext(d);
    expect(await context.fetch("https://api.search.example/q?x=1", { headers: { A: "b" } })).toEqual({ ok: true, status: 200, text: "hello", contentType: "text/plain" });
    expect(d.fetch).toHaveBeenCalledWith({ url: "https://api.search.example/q?x=1", method: "GET", headers: { A: "b" } });
    expect(refusal()).toBeNull();
  });

  it.each([
    ["an undeclared host", "https://evil.example/steal"],
    ["a longer name ending in a declared one", "https://api.search.example.evil.net/"],
    ["an IP address", "https://127.0.0.1/"],
    ["not a URL", "nonsense"],
  ])("refuse %s without any network call, and fail the run even if the skill carries on", async (_name, url) => {
    const d = deps();
    const { context, refusal } = capabilityContext(d);
    expect(await context.fetch(url)).toMatchObject({ ok: false, code: "DOMAIN_NOT_ALLOWED" });
    expect(d.fetch).not.toHaveBeenCalled();
    expect(refusal()).toMatchObject({ code: "DOMAIN_NOT_ALLOWED" });
  });

  it("record a refusal of the guarded fetch itself (a private address behind an allowed name)", async () => {
    const { context, refusal } = capabilityContext(deps({ fetch: async () => ({ ok: false, code: "ADDRESS_BLOCKED", message: "private" }) }));
    await context.fetch("https://api.search.example/");
    expect(refusal()).toEqual({ code: "ADDRESS_BLOCKED", message: "private", refusedHost: "api.search.example" });
  });

  it("do not treat a failing remote service as a security refusal", async () => {
    const { context, refusal } = capabilityContext(deps({ fetch: async () => ({ ok: false, code: "TIMEOUT", message: "slow" }) }));
    expect(await context.fetch("https://api.search.example/")).toMatchObject({ ok: false, code: "TIMEOUT" });
    expect(refusal()).toBeNull();
  });

  it("read a declared secret of the skill", async () => {
    const { context } = capabilityContext(deps());
    await expect(context.secret("SEARCH_KEY")).resolves.toBe("value-of-search-key");
  });

  it("refuse an undeclared secret without reading the store, keeping the first refusal", async () => {
    const d = deps();
    const { context, refusal } = capabilityContext(d);
    await expect(context.secret("OTHER_SKILLS_KEY")).rejects.toThrow("not available");
    await context.fetch("https://evil.example/");
    expect(d.readSecret).not.toHaveBeenCalled();
    expect(refusal()).toMatchObject({ code: "SECRET_NOT_PERMITTED" });
  });

  it("report a declared secret that is not set", async () => {
    const { context, refusal } = capabilityContext(deps({ readSecret: async () => undefined }));
    await expect(context.secret("SEARCH_KEY")).rejects.toThrow("not set");
    expect(refusal()).toMatchObject({ code: "SECRET_UNAVAILABLE" });
  });
});
