// The SSRF rules of convex/security/ssrf.ts as truth tables: every hostile URL form refused with its
// code (internal names and addresses refused even when an owner put them on the allowlist), the
// address classifier range by range, the allowlist's host syntax, and webhook URL templates whose
// parameters stay inside their path segment or query value whatever they hold.
import { describe, expect, it } from "vitest";

import {
  checkUrlTemplate,
  classifyAddress,
  encodeTemplateValue,
  isValidAllowlistHost,
  MAX_URL_LENGTH,
  parseOutboundUrl,
  substituteUrlTemplate,
  type OutboundUrlCode,
} from "../../../convex/security/ssrf.ts";

/**
 * An allowlist an owner filled carelessly: next to the real hosts it names internal hosts and
 * addresses, so each refusal below comes from the SSRF rules, not from the allowlist.
 */
const ALLOWED = [
  "example.com",
  "api.example.com",
  "localhost",
  "foo.localhost",
  "metadata",
  "metadata.google.internal",
  "printer.local",
  "intranet",
  "127.0.0.1",
  "10.0.0.1",
  "169.254.169.254",
  "::1",
] as const;

describe("parseOutboundUrl: hostile forms", () => {
  it.each<[string, string, OutboundUrlCode]>([
    ["plain http", "http://example.com/", "URL_INVALID"],
    ["ftp", "ftp://example.com/file", "URL_INVALID"],
    ["file", "file:///etc/passwd", "URL_INVALID"],
    ["javascript", "javascript:alert(1)", "URL_INVALID"],
    ["data", "data:text/plain,hello", "URL_INVALID"],
    ["https without slashes", "https:example.com", "URL_INVALID"],
    ["https with three slashes", "https:///example.com/", "URL_INVALID"],
    ["an empty host", "https://", "URL_INVALID"],
    ["not a URL at all", "example.com", "URL_INVALID"],
    ["userinfo pointing at loopback", "https://example.com@127.0.0.1/", "URL_INVALID"],
    ["user and password", "https://user:pass@example.com/", "URL_INVALID"],
    ["encoded slash in userinfo", "https://example.com%2f@127.0.0.1/", "URL_INVALID"],
    ["an @ after a fragment mark", "https://127.0.0.1#@example.com", "ADDRESS_BLOCKED"],
    ["decimal IPv4", "https://2130706433/", "ADDRESS_BLOCKED"],
    ["hex IPv4", "https://0x7f000001/", "ADDRESS_BLOCKED"],
    ["dotted hex IPv4", "https://0x7f.0x0.0x0.0x1/", "ADDRESS_BLOCKED"],
    ["octal IPv4", "https://0177.0.0.01/", "ADDRESS_BLOCKED"],
    ["short IPv4 127.1", "https://127.1/", "ADDRESS_BLOCKED"],
    ["short IPv4 10.1", "https://10.1/", "ADDRESS_BLOCKED"],
    ["mixed hex short IPv4", "https://0x7f.1/", "ADDRESS_BLOCKED"],
    ["percent-encoded IPv4 host", "https://%31%32%37.0.0.1/", "ADDRESS_BLOCKED"],
    ["unspecified 0.0.0.0", "https://0.0.0.0/", "ADDRESS_BLOCKED"],
    ["cloud metadata address", "https://169.254.169.254/latest/meta-data/", "ADDRESS_BLOCKED"],
    ["cloud metadata name", "https://metadata.google.internal/computeMetadata/v1/", "ADDRESS_BLOCKED"],
    ["cloud metadata short name", "https://metadata/", "ADDRESS_BLOCKED"],
    ["CGNAT", "https://100.64.0.1/", "ADDRESS_BLOCKED"],
    ["private 192.168", "https://192.168.1.1/", "ADDRESS_BLOCKED"],
    ["private 172.16", "https://172.16.0.1/", "ADDRESS_BLOCKED"],
    ["private 172.31", "https://172.31.255.255/", "ADDRESS_BLOCKED"],
    ["private 10.x", "https://10.0.0.1/", "ADDRESS_BLOCKED"],
    ["multicast", "https://224.0.0.1/", "ADDRESS_BLOCKED"],
    ["broadcast", "https://255.255.255.255/", "ADDRESS_BLOCKED"],
    ["benchmarking", "https://198.18.0.1/", "ADDRESS_BLOCKED"],
    ["documentation", "https://192.0.2.1/", "ADDRESS_BLOCKED"],
    ["IPv6 loopback", "https://[::1]/", "ADDRESS_BLOCKED"],
    ["IPv6 unspecified", "https://[::]/", "ADDRESS_BLOCKED"],
    ["IPv4-mapped loopback, dotted", "https://[::ffff:127.0.0.1]/", "ADDRESS_BLOCKED"],
    ["IPv4-mapped loopback, hex", "https://[::ffff:7f00:1]/", "ADDRESS_BLOCKED"],
    ["IPv4-mapped metadata, long form", "https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "ADDRESS_BLOCKED"],
    ["IPv4-mapped metadata, dotted", "https://[::ffff:169.254.169.254]/", "ADDRESS_BLOCKED"],
    ["IPv4-compatible loopback", "https://[::7f00:1]/", "ADDRESS_BLOCKED"],
    ["IPv6 link-local", "https://[fe80::1]/", "ADDRESS_BLOCKED"],
    ["IPv6 unique-local fc00", "https://[fc00::1]/", "ADDRESS_BLOCKED"],
    ["IPv6 unique-local fd12", "https://[fd12::1]/", "ADDRESS_BLOCKED"],
    ["IPv6 multicast", "https://[ff02::1]/", "ADDRESS_BLOCKED"],
    ["IPv6 documentation", "https://[2001:db8::1]/", "ADDRESS_BLOCKED"],
    ["NAT64 of loopback", "https://[64:ff9b::7f00:1]/", "ADDRESS_BLOCKED"],
    ["6to4 of loopback", "https://[2002:7f00:1::]/", "ADDRESS_BLOCKED"],
    ["Teredo", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "ADDRESS_BLOCKED"],
    ["localhost", "https://localhost/", "ADDRESS_BLOCKED"],
    ["LOCALHOST with a trailing dot", "https://LOCALHOST./", "ADDRESS_BLOCKED"],
    ["a .localhost subdomain", "https://foo.localhost/", "ADDRESS_BLOCKED"],
    ["an mDNS .local name", "https://printer.local/", "ADDRESS_BLOCKED"],
    ["a single-label name", "https://intranet/", "ADDRESS_BLOCKED"],
    ["metadata name with a trailing dot", "https://metadata.google.internal./", "ADDRESS_BLOCKED"],
    ["loopback with a trailing dot", "https://127.0.0.1./", "ADDRESS_BLOCKED"],
    ["an allowlisted name as a prefix", "https://evil-example.com/", "DOMAIN_NOT_ALLOWED"],
    ["an allowlisted name as a left part", "https://example.com.evil.com/", "DOMAIN_NOT_ALLOWED"],
    ["a subdomain of an allowlisted name", "https://sub.example.com/", "DOMAIN_NOT_ALLOWED"],
    ["a public IP not on the allowlist", "https://8.8.8.8/", "DOMAIN_NOT_ALLOWED"],
    ["Cyrillic е homograph of example.com", "https://\u0435xample.com/", "DOMAIN_NOT_ALLOWED"],
    ["an explicit port 8443", "https://example.com:8443/", "URL_INVALID"],
    ["an explicit port 22", "https://example.com:22/", "URL_INVALID"],
    ["two trailing dots", "https://example.com../", "URL_INVALID"],
    ["a URL over the length limit", `https://example.com/${"a".repeat(MAX_URL_LENGTH)}`, "URL_INVALID"],
    ["a host name over 253 characters", `https://${`${"a".repeat(60)}.`.repeat(5)}com/`, "URL_INVALID"],
    ["a label over 63 characters", `https://${"a".repeat(64)}.example.com/`, "URL_INVALID"],
    ["a backslash before @", "https://example.com\\@127.0.0.1", "URL_INVALID"],
    ["backslashes for slashes", "https:\\\\127.0.0.1\\", "URL_INVALID"],
    ["a tab inside the host", "https://exa\tmple.com/", "URL_INVALID"],
    ["a newline inside the host", "https://exa\nmple.com/", "URL_INVALID"],
    ["CR/LF in the path", "https://example.com/\r\nHost: evil", "URL_INVALID"],
    ["a leading space", " https://example.com/", "URL_INVALID"],
    ["a NUL byte", "https://example.com/\u0000", "URL_INVALID"],
    ["a percent-encoded NUL in the host", "https://example.com%00.evil.com/", "URL_INVALID"],
    ["a percent-encoded space in the host", "https://exa%20mple.com/", "URL_INVALID"],
  ])("refuses %s", (_name, url, code) => {
    const result = parseOutboundUrl(url, ALLOWED);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.reason.length).toBeGreaterThan(0);
    }
  });

  it("refuses internal hosts even when they are the only allowlist entries", () => {
    for (const url of ["https://localhost/", "https://127.0.0.1/", "https://[::1]/", "https://169.254.169.254/"]) {
      expect(parseOutboundUrl(url, ["localhost", "127.0.0.1", "::1", "169.254.169.254"])).toMatchObject({ ok: false, code: "ADDRESS_BLOCKED" });
    }
  });

  it("refuses every host when the allowlist is empty", () => {
    expect(parseOutboundUrl("https://example.com/", [])).toMatchObject({ ok: false, code: "DOMAIN_NOT_ALLOWED" });
  });
});

