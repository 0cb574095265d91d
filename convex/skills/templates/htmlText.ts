// Readable text from an untrusted HTML page, for the "webPageReader" template and for feed
// summaries. The page goes through htmlparser2's tokenizer (no DOM, no scripts, no network): the
// text of visible elements is kept, everything that is code or not shown (script, style, svg,
// iframe, head, ...) is dropped, and block elements become line breaks. The output is plain text
// only: tags never survive, and entities are decoded once. Pure: no ctx, no I/O.

import { Parser } from "htmlparser2";

/** Bounds on one extraction. */
export const HTML_TEXT_LIMITS = {
  /** Characters of HTML parsed at most; the rest of a larger page is not read at all. */
  maxInputChars: 2_000_000,
  /** Default characters of text returned. */
  defaultMaxChars: 20_000,
  /** Characters of the page title returned. */
  maxTitleChars: 300,
  /** HTML is fed to the parser in chunks of this size, so parsing stops soon after a limit is hit. */
  chunkChars: 8_192,
  /**
   * Elements open at once. htmlparser2 keeps open elements in an array it `unshift`s and searches,
   * so each tag costs time in proportion to the nesting; 200,000 unclosed `<div>`s took 15 s. Past
   * this depth parsing stops and the text is marked truncated (real pages nest a few dozen deep).
   */
  maxOpenElements: 512,
} as const;

/** Appended to text that was cut at the limit (or whose page was larger than `maxInputChars`). */
export const TRUNCATION_MARKER = "\n[…truncated]";

/** What `htmlToText` returns: the title and body text, both plain text. */
export interface HtmlText {
  title: string;
  text: string;
  /** Whether `text` was cut (it then ends with `TRUNCATION_MARKER`). */
  truncated: boolean;
}

/** Options of `htmlToText`. */
export interface HtmlTextOptions {
  /** Characters of text to return at most, marker included; default 20,000. */
  maxChars?: number;
}

// Content of these is code, metadata or not rendered: none of it is readable text. <head> is
// here too; its <title> is captured separately.
const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "canvas",
  "head",
  "select",
  "textarea",
  "button",
  "noembed",
  "noframes",
  "xmp",
]);

// Elements that end a paragraph: a blank line before and after.
const PARAGRAPH = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "table",
  "ul",
  "ol",
  "dl",
  "figure",
  "hr",
  "address",
  "details",
  "fieldset",
]);

// Elements that end a line.
const LINE = new Set([
  "br",
  "div",
  "li",
  "tr",
  "dt",
  "dd",
  "section",
  "article",
  "header",
  "footer",
  "nav",
  "aside",
  "main",
  "form",
  "figcaption",
  "summary",
  "caption",
  "body",
]);

/** Collapses runs of whitespace (JS `\s` includes non-breaking spaces) to one space. */
function collapse(text: string): string {
  return text.replace(/\s+/g, " ");
}

/**
 * Builds the text: words separated by single spaces, breaks merged so that no more than one blank
 * line ever appears, and a running length so the caller can stop early.
 */
class TextSink {
  private readonly parts: string[] = [];
  private pendingBreak = 0;
  private pendingSpace = false;
  length = 0;

  text(raw: string): void {
    const text = collapse(raw);
    if (text === "") return;
    const leading = text.startsWith(" ");
    const trailing = text.endsWith(" ");
    const body = text.trim();
    if (body === "") {
      this.pendingSpace = this.length > 0;
      return;
    }
    if (this.length > 0) {
      if (this.pendingBreak > 0) this.push(this.pendingBreak === 2 ? "\n\n" : "\n");
      else if (this.pendingSpace || leading) this.push(" ");
    }
    this.pendingBreak = 0;
    this.push(body);
    this.pendingSpace = trailing;
  }

  /** Asks for a line break (1) or a paragraph break (2) before the next text. */
  breakLine(kind: 1 | 2): void {
    this.pendingBreak = Math.max(this.pendingBreak, kind);
    this.pendingSpace = false;
  }

  result(): string {
    return this.parts.join("");
  }

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
}

