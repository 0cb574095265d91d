// Which URLs in a message may become links. Message text comes from the model, which reads
// untrusted content (web pages, tool results), so a link is only ever a plain web or mail link.

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const MAX_URL_CHARS = 2048;

/**
 * The URL to link to, or null when it must stay plain text: anything that is not an absolute
 * http(s) or mailto URL (javascript:, data:, relative paths, fragments), and web URLs with a
 * user name or password (`https://bank.example@evil.example` hides the real host).
 * Returns the normalised form, so the address a visitor hovers is the address they get.
 */
export function safeLinkUrl(raw: string): string | null {
  const value = raw.trim();
  if (value.length === 0 || value.length > MAX_URL_CHARS) return null;
  let url: URL;
  try {
    // No base URL: relative references throw and stay text.
    url = new URL(value);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && (url.hostname === "" || url.username !== "" || url.password !== "")) return null;
  return url.href;
}

/**
 * react-markdown's `urlTransform`: every URL attribute (link targets and image sources alike)
 * passes `safeLinkUrl`; a null drops the attribute.
 */
export function markdownUrlTransform(url: string): string | null {
  return safeLinkUrl(url);
}
