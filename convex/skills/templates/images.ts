// Image validation for image skills, uploads and images a model or visitor supplies inline. A
// client's Content-Type is a claim, not a fact: the format is decided from the file's magic bytes
// alone, and only the four raster formats of `vImageMime` pass. SVG and anything that looks like
// markup or script is refused (SVG and HTML can run script when opened from our origin), width and
// height are read from the header and bounded (a tiny file can declare a gigapixel canvas that
// exhausts whoever decodes it), and a base64 payload is measured before it is decoded, so a huge
// string is refused without allocating its bytes. Pure: no ctx, no I/O.
//
// Formats: PNG, JPEG, GIF and WebP are accepted. AVIF and HEIC (ISO-BMFF "ftyp" files) are
// refused with their own reason: they are not in `vImageMime`, not every model provider or browser
// reads them, and their container is far more complex to check; owners can convert them.
//
// Polyglot check, exactly: the first 4,096 bytes and the last 1,024 bytes are searched, ASCII
// case-insensitively, for `<script`, `<svg`, `<?php`, `<html`, `<body`, `<iframe`, `<object`,
// `<embed`, `<!doctype html` and `javascript:`. That catches markup hidden in header metadata
// (PNG text chunks, JPEG comments, GIF extensions) and payloads appended after the image. It does
// not search the compressed middle of the file: there, short patterns such as `<svg` occur by
// chance often enough to refuse genuine photos, and such payloads are inert anyway because images
// are stored and served only with the detected raster type, never as markup.

import { LIMITS, type ImageMime } from "../../lib/validators";

/** Bounds of the check; each can be lowered (or, for tests, changed) through the options. */
export const IMAGE_LIMITS = {
  /** Largest accepted image in bytes: the project's `LIMITS.imageBytesMax` (5 MB). */
  maxBytes: LIMITS.imageBytesMax,
  /** Largest width or height in pixels. */
  maxDimension: 16_384,
  /** Largest width × height: 50 megapixels is about 200 MB once decoded to RGBA. */
  maxPixels: 50_000_000,
  /** Bytes at the start searched for markup. */
  headScanBytes: 4096,
  /** Bytes at the end searched for markup. */
  tailScanBytes: 1024,
  /** Characters of a data URL's header (`data:image/png;base64,`) accepted before the comma. */
  dataUrlHeaderChars: 100,
} as const;

/** The MIME types accepted, exactly the members of `vImageMime`. */
export const IMAGE_MIME_TYPES: readonly ImageMime[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** A refusal: always the checker's `IMAGE_INVALID` code, with a reason safe to show the owner. */
export interface ImageRefusal {
  ok: false;
  code: "IMAGE_INVALID";
  reason: string;
}

/** The result of `validateImage`. */
export type ImageCheck = { ok: true; contentType: ImageMime; width: number; height: number } | ImageRefusal;

/** The result of `decodeImageDataUrl` / `decodeBase64Image`: the checked bytes, ready to store. */
export type DecodedImage =
  | { ok: true; bytes: Uint8Array; contentType: ImageMime; width: number; height: number }
  | ImageRefusal;

/** Options of the checks. */
export interface ImageCheckOptions {
  /** Largest size in bytes (default `LIMITS.imageBytesMax`). */
  maxBytes?: number;
  /** The Content-Type a client or data URL claimed; it must be an accepted type and match the bytes. */
  claimedType?: string;
  /** Largest width or height (default 16,384). */
  maxDimension?: number;
  /** Largest width × height (default 50,000,000). */
  maxPixels?: number;
}

const refuse = (reason: string): ImageRefusal => ({ ok: false, code: "IMAGE_INVALID", reason });

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

const POLYGLOT_MARKERS: readonly { label: string; bytes: number[] }[] = [
  "<script",
  "<svg",
  "<?php",
  "<html",
  "<body",
  "<iframe",
  "<object",
  "<embed",
  "<!doctype html",
  "javascript:",
].map((label) => ({ label, bytes: ascii(label) }));

/** Lower-cases an ASCII letter byte; other bytes are unchanged. */
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (offset + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[offset + i] !== expected[i]) return false;
  return true;
}