describe("parseOutboundUrl: allowed calls", () => {
  it.each<[string, string, readonly string[], string, string, boolean]>([
    ["an allowlisted host", "https://example.com/", ALLOWED, "https://example.com/", "example.com", false],
    ["upper-case scheme and host", "HTTPS://EXAMPLE.COM/Path?q=1", ALLOWED, "https://example.com/Path?q=1", "example.com", false],
    ["a trailing dot on an allowlisted host", "https://example.com./x", ALLOWED, "https://example.com./x", "example.com", false],
    ["the default port written out", "https://example.com:443/x", ALLOWED, "https://example.com/x", "example.com", false],
    ["a fragment, dropped", "https://api.example.com/v1?x=1#frag", ALLOWED, "https://api.example.com/v1?x=1", "api.example.com", false],
    ["an allowlist entry written in upper case", "https://example.com/", ["EXAMPLE.COM"], "https://example.com/", "example.com", false],
    ["a public IPv4 literal on the allowlist", "https://8.8.8.8/dns", ["8.8.8.8"], "https://8.8.8.8/dns", "8.8.8.8", true],
    ["a public IPv6 literal on the allowlist", "https://[2606:4700:4700::1111]/", ["2606:4700:4700::1111"], "https://[2606:4700:4700::1111]/", "2606:4700:4700::1111", true],
    ["an IDN host allowlisted in punycode", "https://bücher.example/", ["xn--bcher-kva.example"], "https://xn--bcher-kva.example/", "xn--bcher-kva.example", false],
  ])("allows %s", (_name, raw, allowed, href, host, isIpLiteral) => {
    const result = parseOutboundUrl(raw, allowed);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.url.href).toBe(href);
      expect(result.host).toBe(host);
      expect(result.isIpLiteral).toBe(isIpLiteral);
    }
  });
});

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "8.8.8.8"],
    ["1.1.1.1", "1.1.1.1"],
    ["93.184.215.14", "93.184.215.14"],
    ["::ffff:8.8.8.8", "8.8.8.8"],
    ["::ffff:808:808", "8.8.8.8"],
    ["2606:4700:4700::1111", "2606:4700:4700::1111"],
    ["2a00:1450:4001:81b:0:0:0:200e", "2a00:1450:4001:81b::200e"],
  ])("allows public %s, connecting to %s", (ip, address) => {
    expect(classifyAddress(ip)).toEqual({ allowed: true, address });
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.255", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.51.100.1", "reserved"],
    ["203.0.113.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.88.99.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["100::1", "discard"],
    ["2001:db8::1", "reserved"],
    ["2001:2::1", "benchmarking"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:a9fe:a9fe", "linkLocal"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:0:7f00:1", "rfc6145"],
    ["64:ff9b::7f00:1", "rfc6052"],
    ["64:ff9b::808:808", "rfc6052"],
    ["2002:7f00:1::", "6to4"],
    ["2002:808:808::", "6to4"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["::7f00:1", "nonGlobal"],
    ["1::1", "nonGlobal"],
  ])("refuses %s as %s", (ip, range) => {
    expect(classifyAddress(ip)).toEqual({ allowed: false, range });
  });

  it.each([
    ["empty", ""],
    ["a name", "localhost"],
    ["short IPv4", "127.1"],
    ["hex IPv4", "0x7f000001"],
    ["decimal IPv4", "2130706433"],
    ["leading-zero IPv4", "010.0.0.1"],
    ["five parts", "1.2.3.4.5"],
    ["an IPv6 zone", "fe80::1%eth0"],
    ["a public IPv6 with a zone", "2606:4700:4700::1111%eth0"],
    ["brackets", "[::1]"],
    ["surrounding space", " 8.8.8.8"],
    ["a CIDR", "8.8.8.0/24"],
  ])("refuses %s as invalid", (_name, ip) => {
    expect(classifyAddress(ip)).toEqual({ allowed: false, range: "invalid" });
  });
});

