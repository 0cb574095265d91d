// Which URLs in the agent's markdown become links (src/lib/chat/markdownUrls.ts). The model reads
// untrusted content, so every variant of a dangerous or misleading URL must stay plain text.
import { describe, expect, it } from "vitest";

import { markdownUrlTransform, safeLinkUrl } from "../../../src/lib/chat/markdownUrls.ts";

describe("safeLinkUrl", () => {
  it.each([
    ["https", "https://example.com/docs?q=1#part", "https://example.com/docs?q=1#part"],
    ["http", "http://example.com", "http://example.com/"],
    ["mailto", "mailto:owner@example.com", "mailto:owner@example.com"],
    ["upper-case scheme and host, normalised", "HTTPS://EXAMPLE.com/A", "https://example.com/A"],
    ["surrounding spaces", "  https://example.com/  ", "https://example.com/"],
    ["an IDN host, shown as punycode", "https://bücher.example/", "https://xn--bcher-kva.example/"],
  ])("links %s", (_name, input, expected) => {
    expect(safeLinkUrl(input)).toBe(expected);
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["javascript: in mixed case", "JaVaScRiPt:alert(1)"],
    ["javascript: split by a tab", "java\tscript:alert(1)"],
    ["javascript: split by a newline", "java\nscript:alert(1)"],
    ["javascript: after control characters", "\u0001javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["file:", "file:///etc/passwd"],
    ["blob:", "blob:https://example.com/uuid"],
    ["ftp:", "ftp://example.com/file"],
    ["tel:", "tel:+123"],
    ["a relative path", "/syncboard/soul"],
    ["a relative path without slash", "docs/page"],
    ["a fragment (GFM footnotes)", "#user-content-fn-1"],
    ["a protocol-relative URL", "//evil.example/x"],
    ["credentials hiding the real host", "https://bank.example@evil.example/login"],
    ["a password", "https://user:secret@example.com/"],
    ["a scheme and nothing else", "https:"],
    ["an empty string", ""],
    ["only spaces", "   "],
    ["an overlong URL", `https://example.com/${"a".repeat(2100)}`],
  ])("leaves %s as text", (_name, input) => {
    expect(safeLinkUrl(input)).toBeNull();
  });

  it("is what react-markdown's urlTransform uses for every URL attribute", () => {
    expect(markdownUrlTransform("javascript:alert(1)")).toBeNull();
    expect(markdownUrlTransform("https://example.com/a.png")).toBe("https://example.com/a.png");
  });
});