/** The first marker found in `bytes[from, to)`, compared ASCII case-insensitively. */
function findMarker(bytes: Uint8Array, from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0x3c && lower(bytes[i]) !== 0x6a) continue; // "<" or "j" starts every marker
    for (const marker of POLYGLOT_MARKERS) {
      const m = marker.bytes;
      if (i + m.length > to) continue;
      let match = true;
      for (let k = 0; k < m.length && match; k++) match = lower(bytes[i + k]) === m[k];
      if (match) return marker.label;
    }
  }
  return null;
}

/** The markup marker in the scanned head or tail of the file, or null (see the header comment). */
export function findEmbeddedMarkup(bytes: Uint8Array): string | null {
  const headEnd = Math.min(bytes.length, IMAGE_LIMITS.headScanBytes);
  const tailStart = Math.max(headEnd, bytes.length - IMAGE_LIMITS.tailScanBytes);
  // Overlap by the longest marker so a marker straddling the head's end is still found.
  return findMarker(bytes, 0, headEnd) ?? findMarker(bytes, Math.max(0, tailStart - 16), bytes.length);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF87 = ascii("GIF87a");
const GIF89 = ascii("GIF89a");
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");
const FTYP = ascii("ftyp");
const HEIF_BRANDS = new Set(["avif", "avis", "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);

/** The accepted type the magic bytes announce, or null. Looks at the first 12 bytes only. */
export function detectImageType(bytes: Uint8Array): ImageMime | null {
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (startsWith(bytes, 0, GIF87) || startsWith(bytes, 0, GIF89)) return "image/gif";
  if (startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP)) return "image/webp";
  return null;
}

/** Why bytes that match no accepted signature are refused, as specifically as is cheap to say. */
function unknownFormatReason(bytes: Uint8Array): string {
  if (startsWith(bytes, 4, FTYP)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIF_BRANDS.has(brand)) return "AVIF and HEIC images are not accepted; convert to PNG, JPEG or WebP";
  }
  // Skip byte-order marks, NULs (UTF-16) and whitespace: text that then opens a tag is markup.
  let i = 0;
  while (i < Math.min(bytes.length, 64) && [0x00, 0x09, 0x0a, 0x0d, 0x20, 0xef, 0xbb, 0xbf, 0xfe, 0xff].includes(bytes[i])) i++;
  if (bytes[i] === 0x3c) {
    const head = bytes.subarray(0, IMAGE_LIMITS.headScanBytes);
    const text = String.fromCharCode(...head.filter((b) => b !== 0)).toLowerCase();
    if (text.includes("<svg")) return "SVG images are not accepted (SVG can carry scripts)";
    return "The file is HTML or XML markup, not an image";
  }
  return "Not a PNG, JPEG, GIF or WebP image";
}

type Dimensions = { width: number; height: number } | { error: string };

const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
// Multiplication, not `<<`, so the top bit does not make the result negative.
const u32be = (b: Uint8Array, o: number) => b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
const u32le = (b: Uint8Array, o: number) => b[o + 3] * 0x1000000 + ((b[o + 2] << 16) | (b[o + 1] << 8) | b[o]);

const TRUNCATED = { error: "The image header is truncated" };

/** PNG: the IHDR chunk must come first; width and height are its first two 32-bit fields. */
function pngDimensions(b: Uint8Array): Dimensions {
  if (b.length < 24) return TRUNCATED;
  if (u32be(b, 8) !== 13 || !startsWith(b, 12, ascii("IHDR"))) return { error: "The PNG does not start with an IHDR chunk" };
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/** GIF: the logical screen size follows the six-byte signature. */
function gifDimensions(b: Uint8Array): Dimensions {
  if (b.length < 10) return TRUNCATED;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

/** True for a JPEG start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC). */
const isSofMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * JPEG: walks the marker segments by their lengths (so a large EXIF block costs one step) to the
 * first start-of-frame, which holds height then width. Reaching the scan data or the end first
 * means there is no frame to show.
 */
function jpegDimensions(b: Uint8Array): Dimensions {
  let i = 2;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return { error: "The JPEG has a malformed segment" };
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return { error: "The JPEG has no frame header" };
    if (i + 4 > b.length) return TRUNCATED;
    const length = u16be(b, i + 2);
    if (length < 2) return { error: "The JPEG has a malformed segment" };
    if (isSofMarker(marker)) {
      if (i + 9 > b.length || length < 7) return TRUNCATED;
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) };
    }
    i += 2 + length;
  }
  return TRUNCATED;
}