/** Cuts `text` to `maxChars` including the marker, preferring to cut at a word boundary. */
function truncate(text: string, maxChars: number): string {
  const room = Math.max(0, maxChars - TRUNCATION_MARKER.length);
  let cut = text.slice(0, room);
  if (text.length > room) {
    const lastBreak = Math.max(cut.lastIndexOf(" "), cut.lastIndexOf("\n"));
    // Only step back to a word boundary when that loses little; a long word is cut mid-word.
    if (lastBreak > room * 0.8) cut = cut.slice(0, lastBreak);
  }
  cut = cut.trimEnd();
  // Nothing readable before the cut: the marker alone, without the line break that leads it.
  return cut === "" ? TRUNCATION_MARKER.trimStart() : cut + TRUNCATION_MARKER;
}

/**
 * Extracts `{ title, text }` from an HTML page. Script, style, noscript, template, svg, math,
 * iframe, object, form controls and the whole head are dropped (the head's `<title>` becomes
 * `title`); comments, CDATA sections and processing instructions are dropped; paragraphs, headings
 * and lists become blank lines or line breaks (list items start with "- "); entities are decoded.
 * Work is bounded: at most `maxInputChars` of HTML is parsed, and parsing stops once the text is
 * full or more than `maxOpenElements` elements are open at once. Text that was cut ends with
 * `TRUNCATION_MARKER` and the result says `truncated: true`. Escaped markup (`&lt;b&gt;`) is
 * page text and comes out as the characters a browser would show.
 */
export function htmlToText(html: string, options: HtmlTextOptions = {}): HtmlText {
  const maxChars = Math.max(TRUNCATION_MARKER.length + 1, Math.floor(options.maxChars ?? HTML_TEXT_LIMITS.defaultMaxChars));
  const sink = new TextSink();
  let skipDepth = 0;
  let titleDepth = 0;
  let titleDone = false;
  let title = "";
  let openElements = 0;
  const openSkipped: string[] = [];

  const parser = new Parser(
    {
      onopentag(name) {
        openElements++;
        // An <svg> has its own <title>; only the document's first title counts.
        if (name === "title" && !titleDone && (skipDepth === 0 || (skipDepth === 1 && openSkipped.at(-1) === "head"))) {
          titleDepth++;
          return;
        }
        // Any other <title> (a second one, or one inside svg) is not shown: skip it like <head>.
        if (SKIPPED.has(name) || name === "title") {
          skipDepth++;
          openSkipped.push(name);
          return;
        }
        if (skipDepth > 0) return;
        if (PARAGRAPH.has(name)) sink.breakLine(2);
        else if (LINE.has(name)) sink.breakLine(1);
        if (name === "li") sink.text("- ");
        else if (name === "td" || name === "th") sink.text(" ");
      },
      ontext(data) {
        if (titleDepth > 0) {
          if (title.length < HTML_TEXT_LIMITS.maxTitleChars * 2) title += data;
          return;
        }
        if (skipDepth === 0) sink.text(data);
      },
      onclosetag(name) {
        openElements--;
        if (name === "title" && titleDepth > 0) {
          titleDepth--;
          titleDone = true;
          return;
        }
        if (skipDepth > 0 && openSkipped.at(-1) === name) {
          skipDepth--;
          openSkipped.pop();
          return;
        }
        if (skipDepth > 0) return;
        if (PARAGRAPH.has(name)) sink.breakLine(2);
        else if (LINE.has(name)) sink.breakLine(1);
        else if (name === "td" || name === "th") sink.text(" ");
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeCDATA: false },
  );

  const input = html.length > HTML_TEXT_LIMITS.maxInputChars ? html.slice(0, HTML_TEXT_LIMITS.maxInputChars) : html;
  let stoppedEarly = input.length < html.length;
  for (let offset = 0; offset < input.length; offset += HTML_TEXT_LIMITS.chunkChars) {
    // A little over the limit is enough to know the text must be cut.
    if (sink.length > maxChars || openElements > HTML_TEXT_LIMITS.maxOpenElements) {
      stoppedEarly = true;
      break;
    }
    parser.write(input.slice(offset, offset + HTML_TEXT_LIMITS.chunkChars));
  }
  parser.end();

  const full = sink.result();
  const truncated = stoppedEarly || full.length > maxChars;
  const cleanTitle = collapse(title).trim();
  return {
    title: cleanTitle.length > HTML_TEXT_LIMITS.maxTitleChars ? `${cleanTitle.slice(0, HTML_TEXT_LIMITS.maxTitleChars - 1)}…` : cleanTitle,
    text: truncated ? truncate(full, maxChars) : full,
    truncated,
  };
}
