// The "rssFetcher" template's parser: turns the text of an RSS 2.0 (or RSS 1.0) or Atom feed into
// a short list of plain-text items. Feeds come from arbitrary servers, so the XML is treated as
// hostile: a bounded size, no DTD entities at all (no "billion laughs", no external entities),
// summaries reduced from HTML to plain text and cut short, and links kept only when they are plain
// http(s) URLs. What leaves this module is parsed items, never raw XML. Pure: no ctx, no I/O.

import { XMLParser } from "fast-xml-parser";

import { htmlToText } from "./htmlText";

/** The owner's settings for an RSS skill (stored with the skill, checked on save). */
export const configSchema = {
  type: "object",
  properties: {
    feedUrl: { type: "string", format: "uri", pattern: "^https://", maxLength: 2048 },
    maxItems: { type: "integer", minimum: 1, maximum: 50 },
  },
  required: ["feedUrl"],
  additionalProperties: false,
} as const;

/** What one call of an RSS skill takes: optionally fewer items than the owner's `maxItems`. */
export const inputSchema = {
  type: "object",
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 50 },
  },
  additionalProperties: false,
} as const;

/** Bounds on one feed. */
export const RSS_LIMITS = {
  /** Characters of feed text parsed; a larger feed is refused, not cut (cut XML is not XML). */
  maxInputChars: 1_000_000,
  /** Items returned when neither the owner nor the call says. */
  defaultItems: 20,
  /** Items returned at most, whatever the config says. */
  maxItems: 50,
  /** Characters of an item title. */
  titleChars: 300,
  /** Characters of an item summary. */
  summaryChars: 500,
  /** Characters of a link; longer ones are dropped. */
  linkChars: 2048,
  /** Element nesting fast-xml-parser accepts; feeds nest about six deep. */
  maxNestedTags: 64,
} as const;

/** One feed entry, all plain text. `link` is null when the feed gave no safe http(s) URL. */
export interface FeedItem {
  title: string;
  link: string | null;
  /** ISO 8601 time, when the feed gave a date that parses. */
  published?: string;
  summary: string;
}

/** The result of `parseFeed`. */
export type FeedResult =
  | { ok: true; format: "rss" | "atom"; title: string; items: FeedItem[] }
  | { ok: false; error: string };

/** Options of `parseFeed`. */
export interface FeedOptions {
  /** Items to return at most (1–50; default 20). */
  maxItems?: number;
  /** The feed's own URL, to resolve relative item links against. */
  baseUrl?: string;
}

// The parsed tree: fast-xml-parser gives strings, objects of children (attributes prefixed "@_",
// text under "#text", CDATA under "#cdata") and arrays for repeated elements.
type XmlValue = string | XmlNode | XmlValue[];
interface XmlNode {
  [key: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Entities: none expanded by the parser. A DTD's declarations are never applied, so neither
  // "billion laughs" nor external entities can expand; the five predefined XML entities and
  // character references are decoded afterwards by `decodeXmlText`, in one pass.
  processEntities: false,
  htmlEntities: false,
  // Keep values as strings: a title "0123" must not become the number 123.
  parseTagValue: false,
  parseAttributeValue: false,
  // CDATA apart from text, because CDATA content is literal and must not be entity-decoded.
  cdataPropName: "#cdata",
  textNodeName: "#text",
  // Untrimmed, so "a <![CDATA[b]]> c" keeps its spaces; whitespace is collapsed per field later.
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: RSS_LIMITS.maxNestedTags,
});

const XML_ENTITIES: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** True for a code point XML allows in text (no NUL, no lone surrogates, nothing past U+10FFFF). */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Decodes the five predefined XML entities and character references in one pass (so `&amp;lt;`
 * becomes `&lt;`, not `<`). Any other `&name;` is left as it is: it would come from a DTD, and DTD
 * entities are never expanded.
 */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const cp = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return isXmlChar(cp) ? String.fromCodePoint(cp) : "\uFFFD";
    }
    return XML_ENTITIES.get(ref) ?? whole;
  });
}

/**
 * Refuses a document whose DOCTYPE has an internal subset (`[...]`), which is where entities are
 * declared. A bare `<!DOCTYPE rss PUBLIC "..." "...">` (old RSS 0.91 feeds) is allowed: it is
 * never fetched. Only the prolog is examined, so an article about XML that quotes `<!ENTITY` in
 * its CDATA is unaffected.
 */