describe("isValidAllowlistHost", () => {
  it.each([
    ["example.com", true],
    ["api.example.com", true],
    ["a.b.c.example.co.uk", true],
    ["my-api.example.com", true],
    ["0-1.example.com", true],
    ["xn--bcher-kva.example", true],
    [`${"a".repeat(63)}.example.com`, true],
    ["", false],
    ["example", false],
    ["Example.com", false],
    ["*.example.com", false],
    ["https://example.com", false],
    ["example.com:443", false],
    ["example.com/path", false],
    ["user@example.com", false],
    ["example.com.", false],
    [".example.com", false],
    ["a..example.com", false],
    ["-example.com", false],
    ["example-.com", false],
    ["exa_mple.com", false],
    ["ex ample.com", false],
    ["éxample.com", false],
    [`${"a".repeat(64)}.example.com`, false],
    [`${`${"a".repeat(62)}.`.repeat(4)}com`, false],
    ["127.0.0.1", false],
    ["8.8.8.8", false],
    ["::1", false],
    ["[::1]", false],
    ["example.123", false],
    ["localhost", false],
    ["foo.localhost", false],
    ["metadata.google.internal", false],
    ["printer.local", false],
  ])("%j -> %s", (host, expected) => {
    expect(isValidAllowlistHost(host)).toBe(expected);
  });
});