/**
 * WebP: a RIFF container whose first chunk is VP8 (lossy: 14-bit sizes after the start code),
 * VP8L (lossless: 14-bit sizes minus one, bit-packed) or VP8X (extended: 24-bit canvas sizes
 * minus one). The RIFF size must not claim more bytes than there are.
 */
function webpDimensions(b: Uint8Array): Dimensions {
  if (b.length < 20) return TRUNCATED;
  if (u32le(b, 4) + 8 > b.length) return TRUNCATED;
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === "VP8 ") {
    if (b.length < 30) return TRUNCATED;
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return { error: "The WebP has a malformed VP8 frame" };
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b.length < 25) return TRUNCATED;
    if (b[20] !== 0x2f) return { error: "The WebP has a malformed VP8L frame" };
    const bits = u32le(b, 21);
    return { width: (bits % 0x4000) + 1, height: (Math.floor(bits / 0x4000) % 0x4000) + 1 };
  }
  if (chunk === "VP8X") {
    if (b.length < 30) return TRUNCATED;
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return { error: "The WebP has an unknown first chunk" };
}

const DIMENSIONS: Record<ImageMime, (b: Uint8Array) => Dimensions> = {
  "image/png": pngDimensions,
  "image/gif": gifDimensions,
  "image/jpeg": jpegDimensions,
  "image/webp": webpDimensions,
};

/**
 * A claimed Content-Type as an accepted type: lower-cased, parameters dropped, `image/jpg` read
 * as `image/jpeg`. `undefined` means "no claim" (absent, empty or application/octet-stream);
 * null means a claim we refuse.
 */
export function normalizeImageMime(claim: string | undefined): ImageMime | undefined | null {
  if (claim === undefined) return undefined;
  const mime = claim.split(";")[0].trim().toLowerCase();
  if (mime === "" || mime === "application/octet-stream") return undefined;
  if (mime === "image/jpg") return "image/jpeg";
  return IMAGE_MIME_TYPES.find((t) => t === mime) ?? null;
}

/** The refusal for a claimed type that is not accepted, quoting at most 40 characters of it. */
function claimRefusal(claim: string): ImageRefusal {
  const shown = claim.slice(0, 40);
  if (/svg/i.test(claim)) return refuse("SVG images are not accepted (SVG can carry scripts)");
  return refuse(`The type "${shown}" is not an accepted image type (PNG, JPEG, GIF or WebP)`);
}

/**
 * Checks that `data` is a PNG, JPEG, GIF or WebP image, in this order: not empty; no larger than
 * `maxBytes`; the claimed type (if any) is an accepted one; the magic bytes name an accepted
 * format (SVG, HTML/XML, AVIF/HEIC and everything else refused with their own reason); the claim,
 * if any, matches what the bytes are; the header is complete and its width and height are
 * between 1 and `maxDimension` with at most `maxPixels` pixels; and no markup marker is found
 * where `findEmbeddedMarkup` looks. Returns the detected type and size, or `IMAGE_INVALID`.
 */
export function validateImage(data: Uint8Array | ArrayBuffer, options: ImageCheckOptions = {}): ImageCheck {
  // isView rather than instanceof: a Uint8Array from another realm (a test VM, a Buffer) still counts.
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  const maxBytes = options.maxBytes ?? IMAGE_LIMITS.maxBytes;
  const maxDimension = options.maxDimension ?? IMAGE_LIMITS.maxDimension;
  const maxPixels = options.maxPixels ?? IMAGE_LIMITS.maxPixels;

  if (bytes.length === 0) return refuse("The image is empty");
  if (bytes.length > maxBytes) return refuse(`The image is too large (${bytes.length} bytes; the limit is ${maxBytes})`);
  const claimed = normalizeImageMime(options.claimedType);
  if (claimed === null) return claimRefusal(options.claimedType ?? "");

  const contentType = detectImageType(bytes);
  if (contentType === null) return refuse(unknownFormatReason(bytes));
  if (claimed !== undefined && claimed !== contentType) {
    return refuse(`The image claims to be ${claimed} but its bytes are ${contentType}`);
  }

  const size = DIMENSIONS[contentType](bytes);
  if ("error" in size) return refuse(size.error);
  const { width, height } = size;
  if (width === 0 || height === 0) return refuse(`The image has no pixels (${width}×${height})`);
  if (width > maxDimension || height > maxDimension) {
    return refuse(`The image is too large (${width}×${height}; at most ${maxDimension} pixels per side)`);
  }
  if (width * height > maxPixels) {
    return refuse(`The image has too many pixels (${width}×${height}; at most ${maxPixels})`);
  }

  const marker = findEmbeddedMarkup(bytes);
  if (marker !== null) return refuse(`The image contains embedded markup ("${marker}")`);
  return { ok: true, contentType, width, height };
}