function prologDeclaresEntities(xml: string): boolean {
  let i = 0;
  for (let steps = 0; steps < 64; steps++) {
    while (i < xml.length && /[\s\uFEFF]/.test(xml[i])) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) return false;
      i = end + 3;
    } else if (xml.slice(i, i + 9).toUpperCase() === "<!DOCTYPE") {
      // Scan to the first unquoted ">" or "[" of the declaration.
      let quote = "";
      for (let j = i + 9; j < xml.length; j++) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === '"' || c === "'") quote = c;
        else if (c === "[") return true;
        else if (c === ">") return false;
      }
      return false;
    } else {
      return false;
    }
  }
  return false;
}

/** A value as a list: a missing element is `[]`, a single one is `[value]`. */
function asArray(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asNode(value: XmlValue | undefined): XmlNode | undefined {
  const first = asArray(value)[0];
  return first !== undefined && typeof first === "object" && !Array.isArray(first) ? first : undefined;
}

/** An attribute of the first element in `value`, entity-decoded. */
function attribute(value: XmlValue | undefined, name: string): string | undefined {
  const attr = asNode(value)?.[`@_${name}`];
  return typeof attr === "string" ? decodeXmlText(attr) : undefined;
}

/**
 * The character content of the first element in `value`: its text (entity-decoded) and CDATA
 * (literal). For XHTML content, the text of nested elements too, depth-bounded. The parsed tree
 * groups children by name, so text mixed with elements or CDATA may come out of document order;
 * feeds rarely mix them, and the words are all there.
 */
function textOf(value: XmlValue | undefined, depth = 0): string {
  const first = asArray(value)[0];
  if (first === undefined || depth > 16) return "";
  if (typeof first === "string") return decodeXmlText(first);
  if (Array.isArray(first)) return textOf(first, depth + 1);
  const parts: string[] = [];
  for (const [key, child] of Object.entries(first)) {
    if (key.startsWith("@_")) continue;
    for (const item of asArray(child)) {
      if (key === "#cdata" && typeof item === "string") parts.push(item);
      else parts.push(textOf(item, depth + 1));
    }
  }
  return parts.filter((p) => p !== "").join(" ");
}

/** The first of `values` with any non-blank text (feeds leave empty elements for missing fields). */
function firstText(...values: (XmlValue | undefined)[]): string {
  for (const value of values) {
    const text = textOf(value);
    if (text.trim() !== "") return text;
  }
  return "";
}

/** Cuts to `max` characters, ending with "…" when cut. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

const TAG_LIKE = /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>|&[#A-Za-z0-9]{1,32};/;

/**
 * Plain text of a field. HTML-typed fields (RSS descriptions, Atom `type="html"`) lose their tags;
 * plain fields only lose tags when they plainly hold some (feeds often double-escape titles), so
 * a title such as "a<b matters" survives. Whitespace is collapsed to single spaces.
 */
function plainText(raw: string, isHtml: boolean, max: number): string {
  const text = isHtml || TAG_LIKE.test(raw) ? htmlToText(raw, { maxChars: max * 2 }).text : raw;
  return clip(text.replace(/\s+/g, " ").trim(), max);
}

/** The URL if it is absolute http(s) (after resolving against `base`), without credentials; else null. */
export function safeFeedLink(raw: string | undefined, base?: string): string | null {
  const candidate = raw?.trim();
  if (!candidate || candidate.length > RSS_LIMITS.linkChars) return null;
  let url: URL;
  try {
    url = base ? new URL(candidate, base) : new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username !== "" || url.password !== "") return null;
  const href = url.href;
  return href.length > RSS_LIMITS.linkChars ? null : href;
}

/** An ISO time for an RFC 822 (RSS) or RFC 3339 (Atom) date, or undefined when it does not parse. */
function isoDate(raw: string): string | undefined {
  const text = raw.trim();
  if (text === "" || text.length > 64) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function withDate(item: Omit<FeedItem, "published">, published: string | undefined): FeedItem {
  return published === undefined ? item : { ...item, published };
}

function rssItem(node: XmlNode, base: string | undefined): FeedItem {
  const guid = node.guid;
  const guidIsLink = attribute(guid, "isPermaLink") !== "false";
  const link = safeFeedLink(textOf(node.link), base) ?? (guidIsLink ? safeFeedLink(textOf(guid), base) : null);
  const description = firstText(node.description, node["content:encoded"]);
  return withDate(
    {
      title: plainText(textOf(node.title), false, RSS_LIMITS.titleChars),
      link,
      summary: plainText(description, true, RSS_LIMITS.summaryChars),
    },
    isoDate(firstText(node.pubDate, node["dc:date"])),
  );
}

/** The Atom entry's page: the `link` with rel="alternate" (or no rel), else the first link. */
function atomLink(links: XmlValue | undefined, base: string | undefined): string | null {
  const candidates = asArray(links);
  const alternate = candidates.find((l) => {
    const rel = typeof l === "object" && !Array.isArray(l) ? l["@_rel"] : undefined;
    return rel === undefined || rel === "alternate";
  });
  return safeFeedLink(attribute(alternate ?? candidates[0], "href"), base);
}

/** Plain text of an Atom text construct, honouring its `type` (text, html or xhtml). */
function atomText(value: XmlValue | undefined, max: number): string {
  const type = attribute(value, "type") ?? "text";
  return plainText(textOf(value), type === "html", max);
}

function atomEntry(node: XmlNode, base: string | undefined): FeedItem {
  const summary = textOf(node.summary).trim() !== "" ? node.summary : node.content;
  return withDate(
    {
      title: atomText(node.title, RSS_LIMITS.titleChars),
      link: atomLink(node.link, base),
      summary: atomText(summary, RSS_LIMITS.summaryChars),
    },
    isoDate(firstText(node.published, node.updated)),
  );
}

/** Entry nodes only: a stray text value where an element was expected is skipped. */
function nodes(value: XmlValue | undefined, limit: number): XmlNode[] {
  const out: XmlNode[] = [];
  for (const v of asArray(value)) {
    if (out.length >= limit) break;
    if (typeof v === "object" && !Array.isArray(v)) out.push(v);
  }
  return out;
}

function itemLimit(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return RSS_LIMITS.defaultItems;
  return Math.min(RSS_LIMITS.maxItems, Math.max(1, Math.floor(requested)));
}

/**
 * Items for one call: the call's `limit` may ask for fewer than the owner's `maxItems`, never
 * more; with neither, 20. Always within 1–50.
 */
export function resolveItemLimit(configMaxItems: number | undefined, inputLimit: number | undefined): number {
  const ceiling = itemLimit(configMaxItems);
  return inputLimit === undefined ? ceiling : Math.min(ceiling, itemLimit(inputLimit));
}

/**
 * Parses feed text (RSS 2.0, RSS 1.0/RDF or Atom) into at most `maxItems` plain-text items. Never
 * throws: oversize input, a DTD with entity declarations, malformed XML or an unknown root all
 * come back as `{ ok: false, error }`. Titles are cut to 300 characters, summaries (HTML removed)
 * to 500; links are absolute http(s) URLs without credentials, or null.
 */
export function parseFeed(xml: string, options: FeedOptions = {}): FeedResult {
  if (typeof xml !== "string") return { ok: false, error: "Feed must be text" };
  if (xml.length > RSS_LIMITS.maxInputChars) {
    return { ok: false, error: `Feed is too large (more than ${RSS_LIMITS.maxInputChars} characters)` };
  }
  if (prologDeclaresEntities(xml)) return { ok: false, error: "Feed declares a DTD with entities, which is refused" };
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unknown error";
    return { ok: false, error: `Feed is not well-formed XML: ${clip(reason, 120)}` };
  }
  const limit = itemLimit(options.maxItems);
  const base = options.baseUrl;

  const rss = asNode(doc.rss);
  const rdf = asNode(doc["rdf:RDF"]);
  if (rss || rdf) {
    const channel = asNode((rss ?? rdf)?.channel);
    // RSS 2.0 nests items in <channel>; RSS 1.0 puts them beside it.
    const items = nodes(rss ? channel?.item : rdf?.item, limit);
    return {
      ok: true,
      format: "rss",
      title: plainText(textOf(channel?.title), false, RSS_LIMITS.titleChars),
      items: items.map((item) => rssItem(item, base)),
    };
  }
  const feed = asNode(doc.feed);
  if (feed) {
    return {
      ok: true,
      format: "atom",
      title: atomText(feed.title, RSS_LIMITS.titleChars),
      items: nodes(feed.entry, limit).map((entry) => atomEntry(entry, base)),
    };
  }
  return { ok: false, error: "Not an RSS or Atom feed" };
}