const TEMPLATE = "https://api.example.com/v1/items/{id}?q={query}";

/** Hostile parameter values and the exact encoding each must come out as. */
const INJECTIONS: [string, string, string][] = [
  ["a parent-directory climb", "../admin", "..%2Fadmin"],
  ["a slash", "a/b", "a%2Fb"],
  ["a query of its own", "x?y=1", "x%3Fy%3D1"],
  ["a fragment", "#frag", "%23frag"],
  ["an @ host", "@evil.com", "%40evil.com"],
  ["pre-encoded dots", "%2e%2e", "%252e%252e"],
  ["header injection", "\r\nHost: evil", "%0D%0AHost%3A%20evil"],
  ["an absolute URL", "https://evil.com/steal", "https%3A%2F%2Fevil.com%2Fsteal"],
  ["a protocol-relative URL", "//evil.com", "%2F%2Fevil.com"],
  ["a backslash", "a\\b", "a%5Cb"],
  ["an ampersand and equals", "a&admin=1", "a%26admin%3D1"],
  ["a plus", "1+1", "1%2B1"],
  ["quotes and parentheses", "'()*!", "%27%28%29%2A%21"],
  ["unicode", "é\u202e", "%C3%A9%E2%80%AE"],
];

describe("substituteUrlTemplate", () => {
  it("fills a plain template", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: 42, query: "red shoes" })).toEqual({
      ok: true,
      url: "https://api.example.com/v1/items/42?q=red%20shoes",
    });
  });

  it("writes numbers and booleans as text", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: 1.5, query: false })).toEqual({ ok: true, url: "https://api.example.com/v1/items/1.5?q=false" });
  });

  it.each(INJECTIONS)("keeps %s inside its path segment", (_name, value, encoded) => {
    const result = substituteUrlTemplate(TEMPLATE, { id: value, query: "ok" });
    expect(result).toEqual({ ok: true, url: `https://api.example.com/v1/items/${encoded}?q=ok` });
    if (!result.ok) return;
    const url = new URL(result.url);
    expect(url.origin).toBe("https://api.example.com");
    const segments = url.pathname.split("/");
    expect(segments).toHaveLength(4);
    expect(decodeURIComponent(segments[3])).toBe(value);
    expect([...url.searchParams.entries()]).toEqual([["q", "ok"]]);
    expect(url.hash).toBe("");
  });

  it.each(INJECTIONS)("keeps %s inside its query value", (_name, value, encoded) => {
    const result = substituteUrlTemplate(TEMPLATE, { id: "7", query: value });
    expect(result).toEqual({ ok: true, url: `https://api.example.com/v1/items/7?q=${encoded}` });
    if (!result.ok) return;
    const url = new URL(result.url);
    expect(url.origin).toBe("https://api.example.com");
    expect(url.pathname).toBe("/v1/items/7");
    expect([...url.searchParams.entries()]).toEqual([["q", value]]);
    expect(url.hash).toBe("");
  });

  it.each([[".."], ["."]])("refuses %j as a whole path segment", (value) => {
    expect(substituteUrlTemplate(TEMPLATE, { id: value, query: "ok" })).toEqual({ ok: false, reason: "A parameter would make a . or .. path segment." });
  });

  it("refuses two placeholders that together make a .. segment", () => {
    expect(substituteUrlTemplate("https://api.example.com/v1/{a}{b}/x", { a: ".", b: "." })).toMatchObject({ ok: false });
  });

  it("allows dots inside a longer segment and in a query value", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: "...", query: ".." })).toEqual({ ok: true, url: "https://api.example.com/v1/items/...?q=.." });
  });

  it("refuses an empty path parameter but allows an empty query value", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: "", query: "x" })).toEqual({ ok: false, reason: "The parameter id is empty, and it fills part of the path." });
    expect(substituteUrlTemplate(TEMPLATE, { id: "1", query: "" })).toEqual({ ok: true, url: "https://api.example.com/v1/items/1?q=" });
  });

  it("refuses a missing parameter, naming it", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: "1" })).toEqual({ ok: false, reason: "The parameter query is missing." });
  });

  it("does not take a parameter from the object prototype", () => {
    expect(substituteUrlTemplate("https://api.example.com/{toString}", {})).toEqual({ ok: false, reason: "The parameter toString is missing." });
  });

  it("refuses a result over the length limit", () => {
    expect(substituteUrlTemplate(TEMPLATE, { id: "1", query: "a".repeat(MAX_URL_LENGTH) })).toMatchObject({ ok: false });
  });

  it.each([
    ["a placeholder in the host", "https://{sub}.example.com/"],
    ["a placeholder as the host", "https://{host}/x"],
    ["a placeholder in the port", "https://api.example.com:{port}/"],
    ["a placeholder in the userinfo", "https://{user}@api.example.com/"],
    ["a placeholder in the scheme", "{scheme}://api.example.com/"],
  ])("refuses a template with %s", (_name, template) => {
    expect(substituteUrlTemplate(template, { sub: "a", host: "a", port: "1", user: "a", scheme: "https" })).toMatchObject({ ok: false });
  });
});

