// The RSS template's parser (convex/skills/templates/rss.ts): RSS and Atom feeds become a few
// plain-text items. Feeds come from anyone's server, so entity tricks, script links, HTML in
// summaries and oversize documents must all come out harmless.
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  RSS_LIMITS,
  configSchema,
  decodeXmlText,
  inputSchema,
  parseFeed,
  resolveItemLimit,
  safeFeedLink,
} from "../../../convex/skills/templates/rss.ts";

const rss = (items: string, channelTitle = "News") =>
  `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${channelTitle}</title>
    <link>https://news.example/</link>
    ${items}
  </channel>
</rss>`;

const atom = (entries: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Blog</title>
  <link href="https://blog.example/"/>
  ${entries}
</feed>`;

const itemsOf = (xml: string, options?: Parameters<typeof parseFeed>[1]) => {
  const result = parseFeed(xml, options);
  if (!result.ok) throw new Error(result.error);
  return result.items;
};

describe("parseFeed: RSS 2.0", () => {
  it("reads a complete item", () => {
    const xml = rss(`
      <item>
        <title>First post</title>
        <link>https://news.example/1</link>
        <description>A short summary.</description>
        <pubDate>Mon, 01 Jan 2024 10:30:00 GMT</pubDate>
        <guid>https://news.example/1</guid>
      </item>`);
    expect(parseFeed(xml)).toEqual({
      ok: true,
      format: "rss",
      title: "News",
      items: [{ title: "First post", link: "https://news.example/1", published: "2024-01-01T10:30:00.000Z", summary: "A short summary." }],
    });
  });

  it.each([
    ["no link: the permalink guid stands in", "<title>t</title><guid>https://news.example/g</guid>", { title: "t", link: "https://news.example/g", summary: "" }],
    ["no link and a non-permalink guid", "<title>t</title><guid isPermaLink=\"false\">https://news.example/g</guid>", { title: "t", link: null, summary: "" }],
    ["no link at all", "<title>t</title>", { title: "t", link: null, summary: "" }],
    ["no title", "<link>https://news.example/2</link>", { title: "", link: "https://news.example/2", summary: "" }],
    ["an unparseable date is left out", "<title>t</title><pubDate>someday</pubDate>", { title: "t", link: null, summary: "" }],
    ["dc:date when there is no pubDate", "<title>t</title><dc:date>2024-02-03T04:05:06Z</dc:date>", { title: "t", link: null, summary: "", published: "2024-02-03T04:05:06.000Z" }],
    ["a date with an offset, as UTC", "<pubDate>Tue, 02 Jan 2024 12:00:00 +0200</pubDate>", { title: "", link: null, summary: "", published: "2024-01-02T10:00:00.000Z" }],
    ["content:encoded when there is no description", "<content:encoded><![CDATA[<p>Full <em>text</em></p>]]></content:encoded>", { title: "", link: null, summary: "Full text" }],
    ["an empty description falls back to content:encoded", "<description></description><content:encoded>body</content:encoded>", { title: "", link: null, summary: "body" }],
    ["a numeric-looking title stays text", "<title>0123</title>", { title: "0123", link: null, summary: "" }],
    ["whitespace is collapsed", "<title>\n   spaced \t  out\n</title><link>\n  https://news.example/3\n</link>", { title: "spaced out", link: "https://news.example/3", summary: "" }],
  ])("%s", (_name, inner, expected) => {
    expect(itemsOf(rss(`<item>${inner}</item>`))).toEqual([expected]);
  });

  it.each([
    ["CDATA title, literal", "<title><![CDATA[Fish & Chips]]></title>", "Fish & Chips"],
    ["CDATA title with markup, stripped", "<title><![CDATA[Hello <b>there</b>]]></title>", "Hello there"],
    ["CDATA is not entity-decoded twice", "<title><![CDATA[AT&amp;T]]></title>", "AT&T"],
    ["escaped entities decoded once", "<title>Fish &amp; Chips</title>", "Fish & Chips"],
    ["double-escaped markup in a title", "<title>&lt;b&gt;Bold&lt;/b&gt; news</title>", "Bold news"],
    ["a less-than sign that is not a tag", "<title>Why a &lt; b matters</title>", "Why a < b matters"],
    ["character references", "<title>&#169; &#x2014; &#65;</title>", "© — A"],
    ["a forbidden character reference", "<title>a&#0;b</title>", "a\uFFFDb"],
    ["text mixed with CDATA keeps every word (CDATA first)", "<title>one <![CDATA[two]]> three</title>", "two one three"],
  ])("title: %s", (_name, inner, title) => {
    expect(itemsOf(rss(`<item>${inner}</item>`))[0].title).toBe(title);
  });

  it.each([
    ["escaped HTML", "<description>&lt;p&gt;Hello &lt;a href=\"x\"&gt;world&lt;/a&gt;&lt;/p&gt;</description>", "Hello world"],
    ["HTML in CDATA", "<description><![CDATA[<p>One</p><p>Two &amp; three</p>]]></description>", "One Two & three"],
    ["scripts and styles removed", "<description><![CDATA[a<script>alert(1)</script><style>x{}</style>b]]></description>", "ab"],
    ["an image with an onerror handler", "<description><![CDATA[<img src=x onerror=alert(1)>caption]]></description>", "caption"],
    ["an iframe", "<description><![CDATA[<iframe src=\"https://evil.example\"></iframe>text]]></description>", "text"],
  ])("summary: %s", (_name, inner, summary) => {
    expect(itemsOf(rss(`<item>${inner}</item>`))[0].summary).toBe(summary);
  });

  it("skips an empty item", () => {
    expect(itemsOf(rss("<item></item><item><title>t</title></item>"))).toEqual([{ title: "t", link: null, summary: "" }]);
  });

  it("cuts a long summary to 500 characters with an ellipsis", () => {
    const [item] = itemsOf(rss(`<item><description>${"word ".repeat(400)}</description></item>`));
    expect(item.summary).toHaveLength(RSS_LIMITS.summaryChars);
    expect(item.summary).toBe(`${"word ".repeat(100).slice(0, 499).trimEnd()}…`);
  });

  it("cuts a long title to 300 characters", () => {
    const [item] = itemsOf(rss(`<item><title>${"t".repeat(1000)}</title></item>`));
    expect(item.title).toBe(`${"t".repeat(299)}…`);
  });

  it("reads RSS 1.0 (RDF), whose items sit beside the channel", () => {
    const xml = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel><title>RDF news</title></channel>
  <item><title>One</title><link>https://rdf.example/1</link></item>
</rdf:RDF>`;
    expect(parseFeed(xml)).toEqual({ ok: true, format: "rss", title: "RDF news", items: [{ title: "One", link: "https://rdf.example/1", summary: "" }] });
  });

  it("accepts a bare DOCTYPE (RSS 0.91) and fetches nothing", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><title>Still works</title></item></channel></rss>`;
    expect(parseFeed(xml)).toEqual({ ok: true, format: "rss", title: "Old", items: [{ title: "Still works", link: null, summary: "" }] });
  });
});

describe("parseFeed: Atom", () => {
  it("reads a complete entry", () => {
    const xml = atom(`
      <entry>
        <title>Atom post</title>
        <link rel="alternate" type="text/html" href="https://blog.example/post"/>
        <link rel="self" href="https://blog.example/post.atom"/>
        <id>urn:uuid:1</id>
        <published>2024-03-04T05:06:07Z</published>
        <updated>2024-03-05T00:00:00Z</updated>
        <summary>Plain summary</summary>
      </entry>`);
    expect(parseFeed(xml)).toEqual({
      ok: true,
      format: "atom",
      title: "Blog",
      items: [{ title: "Atom post", link: "https://blog.example/post", published: "2024-03-04T05:06:07.000Z", summary: "Plain summary" }],
    });
  });

  it.each([
    ["a link without rel is the alternate", "<link href=\"https://blog.example/a\"/>", { title: "", link: "https://blog.example/a", summary: "" }],
    ["only a self link: used as the page", "<link rel=\"self\" href=\"https://blog.example/s\"/>", { title: "", link: "https://blog.example/s", summary: "" }],
    ["updated when there is no published", "<updated>2024-01-01T00:00:00+01:00</updated>", { title: "", link: null, summary: "", published: "2023-12-31T23:00:00.000Z" }],
    ["html title, stripped", "<title type=\"html\">&lt;em&gt;Big&lt;/em&gt; news</title>", { title: "Big news", link: null, summary: "" }],
    ["text summary keeps a literal less-than", "<summary type=\"text\">a &lt; b</summary>", { title: "", link: null, summary: "a < b" }],
    ["html summary, stripped", "<summary type=\"html\">&lt;p&gt;para&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</summary>", { title: "", link: null, summary: "para" }],
    ["content when there is no summary", "<content type=\"html\">&lt;b&gt;body&lt;/b&gt;</content>", { title: "", link: null, summary: "body" }],
    ["xhtml content, text only", "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>one</p><p>two</p></div></content>", { title: "", link: null, summary: "one two" }],
  ])("%s", (_name, inner, expected) => {
    expect(itemsOf(atom(`<entry>${inner}</entry>`))).toEqual([expected]);
  });

  it("resolves relative links against the feed's URL", () => {
    const xml = atom(`<entry><link href="/posts/1"/></entry>`);
    expect(itemsOf(xml, { baseUrl: "https://blog.example/feed.xml" })[0].link).toBe("https://blog.example/posts/1");
    expect(itemsOf(xml)[0].link).toBeNull();
  });
});

describe("parseFeed: how many items", () => {
  const many = (n: number) => rss(Array.from({ length: n }, (_, i) => `<item><title>${i}</title></item>`).join(""));

  it.each([
    ["20 by default", undefined, 20],
    ["the owner's maxItems", 5, 5],
    ["at least 1", 0, 1],
    ["at most 50", 500, 50],
    ["fractions round down", 2.9, 2],
  ])("%s", (_name, maxItems, count) => {
    expect(itemsOf(many(60), { maxItems })).toHaveLength(count);
  });

  it("keeps feed order", () => {
    expect(itemsOf(many(3)).map((i) => i.title)).toEqual(["0", "1", "2"]);
  });

  it("returns an empty list for a feed without items", () => {
    expect(parseFeed(rss(""))).toEqual({ ok: true, format: "rss", title: "News", items: [] });
  });

  it.each([
    ["neither: 20", undefined, undefined, 20],
    ["the owner's maxItems", 10, undefined, 10],
    ["a call may ask for fewer", 10, 3, 3],
    ["a call may not ask for more", 10, 40, 10],
    ["a call alone, within 20", undefined, 30, 20],
    ["bounded to 50", 80, 80, 50],
  ])("resolveItemLimit: %s", (_name, config, input, expected) => {
    expect(resolveItemLimit(config, input)).toBe(expected);
  });
});

describe("parseFeed: attacks", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`;

  it("refuses a billion laughs document without expanding it", () => {
    expect(parseFeed(billionLaughs)).toEqual({ ok: false, error: "Feed declares a DTD with entities, which is refused" });
  });

  it.each([
    ["a SYSTEM file entity", `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`],
    ["a SYSTEM http entity", `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/">]>`],
    ["a parameter entity", `<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "http://evil.example/x.dtd"> %dtd;]>`],
    ["a lower-case doctype", `<!doctype rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`],
    ["a doctype after a comment", `<!-- hi --><!DOCTYPE rss [<!ENTITY xxe "x">]>`],
    ["a quoted > before the subset", `<!DOCTYPE rss SYSTEM "a>b" [<!ENTITY xxe "x">]>`],
  ])("refuses an XXE document: %s", (_name, doctype) => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const xml = `<?xml version="1.0"?>\n${doctype}\n<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>`;
    expect(parseFeed(xml)).toEqual({ ok: false, error: "Feed declares a DTD with entities, which is refused" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("never expands entities declared after the root element either", () => {
    const xml = `<rss><channel><item><title>&lol2;</title></item></channel></rss><!DOCTYPE x [<!ENTITY lol2 "EXPANDED">]>`;
    const result = parseFeed(xml);
    expect(JSON.stringify(result)).not.toContain("EXPANDED");
    expect(result).toEqual({ ok: true, format: "rss", title: "", items: [{ title: "&lol2;", link: null, summary: "" }] });
  });

  it("leaves undeclared entity references as text", () => {
    expect(itemsOf(rss("<item><title>&xxe;</title><description>&xxe;</description></item>"))).toEqual([{ title: "&xxe;", link: null, summary: "&xxe;" }]);
  });

  it("decodes double-escaped HTML entities in a title as HTML, not as XML entities", () => {
    expect(itemsOf(rss("<item><title>caf&amp;eacute;&amp;nbsp;bar</title></item>"))[0].title).toBe("café bar");
  });

  it("does not mind <!ENTITY quoted inside an article", () => {
    const xml = rss(`<item><title>XXE explained</title><description><![CDATA[<pre>&lt;!DOCTYPE x [&lt;!ENTITY a "b"&gt;]&gt;</pre>]]></description></item>`);
    expect(itemsOf(xml)).toEqual([{ title: "XXE explained", link: null, summary: '<!DOCTYPE x [<!ENTITY a "b">]>' }]);
  });

  it.each([
    ["javascript:", "javascript:alert(document.cookie)"],
    ["JavaScript: in mixed case", "JaVaScRiPt:alert(1)"],
    ["javascript: with leading spaces", "   javascript:alert(1)"],
    ["javascript: split by an escaped tab", "java&#9;script:alert(1)"],
    ["data:", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["file:", "file:///etc/passwd"],
    ["ftp:", "ftp://files.example/x"],
    ["credentials in the URL", "https://user:pass@news.example/"],
    ["a relative path with no base", "/relative"],
    ["an overlong URL", `https://news.example/${"a".repeat(3000)}`],
  ])("drops a %s link", (_name, link) => {
    expect(itemsOf(rss(`<item><title>t</title><link>${link}</link></item>`))[0].link).toBeNull();
  });

  it("drops a javascript: guid too", () => {
    expect(itemsOf(rss("<item><guid>javascript:alert(1)</guid></item>"))[0].link).toBeNull();
  });

  it("drops a javascript: Atom href", () => {
    expect(itemsOf(atom(`<entry><link href="javascript:alert(1)"/></entry>`))[0].link).toBeNull();
  });

  it("refuses a feed over 1,000,000 characters before parsing", () => {
    const xml = rss(`<item><title>${"x".repeat(RSS_LIMITS.maxInputChars)}</title></item>`);
    expect(parseFeed(xml)).toEqual({ ok: false, error: "Feed is too large (more than 1000000 characters)" });
  });

  it("accepts a large feed under the limit", () => {
    const items = Array.from({ length: 2000 }, (_, i) => `<item><title>${i}</title><description>${"d".repeat(300)}</description></item>`).join("");
    const xml = rss(items);
    expect(xml.length).toBeLessThan(RSS_LIMITS.maxInputChars);
    expect(itemsOf(xml, { maxItems: 50 })).toHaveLength(50);
  });

  it("refuses very deep nesting", () => {
    const xml = `<rss><channel>${"<x>".repeat(200)}${"</x>".repeat(200)}</channel></rss>`;
    expect(parseFeed(xml)).toEqual({ ok: false, error: "Feed is not well-formed XML: Maximum nested tags exceeded" });
  });

  it("refuses prototype-polluting element names cleanly", () => {
    const result = parseFeed(rss("<item><__proto__><polluted>yes</polluted></__proto__></item>"));
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["plain text", "just some text", "Not an RSS or Atom feed"],
    ["an HTML page", "<!DOCTYPE html><html><body><p>hi</p></body></html>", "Not an RSS or Atom feed"],
    ["JSON", "{\"items\": []}", "Not an RSS or Atom feed"],
    ["an empty string", "", "Not an RSS or Atom feed"],
    ["an unclosed CDATA", "<rss><channel><item><title><![CDATA[oops</title></item></channel></rss>", "Feed is not well-formed XML: CDATA is not closed."],
  ])("refuses %s", (_name, xml, error) => {
    expect(parseFeed(xml)).toEqual({ ok: false, error });
  });

  it("returns only the parsed fields, never raw XML", () => {
    const result = parseFeed(rss(`<item><title>t</title><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script><extra>secret</extra></item>`));
    expect(JSON.stringify(result)).not.toMatch(/<|secret|alert/);
  });
});

describe("decodeXmlText", () => {
  it.each([
    ["the five predefined entities", "&lt;&gt;&amp;&quot;&apos;", "<>&\"'"],
    ["one pass only", "&amp;lt;", "&lt;"],
    ["decimal and hex references", "&#65;&#x42;&#X43;", "AB&#X43;"],
    ["an astral character", "&#x1F600;", "😀"],
    ["NUL becomes the replacement character", "&#0;", "\uFFFD"],
    ["a lone surrogate becomes the replacement character", "&#xD800;", "\uFFFD"],
    ["beyond Unicode becomes the replacement character", "&#x110000;", "\uFFFD"],
    ["HTML entities are not XML entities", "&nbsp;&eacute;", "&nbsp;&eacute;"],
    ["a bare ampersand", "a & b", "a & b"],
  ])("%s", (_name, input, output) => {
    expect(decodeXmlText(input)).toBe(output);
  });
});

describe("safeFeedLink", () => {
  it.each([
    ["https", "https://news.example/a?b=1#c", undefined, "https://news.example/a?b=1#c"],
    ["http", "http://news.example", undefined, "http://news.example/"],
    ["relative, with a base", "../x", "https://news.example/a/b/feed", "https://news.example/a/x"],
    ["protocol-relative, with a base", "//other.example/y", "https://news.example/", "https://other.example/y"],
    ["javascript, even with a base", "javascript:alert(1)", "https://news.example/", null],
    ["empty", "", undefined, null],
    ["undefined", undefined, undefined, null],
  ])("%s", (_name, raw, base, expected) => {
    expect(safeFeedLink(raw, base)).toBe(expected);
  });
});

describe("rss schemas", () => {
  it("configures an https feed URL and up to 50 items", () => {
    expect(configSchema).toEqual({
      type: "object",
      properties: {
        feedUrl: { type: "string", format: "uri", pattern: "^https://", maxLength: 2048 },
        maxItems: { type: "integer", minimum: 1, maximum: 50 },
      },
      required: ["feedUrl"],
      additionalProperties: false,
    });
  });

  it("takes an optional limit", () => {
    expect(inputSchema).toEqual({
      type: "object",
      properties: { limit: { type: "integer", minimum: 1, maximum: 50 } },
      additionalProperties: false,
    });
  });
});
