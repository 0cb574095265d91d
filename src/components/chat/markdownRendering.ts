// How the agent's markdown becomes elements, safely. The text comes from a model that reads
// untrusted content, so it is treated as hostile: no raw HTML (skipHtml, and no rehype-raw),
// links only to http(s)/mailto and always to a new tab without referrer or opener, and no
// images at all (see MarkdownImage). No syntax highlighter: code is shown as it is.
// Written with createElement rather than JSX so the node unit tests can render it as is.
import { createElement as h, Fragment, type ComponentPropsWithoutRef, type JSX, type ReactElement } from "react";
import Markdown, { type Components, type ExtraProps } from "react-markdown";
import remarkGfm from "remark-gfm";
import { markdownUrlTransform } from "../../lib/chat/markdownUrls";

type Props<Tag extends keyof JSX.IntrinsicElements> = ComponentPropsWithoutRef<Tag> & ExtraProps;

/** A link; its href already passed markdownUrlTransform, so a missing href means "not allowed". */
function MarkdownLink({ href, children }: Props<"a">) {
  if (!href) return h("span", { className: "markdown__unlinked" }, children);
  return h(
    "a",
    { href, title: href, target: "_blank", rel: "noopener noreferrer nofollow ugc" },
    children,
    h("span", { className: "visually-hidden" }, " (opens in a new tab)"),
  );
}

/**
 * Images are never loaded. A browser fetches an image the moment it renders, without a click, so
 * a model tricked by injected content could leak conversation data in an image URL's query
 * string. The image shows as text instead: "[image: alt]" and its address as an ordinary link.
 */
function MarkdownImage({ src, alt }: Props<"img">) {
  const label = alt ? `[image: ${alt}]` : "[image]";
  const href = typeof src === "string" && src !== "" ? src : null;
  return h(
    "span",
    { className: "markdown__image" },
    label,
    href ? h(Fragment, null, " ", h(MarkdownLink, { href }, href)) : null,
  );
}

/** Wide code scrolls inside the message, and can be scrolled from the keyboard. */
function MarkdownPre({ children }: Props<"pre">) {
  return h("pre", { className: "markdown__pre", tabIndex: 0 }, children);
}

/** Wide tables scroll inside the message instead of widening the page. */
function MarkdownTable({ children }: Props<"table">) {
  return h("div", { className: "markdown__table-wrap", tabIndex: 0 }, h("table", { className: "markdown__table" }, children));
}

/**
 * Headings inside a message would become headings of the page and confuse its outline (and
 * screen reader navigation), so they are rendered as emphasised paragraphs.
 */
function MarkdownHeading({ children }: Props<"h1">) {
  return h("p", { className: "markdown__heading" }, children);
}

const components: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
  pre: MarkdownPre,
  table: MarkdownTable,
  h1: MarkdownHeading,
  h2: MarkdownHeading,
  h3: MarkdownHeading,
  h4: MarkdownHeading,
  h5: MarkdownHeading,
  h6: MarkdownHeading,
};

const remarkPlugins = [remarkGfm];

/** The markdown of one message as elements, inside a `.markdown` wrapper. */
export function renderMarkdown(text: string): ReactElement {
  return h(
    "div",
    { className: "markdown" },
    h(Markdown, { remarkPlugins, skipHtml: true, urlTransform: markdownUrlTransform, components }, text),
  );
}