describe("checkUrlTemplate", () => {
  it("returns the origin, host and placeholders of a good template", () => {
    expect(checkUrlTemplate("https://api.example.com/v1/{a}/{b}?x={a}")).toEqual({
      ok: true,
      origin: "https://api.example.com",
      host: "api.example.com",
      placeholders: ["a", "b"],
    });
    expect(checkUrlTemplate("https://api.example.com")).toEqual({ ok: true, origin: "https://api.example.com", host: "api.example.com", placeholders: [] });
  });

  it.each([
    ["http", "http://api.example.com/{id}"],
    ["no scheme", "api.example.com/{id}"],
    ["a placeholder in the host", "https://{sub}.example.com/"],
    ["a placeholder in the port", "https://api.example.com:{port}/"],
    ["a placeholder in the userinfo", "https://{user}@api.example.com/"],
    ["userinfo", "https://user@api.example.com/{id}"],
    ["an explicit port", "https://api.example.com:8443/{id}"],
    ["a fragment", "https://api.example.com/{id}#top"],
    ["an unclosed brace", "https://api.example.com/{id"],
    ["a stray closing brace", "https://api.example.com/id}"],
    ["a placeholder with a bad name", "https://api.example.com/{a-b}"],
    ["an empty placeholder", "https://api.example.com/{}"],
    ["an IP host", "https://8.8.8.8/{id}"],
    ["a loopback host", "https://127.0.0.1/{id}"],
    ["localhost", "https://localhost/{id}"],
    ["a metadata host", "https://metadata.google.internal/{id}"],
    ["a dot segment", "https://api.example.com/a/../{id}"],
    ["a space", "https://api.example.com/a b/{id}"],
    ["a backslash", "https://api.example.com\\@evil.com/{id}"],
    ["a raw non-ASCII path", "https://api.example.com/ü/{id}"],
    ["an empty host", "https:///{id}"],
  ])("refuses %s", (_name, template) => {
    expect(checkUrlTemplate(template)).toMatchObject({ ok: false });
  });
});

describe("encodeTemplateValue", () => {
  it("leaves only unreserved characters and %XX escapes", () => {
    const every = Array.from({ length: 0x250 }, (_, i) => String.fromCharCode(i)).join("");
    expect(encodeTemplateValue(every)).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
  });
});