/** Base64 characters allowed in `maxBytes` bytes of data (4 characters per 3 bytes, padded). */
export function maxBase64Chars(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4;
}

// Value of each base64 character, or -1. Standard alphabet only: no URL-safe "-" or "_".
const BASE64_VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decodes strict base64 (standard alphabet, padding optional, no whitespace) into exactly sized
 * bytes, or returns null on any other character or an impossible length.
 */
function decodeBase64(text: string): Uint8Array | null {
  let end = text.length;
  if (end > 0 && text[end - 1] === "=") end--;
  if (end > 0 && text[end - 1] === "=") end--;
  if (end % 4 === 1 || (end !== text.length && text.length % 4 !== 0)) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0) return null;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a base64 image (no `data:` prefix) and validates it with `validateImage`. The length of
 * the text is checked against `maxBytes` first, so an oversize string is refused before any
 * decoding or allocation.
 */
export function decodeBase64Image(base64: string, options: ImageCheckOptions = {}): DecodedImage {
  if (typeof base64 !== "string") return refuse("The image must be a base64 string");
  const maxBytes = options.maxBytes ?? IMAGE_LIMITS.maxBytes;
  if (base64.length > maxBase64Chars(maxBytes)) {
    return refuse(`The image is too large (more than ${maxBytes} bytes once decoded)`);
  }
  if (base64.length === 0) return refuse("The image is empty");
  const claimed = normalizeImageMime(options.claimedType);
  if (claimed === null) return claimRefusal(options.claimedType ?? "");
  const bytes = decodeBase64(base64);
  if (bytes === null) return refuse("The image is not valid base64");
  const check = validateImage(bytes, { ...options, maxBytes });
  return check.ok ? { ...check, bytes } : check;
}

/**
 * Decodes an inline image given as a `data:` URL (`data:image/png;base64,...`; only the accepted
 * image types, base64 only) or as bare base64, and validates it. The data URL's type is the
 * claim the bytes must match; SVG and non-image types are refused before decoding. The whole
 * string's length is bounded first, so a huge string is refused without being copied or decoded.
 */
export function decodeImageDataUrl(input: string, options: ImageCheckOptions = {}): DecodedImage {
  if (typeof input !== "string") return refuse("The image must be a string");
  const maxBytes = options.maxBytes ?? IMAGE_LIMITS.maxBytes;
  if (input.length > maxBase64Chars(maxBytes) + IMAGE_LIMITS.dataUrlHeaderChars) {
    return refuse(`The image is too large (more than ${maxBytes} bytes once decoded)`);
  }
  if (input.slice(0, 5).toLowerCase() !== "data:") return decodeBase64Image(input, options);

  const comma = input.indexOf(",");
  if (comma < 0 || comma > IMAGE_LIMITS.dataUrlHeaderChars) return refuse("The data URL is malformed");
  const params = input.slice(5, comma).split(";").map((p) => p.trim().toLowerCase());
  const mime = params[0];
  if (mime === "") return refuse("The data URL has no image type");
  const type = normalizeImageMime(mime);
  if (type === null || type === undefined) return claimRefusal(mime);
  if (params.at(-1) !== "base64") return refuse("The data URL must be base64-encoded");
  return decodeBase64Image(input.slice(comma + 1), { ...options, maxBytes, claimedType: type });
}
