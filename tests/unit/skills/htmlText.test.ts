// Readable text from untrusted HTML (convex/skills/templates/htmlText.ts): only visible text
// comes out, never markup, never script or style content, and the work is bounded however the
// page is built.
import { describe, expect, it } from "vitest";

import { HTML_TEXT_LIMITS, TRUNCATION_MARKER, htmlToText } from "../../../convex/skills/templates/htmlText.ts";

describe("htmlToText: structure", () => {
  it.each([
    ["plain text", "Hello world", "Hello world"],
    ["collapsed whitespace", "  Hello \n\t  world  ", "Hello world"],
    ["non-breaking spaces", "a&nbsp;&nbsp;b", "a b"],
    ["inline elements keep words together", "<p>un<b>bold</b>ed <i>it</i>alic</p>", "unbolded italic"],
    ["paragraphs become blank lines", "<p>One</p><p>Two</p>", "One\n\nTwo"],
    ["headings become blank lines", "<h1>Title</h1>Body<h2>Sub</h2>More", "Title\n\nBody\n\nSub\n\nMore"],
    ["br becomes a line break", "line<br>next<br/>last", "line\nnext\nlast"],
    ["divs become line breaks", "<div>a</div><div>b</div>", "a\nb"],
    ["nested divs give one break", "<div><div><div>deep</div></div></div>text", "deep\ntext"],
    ["list items start with a dash", "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter"],
    ["ordered lists too", "<ol><li>first<li>second</ol>", "- first\n- second"],
    ["nested lists", "<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n\n- b"],
    ["table cells are spaced, rows broken", "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n3"],
    ["never more than one blank line", "<p></p><p></p><p>x</p><p></p><p></p><p>y</p>", "x\n\ny"],
    ["no leading or trailing breaks", "<p><br><br>x<br><br></p>", "x"],
    ["unclosed paragraphs", "<p>a<p>b<p>c", "a\n\nb\n\nc"],
    ["upper-case tags", "<P>A</P><BR><DIV>B</DIV>", "A\n\nB"],
    ["entities are decoded once", "&lt;b&gt; &amp;amp; &#x41;&#66; &eacute; &copy;", "<b> &amp; AB é ©"],
    ["images leave nothing", "a<img src=x alt=pic>b", "ab"],
  ])("%s", (_name, html, text) => {
    expect(htmlToText(html)).toEqual({ title: "", text, truncated: false });
  });

  it("reads a whole page", () => {
    const page = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>  The   Page &amp; More </title>
    <link rel="stylesheet" href="/x.css">
    <style>body { color: red }</style>
    <script>window.secret = 1</script>
  </head>
  <body>
    <nav><a href="/">Home</a> | <a href="/about">About</a></nav>
    <main>
      <h1>Welcome</h1>
      <p>First paragraph with a <a href="https://example.com">link</a>.</p>
      <ul>
        <li>Apples</li>
        <li>Pears</li>
      </ul>
    </main>
    <footer>© 2024</footer>
  </body>
</html>`;
    expect(htmlToText(page)).toEqual({
      title: "The Page & More",
      text: "Home | About\n\nWelcome\n\nFirst paragraph with a link.\n\n- Apples\n- Pears\n\n© 2024",
      truncated: false,
    });
  });
});

describe("htmlToText: content that is not text is dropped", () => {
  it.each([
    ["script", "a<script>alert('x')</script>b", "ab"],
    ["script with markup inside", "a<script>document.write('<p>injected</p>')</script>b", "ab"],
    ["script with a split end tag in a string", "a<script>var s = '</scr' + 'ipt>'; steal()</script>b", "ab"],
    ["script ended early by a string holding its end tag", "a<script>var s = \"</script><p>shown</p>\"</script>b", "a\n\nshown\n\n\"b"],
    ["upper-case SCRIPT", "a<SCRIPT>alert(1)</SCRIPT>b", "ab"],
    ["script with attributes", "a<script type=\"module\" src=\"x.js\">import 'x'</script>b", "ab"],
    ["style", "a<style>p::before { content: 'x' }</style>b", "ab"],
    ["noscript", "a<noscript><p>enable js</p></noscript>b", "ab"],
    ["template", "a<template><p>hidden</p></template>b", "ab"],
    ["svg with its own title and script", "a<svg><title>icon</title><script>x()</script><text>svg text</text></svg>b", "ab"],
    ["self-closing svg", "a<svg/>b", "ab"],
    ["math", "a<math><mi>x</mi></math>b", "ab"],
    ["iframe", "a<iframe src=\"https://evil.example\">fallback</iframe>b", "ab"],
    ["object and embed", "a<object data=x>obj</object><embed src=y>b", "ab"],
    ["form controls", "a<select><option>opt</option></select><textarea>typed</textarea><button>Go</button>b", "ab"],
    ["comments", "a<!-- secret <p>x</p> -->b", "ab"],
    ["conditional comments", "a<!--[if IE]><p>ie</p><![endif]-->b", "ab"],
    ["CDATA sections (comments in HTML)", "a<![CDATA[ <script>x</script> ]]>b", "ab"],
    ["processing instructions", "a<?php system('id'); ?>b", "ab"],
    ["the doctype", "<!DOCTYPE html>ab", "ab"],
    ["head content other than the title", "<head><meta name=x content=y><base href=z></head>ab", "ab"],
    ["event handler attributes", "<p onclick=\"steal()\" style=\"x\">ab</p>", "ab"],
    ["javascript: links keep only their text", "<a href=\"javascript:alert(1)\">ab</a>", "ab"],
  ])("%s", (_name, html, text) => {
    expect(htmlToText(html).text).toBe(text);
  });

  it("keeps escaped markup as visible text, which is what a browser shows", () => {
    expect(htmlToText("<p>Use &lt;script&gt; tags</p>").text).toBe("Use <script> tags");
  });

  it("splits a tag-in-a-tag as a browser does, leaving only text", () => {
    expect(htmlToText("<scr<script>ipt>alert(1)</script>").text).toBe("ipt>alert(1)");
  });

  it("takes the document title, not an svg title", () => {
    expect(htmlToText("<svg><title>icon</title></svg><title>Real</title>x").title).toBe("Real");
  });

  it("takes the first title only", () => {
    expect(htmlToText("<title>One</title><title>Two</title>x")).toEqual({ title: "One", text: "x", truncated: false });
  });

  it("treats markup inside the title as text and decodes its entities", () => {
    expect(htmlToText("<title>A <b>bold</b> &amp; title</title>").title).toBe("A <b>bold</b> & title");
  });

  it("cuts a long title to 300 characters", () => {
    const { title } = htmlToText(`<title>${"t".repeat(1000)}</title>`);
    expect(title).toBe(`${"t".repeat(299)}…`);
  });
});

describe("htmlToText: limits", () => {
  it("cuts at a word boundary and marks the cut", () => {
    const result = htmlToText(`<p>${"word ".repeat(100)}</p>`, { maxChars: 50 });
    expect(result).toEqual({ title: "", text: `${Array(7).fill("word").join(" ")}${TRUNCATION_MARKER}`, truncated: true });
    expect(result.text.length).toBeLessThanOrEqual(50);
  });

  it("cuts a long word in the middle", () => {
    const result = htmlToText("x".repeat(100), { maxChars: 30 });
    expect(result.text).toBe(`${"x".repeat(30 - TRUNCATION_MARKER.length)}${TRUNCATION_MARKER}`);
  });

  it("does not cut text that fits exactly", () => {
    expect(htmlToText("x".repeat(50), { maxChars: 50 })).toEqual({ title: "", text: "x".repeat(50), truncated: false });
  });

  it("defaults to 20,000 characters", () => {
    const result = htmlToText(`<p>${"a ".repeat(50_000)}</p>`);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(HTML_TEXT_LIMITS.defaultMaxChars);
    expect(result.text.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it("reads no more than 2,000,000 characters of HTML", () => {
    const html = `<p>start</p>${"<!-- padding -->".repeat(150_000)}<p>after the limit</p>`;
    expect(html.length).toBeGreaterThan(HTML_TEXT_LIMITS.maxInputChars);
    expect(htmlToText(html)).toEqual({ title: "", text: "start\n[…truncated]", truncated: true });
  });

  it.each([
    ["200,000 unclosed divs", "<div>".repeat(200_000)],
    ["deeply nested inline tags", "<a><b>".repeat(200_000)],
    ["deep nesting and then many stray end tags", `${"<span>".repeat(500)}${"</x>".repeat(400_000)}`],
    ["a million comment openers", "<!--".repeat(500_000)],
    ["a million angle brackets", "<".repeat(1_900_000)],
    ["unterminated attributes", "<a ".repeat(600_000)],
    ["entities everywhere", "&amp;".repeat(390_000)],
  ])("stays fast on %s", (_name, html) => {
    const started = performance.now();
    const result = htmlToText(html);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.text.length).toBeLessThanOrEqual(HTML_TEXT_LIMITS.defaultMaxChars);
  });

  it("stops reading after more than 512 elements are open and says the text was cut", () => {
    const html = `${"<div>".repeat(2000)}${"<p>text</p>".repeat(2000)}`;
    expect(htmlToText(html)).toEqual({ title: "", text: "[…truncated]", truncated: true });
  });

  it("keeps a small page whole even when it nests past the limit", () => {
    expect(htmlToText(`${"<div>".repeat(1000)}deep`)).toEqual({ title: "", text: "deep", truncated: false });
  });

  it("keeps text from ordinary nesting", () => {
    expect(htmlToText(`${"<div>".repeat(100)}deep${"</div>".repeat(100)}`)).toEqual({ title: "", text: "deep", truncated: false });
  });
});
