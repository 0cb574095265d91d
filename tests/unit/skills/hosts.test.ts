import { describe, expect, it } from "vitest";

import { hostOf, invocationHosts } from "../../../convex/skills/hosts";

const template = (templateKey: string, config: object) => ({
  type: "template" as const,
  template: { templateKey: templateKey as "calculator", configJson: JSON.stringify(config), templateVersion: 1 },
  webhook: undefined,
  code: undefined,
});

describe("the hosts a call contacts", () => {
  it("takes a webhook's host from its URL template, placeholders and all", () => {
    const skill = { type: "webhook" as const, template: undefined, code: undefined, webhook: { method: "GET" as const, urlTemplate: "https://API.Example.com./v1/{id}?q={q}", headers: [], responseFormat: "json" as const } };
    expect(invocationHosts(skill, {})).toEqual({ ok: true, hosts: ["api.example.com"] });
  });

  it.each([
    ["rssFetcher", { feedUrl: "https://news.example.org/feed.xml" }, {}, ["news.example.org"]],
    ["apiCaller", { urlTemplate: "https://api.example.net/v1/{id}" }, {}, ["api.example.net"]],
    ["webhookCaller", { url: "https://hooks.example.com/x" }, {}, ["hooks.example.com"]],
    ["webPageReader", {}, { url: "https://docs.example.com/page" }, ["docs.example.com"]],
    ["emailSender", {}, {}, ["api.resend.com"]],
    ["calculator", {}, { expression: "https://evil.example" }, []],
  ])("%s contacts the host its config or input names", (key, config, input, hosts) => {
    expect(invocationHosts(template(key, config), input)).toEqual({ ok: true, hosts });
  });

  it("refuses a URL that is missing or not a URL", () => {
    expect(invocationHosts(template("webPageReader", {}), { url: "not a url" })).toMatchObject({ ok: false });
    expect(invocationHosts(template("rssFetcher", {}), {})).toMatchObject({ ok: false });
  });

  it("leaves code skills to be checked at each fetch", () => {
    expect(invocationHosts({ type: "code", template: undefined, webhook: undefined, code: undefined }, {})).toEqual({ ok: true, hosts: [] });
  });

  it.each([
    ["https://a.example/x", "a.example"],
    ["not a url", null],
    [42, null],
  ])("hostOf(%j) is %j", (url, host) => {
    expect(hostOf(url)).toBe(host);
  });
});
