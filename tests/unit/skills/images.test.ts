// Image validation (convex/skills/templates/images.ts): the bytes decide the type, only PNG, JPEG,
// GIF and WebP pass, and SVG, markup, polyglots, decompression bombs and oversize inline base64
// are refused with IMAGE_INVALID. Every image here is built byte by byte in the test.
import { describe, expect, it } from "vitest";

import { LIMITS, vImageMime } from "../../../convex/lib/validators.ts";
import {
  IMAGE_LIMITS,
  IMAGE_MIME_TYPES,
  decodeBase64Image,
  decodeImageDataUrl,
  detectImageType,
  findEmbeddedMarkup,
  maxBase64Chars,
  normalizeImageMime,
  validateImage,
} from "../../../convex/skills/templates/images.ts";

const bytes = (...parts: (number[] | string | Uint8Array)[]): Uint8Array => {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === "string") for (const c of part) out.push(c.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
};
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const toBase64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Signature, IHDR (8-bit RGBA), an empty IDAT and IEND; CRCs are not checked, so zeros. */
const png = (width: number, height: number, extra: (number[] | string)[] = []) =>
  bytes(PNG_SIG, be32(13), "IHDR", be32(width), be32(height), [8, 6, 0, 0, 0], be32(0), ...extra, be32(0), "IEND", be32(0));
/** Header, logical screen, no colour table, and the trailer. */
const gif = (width: number, height: number, version = "GIF89a") => bytes(version, le16(width), le16(height), [0, 0, 0], ";");
/** SOI, a JFIF APP0, a baseline SOF0 for three components, and EOI. */
const jfif = bytes([0xff, 0xe0], be16(16), "JFIF\0", [1, 1, 0], be16(1), be16(1), [0, 0]);
const sof0 = (width: number, height: number) => bytes([0xff, 0xc0], be16(17), [8], be16(height), be16(width), [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const jpeg = (width: number, height: number, segments: Uint8Array[] = [jfif]) => bytes([0xff, 0xd8], ...segments, sof0(width, height), [0xff, 0xd9]);
/** A RIFF/WEBP container around one chunk, with a correct RIFF size. */
const riff = (chunk: Uint8Array) => bytes("RIFF", le32(4 + chunk.length), "WEBP", chunk);
const webpLossless = (width: number, height: number) => {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff(bytes("VP8L", le32(5), [0x2f], le32(bits)));
};
const webpLossy = (width: number, height: number) =>
  riff(bytes("VP8 ", le32(10), [0x30, 0x01, 0x00], [0x9d, 0x01, 0x2a], le16(width), le16(height)));
const webpExtended = (width: number, height: number) => riff(bytes("VP8X", le32(10), [0, 0, 0, 0], le24(width - 1), le24(height - 1)));

/** A real 1×1 PNG as produced by an encoder (with CRCs and compressed data). */
const REAL_PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const refused = (reason: string) => ({ ok: false, code: "IMAGE_INVALID", reason });

describe("the accepted types", () => {
  it("are exactly the members of vImageMime", () => {
    expect(vImageMime.members.map((m) => m.value)).toEqual([...IMAGE_MIME_TYPES]);
  });

  it("default to the project's 5 MB limit", () => {
    expect(IMAGE_LIMITS.maxBytes).toBe(LIMITS.imageBytesMax);
    expect(IMAGE_LIMITS.maxBytes).toBe(5 * 1024 * 1024);
  });
});

describe("validateImage: accepted images", () => {
  it.each([
    ["a PNG", png(640, 480), "image/png", 640, 480],
    ["a 1×1 PNG", png(1, 1), "image/png", 1, 1],
    ["a real encoder's PNG", new Uint8Array(Buffer.from(REAL_PNG_BASE64, "base64")), "image/png", 1, 1],
    ["a GIF89a", gif(320, 200), "image/gif", 320, 200],
    ["a GIF87a", gif(16, 16, "GIF87a"), "image/gif", 16, 16],
    ["a JPEG (JFIF)", jpeg(1024, 768), "image/jpeg", 1024, 768],
    ["a JPEG with no APP segments", jpeg(10, 20, []), "image/jpeg", 10, 20],
    ["a JPEG with a large EXIF block before the frame", jpeg(300, 200, [bytes([0xff, 0xe1], be16(60_002), "Exif\0\0", new Uint8Array(59_994))]), "image/jpeg", 300, 200],
    ["a JPEG with fill bytes before a marker", jpeg(5, 6, [jfif, bytes([0xff, 0xff])]), "image/jpeg", 5, 6],
    ["a progressive JPEG (SOF2)", bytes([0xff, 0xd8], [0xff, 0xc2], be16(17), [8], be16(50), be16(60), new Uint8Array(9), [0xff, 0xd9]), "image/jpeg", 60, 50],
    ["a lossless WebP (VP8L)", webpLossless(800, 600), "image/webp", 800, 600],
    ["a lossy WebP (VP8)", webpLossy(1920, 1080), "image/webp", 1920, 1080],
    ["an extended WebP (VP8X)", webpExtended(4000, 3000), "image/webp", 4000, 3000],
    ["the largest side allowed", png(16_384, 1), "image/png", 16_384, 1],
  ])("%s", (_name, data, contentType, width, height) => {
    expect(validateImage(data)).toEqual({ ok: true, contentType, width, height });
  });

  it("accepts an ArrayBuffer and a Uint8Array view into a larger buffer", () => {
    const image = png(2, 3);
    const buffer = new ArrayBuffer(image.length);
    new Uint8Array(buffer).set(image);
    expect(validateImage(buffer)).toEqual({ ok: true, contentType: "image/png", width: 2, height: 3 });
    const padded = new Uint8Array(image.length + 20);
    padded.set(image, 10);
    expect(validateImage(padded.subarray(10, 10 + image.length))).toEqual({ ok: true, contentType: "image/png", width: 2, height: 3 });
  });

  it.each([
    ["the matching type", "image/png"],
    ["the matching type in upper case with parameters", "IMAGE/PNG; charset=binary"],
    ["no claim", undefined],
    ["an empty claim", ""],
    ["application/octet-stream", "application/octet-stream"],
  ])("accepts a PNG claiming %s", (_name, claimedType) => {
    expect(validateImage(png(4, 4), { claimedType })).toEqual({ ok: true, contentType: "image/png", width: 4, height: 4 });
  });

  it("reads image/jpg as image/jpeg", () => {
    expect(validateImage(jpeg(4, 4), { claimedType: "image/jpg" })).toEqual({ ok: true, contentType: "image/jpeg", width: 4, height: 4 });
  });
});

const SVG = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.domain)</script></svg>`;

describe("validateImage: refused", () => {
  it.each([
    ["empty", new Uint8Array(0), "The image is empty"],
    ["SVG", bytes(SVG), "SVG images are not accepted (SVG can carry scripts)"],
    ["SVG without an XML declaration", bytes("<svg onload=alert(1)>"), "SVG images are not accepted (SVG can carry scripts)"],
    ["SVG with a BOM and leading whitespace", bytes([0xef, 0xbb, 0xbf], "\n  <svg/>"), "SVG images are not accepted (SVG can carry scripts)"],
    ["SVG in UTF-16", bytes([0xff, 0xfe], Array.from("<svg/>").flatMap((c) => [c.charCodeAt(0), 0])), "SVG images are not accepted (SVG can carry scripts)"],
    ["HTML", bytes("<!DOCTYPE html><html><script>alert(1)</script></html>"), "The file is HTML or XML markup, not an image"],
    ["XML", bytes("<?xml version=\"1.0\"?><root/>"), "The file is HTML or XML markup, not an image"],
    ["a script", bytes("alert(document.cookie)"), "Not a PNG, JPEG, GIF or WebP image"],
    ["a PHP file", bytes("<?php system($_GET['c']); ?>"), "The file is HTML or XML markup, not an image"],
    ["a PDF", bytes("%PDF-1.7\n"), "Not a PNG, JPEG, GIF or WebP image"],
    ["a BMP", bytes("BM", new Uint8Array(60)), "Not a PNG, JPEG, GIF or WebP image"],
    ["a zip", bytes([0x50, 0x4b, 0x03, 0x04], new Uint8Array(30)), "Not a PNG, JPEG, GIF or WebP image"],
    ["AVIF", bytes(be32(32), "ftyp", "avif", be32(0), "mif1miaf", new Uint8Array(16)), "AVIF and HEIC images are not accepted; convert to PNG, JPEG or WebP"],
    ["HEIC", bytes(be32(24), "ftyp", "heic", be32(0), "mif1heic"), "AVIF and HEIC images are not accepted; convert to PNG, JPEG or WebP"],
    ["an MP4", bytes(be32(24), "ftyp", "isom", be32(0), "isomiso2"), "Not a PNG, JPEG, GIF or WebP image"],
    ["a RIFF that is not WebP (WAV)", bytes("RIFF", le32(36), "WAVEfmt ", new Uint8Array(20)), "Not a PNG, JPEG, GIF or WebP image"],
  ])("%s", (_name, data, reason) => {
    expect(validateImage(data)).toEqual(refused(reason));
  });

  it.each([
    ["a PNG signature only", bytes(PNG_SIG), "The image header is truncated"],
    ["a PNG cut inside IHDR", png(10, 10).subarray(0, 20), "The image header is truncated"],
    ["a PNG whose first chunk is not IHDR", bytes(PNG_SIG, be32(13), "tEXt", new Uint8Array(17)), "The PNG does not start with an IHDR chunk"],
    ["a GIF cut after the signature", bytes("GIF89a", [1, 0]), "The image header is truncated"],
    ["a JPEG with only the start marker", bytes([0xff, 0xd8, 0xff]), "The image header is truncated"],
    ["a JPEG cut inside a segment", jpeg(10, 10).subarray(0, 12), "The image header is truncated"],
    ["a JPEG cut inside the frame header", bytes([0xff, 0xd8], sof0(10, 10).subarray(0, 6)), "The image header is truncated"],
    ["a JPEG whose segment length skips past the end", bytes([0xff, 0xd8], [0xff, 0xe1], be16(60_000), "Exif"), "The image header is truncated"],
    ["a JPEG with scan data before any frame", bytes([0xff, 0xd8], [0xff, 0xda], be16(8), new Uint8Array(6), [0xff, 0xd9]), "The JPEG has no frame header"],
    ["a JPEG that ends before any frame", bytes([0xff, 0xd8], jfif, [0xff, 0xd9]), "The JPEG has no frame header"],
    ["a JPEG with garbage between segments", bytes([0xff, 0xd8], jfif, [0x00, 0x11], sof0(1, 1)), "The JPEG has a malformed segment"],
    ["a JPEG segment length below 2", bytes([0xff, 0xd8], [0xff, 0xe0], be16(1), new Uint8Array(8)), "The JPEG has a malformed segment"],
    ["a WebP header only", bytes("RIFF", le32(4), "WEBP"), "The image header is truncated"],
    ["a WebP whose RIFF size claims more than there is", bytes("RIFF", le32(1000), "WEBP", "VP8L", le32(5), [0x2f], le32(0)), "The image header is truncated"],
    ["a VP8 frame without its start code", riff(bytes("VP8 ", le32(10), [0x30, 0x01, 0x00], [0, 0, 0], le16(1), le16(1))), "The WebP has a malformed VP8 frame"],
    ["a VP8L frame without its signature", riff(bytes("VP8L", le32(5), [0x00], le32(0))), "The WebP has a malformed VP8L frame"],
    ["a WebP with an unknown first chunk", riff(bytes("ABCD", le32(10), new Uint8Array(10))), "The WebP has an unknown first chunk"],
  ])("a truncated or malformed header: %s", (_name, data, reason) => {
    expect(validateImage(data)).toEqual(refused(reason));
  });

  it.each([
    ["a zero-width PNG", png(0, 10), "The image has no pixels (0×10)"],
    ["a zero-height GIF", gif(10, 0), "The image has no pixels (10×0)"],
    ["a zero-size JPEG", jpeg(0, 0), "The image has no pixels (0×0)"],
    ["a zero-size lossy WebP", webpLossy(0, 5), "The image has no pixels (0×5)"],
    ["a PNG one pixel too wide", png(16_385, 1), "The image is too large (16385×1; at most 16384 pixels per side)"],
    ["a PNG declaring 2^31 pixels a side", png(0x80000000, 0x80000000), "The image is too large (2147483648×2147483648; at most 16384 pixels per side)"],
    ["a PNG declaring the largest 32-bit size", png(0xffffffff, 1), "The image is too large (4294967295×1; at most 16384 pixels per side)"],
    ["a GIF at the format's maximum", gif(65_535, 65_535), "The image is too large (65535×65535; at most 16384 pixels per side)"],
    ["a JPEG at the format's maximum", jpeg(65_535, 100), "The image is too large (65535×100; at most 16384 pixels per side)"],
    ["an extended WebP at the format's maximum", webpExtended(16_777_216, 16_777_216), "The image is too large (16777216×16777216; at most 16384 pixels per side)"],
    ["a decompression bomb within the side limit", png(16_384, 16_384), "The image has too many pixels (16384×16384; at most 50000000)"],
    ["just over the pixel budget", png(10_000, 5_001), "The image has too many pixels (10000×5001; at most 50000000)"],
  ])("zero or absurd dimensions: %s", (_name, data, reason) => {
    expect(validateImage(data)).toEqual(refused(reason));
  });

  it("accepts exactly the pixel budget", () => {
    expect(validateImage(png(10_000, 5_000))).toEqual({ ok: true, contentType: "image/png", width: 10_000, height: 5_000 });
  });

  it("honours lower limits from the caller", () => {
    expect(validateImage(png(100, 100), { maxDimension: 64 })).toEqual(refused("The image is too large (100×100; at most 64 pixels per side)"));
    expect(validateImage(png(100, 100), { maxPixels: 9_999 })).toEqual(refused("The image has too many pixels (100×100; at most 9999)"));
  });

  it("refuses an image over the size limit, before looking inside", () => {
    const huge = new Uint8Array(LIMITS.imageBytesMax + 1);
    huge.set(png(10, 10));
    expect(validateImage(huge)).toEqual(refused("The image is too large (5242881 bytes; the limit is 5242880)"));
  });

  it("accepts an image of exactly the size limit", () => {
    const exact = new Uint8Array(LIMITS.imageBytesMax);
    exact.set(png(10, 10));
    expect(validateImage(exact)).toEqual({ ok: true, contentType: "image/png", width: 10, height: 10 });
  });

  it("takes a smaller size limit from the caller", () => {
    expect(validateImage(png(1, 1), { maxBytes: 20 })).toEqual(refused("The image is too large (45 bytes; the limit is 20)"));
  });

  it.each([
    ["SVG bytes claiming image/png", bytes(SVG), "image/png", "SVG images are not accepted (SVG can carry scripts)"],
    ["HTML bytes claiming image/jpeg", bytes("<html><body onload=alert(1)>"), "image/jpeg", "The file is HTML or XML markup, not an image"],
    ["a PNG claiming image/svg+xml", png(1, 1), "image/svg+xml", "SVG images are not accepted (SVG can carry scripts)"],
    ["a PNG claiming text/html", png(1, 1), "text/html", "The type \"text/html\" is not an accepted image type (PNG, JPEG, GIF or WebP)"],
    ["a PNG claiming image/bmp", png(1, 1), "image/bmp", "The type \"image/bmp\" is not an accepted image type (PNG, JPEG, GIF or WebP)"],
    ["a PNG claiming image/avif", png(1, 1), "image/avif", "The type \"image/avif\" is not an accepted image type (PNG, JPEG, GIF or WebP)"],
    ["a PNG claiming image/jpeg", png(1, 1), "image/jpeg", "The image claims to be image/jpeg but its bytes are image/png"],
    ["a GIF claiming image/webp", gif(1, 1), "image/webp", "The image claims to be image/webp but its bytes are image/gif"],
    ["a long claim is quoted short", png(1, 1), `x/${"y".repeat(100)}`, `The type "x/${"y".repeat(38)}" is not an accepted image type (PNG, JPEG, GIF or WebP)`],
  ])("a false claim: %s", (_name, data, claimedType, reason) => {
    expect(validateImage(data, { claimedType })).toEqual(refused(reason));
  });
});

describe("validateImage: polyglots", () => {
  it.each([
    ["<script> in a PNG text chunk", png(8, 8, [be32(30), "tEXt", "Comment\0<script>alert(1)</script>", be32(0)]), "<script"],
    ["<svg in a PNG text chunk", png(8, 8, [be32(20), "tEXt", "x\0<svg onload=x>", be32(0)]), "<svg"],
    ["<?php in a JPEG comment", jpeg(8, 8, [jfif, bytes([0xff, 0xfe], be16(24), "<?php system('id'); ?>")]), "<?php"],
    ["upper-case <HTML> in a JPEG comment", jpeg(8, 8, [bytes([0xff, 0xfe], be16(14), "<HTML><BODY>")]), "<html"],
    ["an iframe in a GIF comment", bytes(gif(1, 1).subarray(0, 13), [0x21, 0xfe, 20], "<iframe src=//x.y>  ", [0], ";"), "<iframe"],
    ["javascript: in a WebP", bytes("RIFF", le32(4 + 13 + 30), "WEBP", "VP8L", le32(5), [0x2f], le32(0), "javascript:alert(1)", new Uint8Array(11)), "javascript:"],
    ["HTML appended after a PNG", bytes(png(8, 8), "<!DOCTYPE html><p>hi</p>"), "<!doctype html"],
    ["PHP appended after a JPEG", bytes(jpeg(8, 8), "<?php echo 1; ?>"), "<?php"],
    ["an object tag after a GIF", bytes(gif(2, 2), "<object data=x>"), "<object"],
    ["an embed tag after a WebP", bytes(webpLossless(2, 2), "<embed src=x>"), "<embed"],
  ])("refuses %s", (_name, data, marker) => {
    expect(validateImage(data)).toEqual(refused(`The image contains embedded markup ("${marker}")`));
  });

  it("finds markup just before the end of the head", () => {
    const data = new Uint8Array(20_000);
    data.set(png(8, 8));
    data.set(bytes("<script"), IMAGE_LIMITS.headScanBytes - 7);
    expect(findEmbeddedMarkup(data)).toBe("<script");
  });

  it("finds markup straddling the start of the tail", () => {
    const data = new Uint8Array(20_000);
    data.set(png(8, 8));
    data.set(bytes("<script"), data.length - IMAGE_LIMITS.tailScanBytes - 3);
    expect(findEmbeddedMarkup(data)).toBe("<script");
  });

  it("does not search the middle of a large file (documented)", () => {
    const data = new Uint8Array(20_000);
    data.set(png(8, 8));
    data.set(bytes("<script>"), 10_000);
    expect(validateImage(data)).toEqual({ ok: true, contentType: "image/png", width: 8, height: 8 });
  });

  it.each([
    ["XMP metadata", png(8, 8, [be32(60), "iTXt", "XML:com.adobe.xmp\0\0\0\0\0<?xpacket begin='' id='W5M0'?><x:xmpmeta/>", be32(0)])],
    ["a harmless comment", jpeg(8, 8, [bytes([0xff, 0xfe], be16(19), "Made with love <3")])],
    ["a scrip tag prefix", bytes(png(8, 8), "<scrip")],
  ])("allows %s", (_name, data) => {
    expect(validateImage(data).ok).toBe(true);
  });
});

describe("detectImageType and normalizeImageMime", () => {
  it.each([
    ["png", png(1, 1), "image/png"],
    ["jpeg", jpeg(1, 1), "image/jpeg"],
    ["gif", gif(1, 1), "image/gif"],
    ["webp", webpLossless(1, 1), "image/webp"],
    ["svg", bytes("<svg/>"), null],
    ["two bytes", bytes([0xff, 0xd8]), null],
    ["empty", new Uint8Array(0), null],
  ])("detects %s", (_name, data, type) => {
    expect(detectImageType(data)).toBe(type);
  });

  it.each([
    ["image/png", "image/png"],
    [" Image/WEBP ; q=1", "image/webp"],
    ["image/jpg", "image/jpeg"],
    ["", undefined],
    ["application/octet-stream", undefined],
    [undefined, undefined],
    ["image/svg+xml", null],
    ["text/html", null],
    ["image/png-but-not", null],
  ])("normalises %s", (claim, expected) => {
    expect(normalizeImageMime(claim)).toBe(expected);
  });
});

describe("decodeImageDataUrl and decodeBase64Image", () => {
  const realPng = new Uint8Array(Buffer.from(REAL_PNG_BASE64, "base64"));

  it("decodes a PNG data URL to its exact bytes", () => {
    expect(decodeImageDataUrl(`data:image/png;base64,${REAL_PNG_BASE64}`)).toEqual({ ok: true, bytes: realPng, contentType: "image/png", width: 1, height: 1 });
  });

  it("decodes bare base64", () => {
    expect(decodeImageDataUrl(REAL_PNG_BASE64)).toEqual({ ok: true, bytes: realPng, contentType: "image/png", width: 1, height: 1 });
    expect(decodeBase64Image(REAL_PNG_BASE64)).toEqual({ ok: true, bytes: realPng, contentType: "image/png", width: 1, height: 1 });
  });

  it.each([
    ["a JPEG", "image/jpeg", jpeg(30, 40), 30, 40],
    ["a GIF", "image/gif", gif(3, 4), 3, 4],
    ["a WebP", "image/webp", webpLossy(5, 6), 5, 6],
    ["image/jpg", "image/jpg", jpeg(1, 2), 1, 2],
    ["an upper-case type", "IMAGE/PNG", png(7, 8), 7, 8],
  ])("decodes %s", (_name, mime, data, width, height) => {
    const decoded = decodeImageDataUrl(`data:${mime};base64,${toBase64(data)}`);
    expect(decoded).toEqual({ ok: true, bytes: data, contentType: mime.toLowerCase() === "image/jpg" ? "image/jpeg" : mime.toLowerCase(), width, height });
  });

  it.each([
    ["no padding", 1],
    ["one padding character", 2],
    ["two padding characters", 3],
  ])("decodes base64 with %s", (_name, extraBytes) => {
    const data = bytes(png(2, 2), new Uint8Array(extraBytes).fill(7));
    const encoded = toBase64(data);
    const decoded = decodeBase64Image(encoded.replace(/=+$/, ""));
    expect(decoded).toEqual({ ok: true, bytes: data, contentType: "image/png", width: 2, height: 2 });
    expect(decodeBase64Image(encoded)).toEqual(decoded);
  });

  it.each([
    ["an svg data URL", `data:image/svg+xml;base64,${toBase64(bytes(SVG))}`, "SVG images are not accepted (SVG can carry scripts)"],
    ["an svg data URL that is not base64", `data:image/svg+xml,${encodeURIComponent(SVG)}`, "SVG images are not accepted (SVG can carry scripts)"],
    ["an HTML data URL", `data:text/html;base64,${toBase64(bytes("<script>alert(1)</script>"))}`, "The type \"text/html\" is not an accepted image type (PNG, JPEG, GIF or WebP)"],
    ["a data URL with no type", `data:;base64,${REAL_PNG_BASE64}`, "The data URL has no image type"],
    ["a data URL that is not base64", `data:image/png,${REAL_PNG_BASE64}`, "The data URL must be base64-encoded"],
    ["a data URL without a comma", "data:image/png;base64", "The data URL is malformed"],
    ["a data URL with an overlong header", `data:image/png;${"x".repeat(200)};base64,${REAL_PNG_BASE64}`, "The data URL is malformed"],
    ["a PNG data URL holding SVG", `data:image/png;base64,${toBase64(bytes(SVG))}`, "SVG images are not accepted (SVG can carry scripts)"],
    ["a PNG data URL holding a JPEG", `data:image/png;base64,${toBase64(jpeg(1, 1))}`, "The image claims to be image/png but its bytes are image/jpeg"],
    ["a javascript: URL", "javascript:alert(1)", "The image is not valid base64"],
    ["base64 with whitespace", `${REAL_PNG_BASE64.slice(0, 20)}\n${REAL_PNG_BASE64.slice(20)}`, "The image is not valid base64"],
    ["URL-safe base64", toBase64(bytes(png(1, 1), [0xfb, 0xff])).replace(/\+/g, "-").replace(/\//g, "_"), "The image is not valid base64"],
    ["an impossible length", "AAAAA", "The image is not valid base64"],
    ["padding in the middle", "AA==AAAA", "The image is not valid base64"],
    ["non-ASCII characters", "ÄÖÜß", "The image is not valid base64"],
    ["an empty string", "", "The image is empty"],
    ["an empty data URL", "data:image/png;base64,", "The image is empty"],
    ["base64 of nothing useful", toBase64(bytes("hello world")), "Not a PNG, JPEG, GIF or WebP image"],
  ])("refuses %s", (_name, input, reason) => {
    expect(decodeImageDataUrl(input)).toEqual(refused(reason));
  });

  it("refuses a claimed SVG for bare base64", () => {
    expect(decodeBase64Image(REAL_PNG_BASE64, { claimedType: "image/svg+xml" })).toEqual(refused("SVG images are not accepted (SVG can carry scripts)"));
  });

  it("bounds base64 by the decoded size limit", () => {
    expect(maxBase64Chars(LIMITS.imageBytesMax)).toBe(6_990_508);
    expect(maxBase64Chars(3)).toBe(4);
    expect(maxBase64Chars(4)).toBe(8);
  });

  it("accepts base64 of exactly the size limit", () => {
    const data = new Uint8Array(30);
    data.set(png(1, 1).subarray(0, 30));
    const result = decodeBase64Image(toBase64(data), { maxBytes: 30 });
    expect(result.ok).toBe(true);
  });

  it("refuses base64 one block over the size limit", () => {
    expect(decodeBase64Image("A".repeat(44), { maxBytes: 30 })).toEqual(refused("The image is too large (more than 30 bytes once decoded)"));
  });

  it("refuses a huge string by its length, without decoding it", () => {
    // 100 MB of "A"s would decode to 75 MB; the refusal comes from the length alone, so it is
    // immediate, and "A" * n is valid base64, so only the size check can refuse it.
    const huge = "A".repeat(100 * 1024 * 1024);
    const started = performance.now();
    expect(decodeImageDataUrl(`data:image/png;base64,${huge}`)).toEqual(refused("The image is too large (more than 5242880 bytes once decoded)"));
    expect(decodeBase64Image(huge)).toEqual(refused("The image is too large (more than 5242880 bytes once decoded)"));
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("refuses just over the default limit as a data URL", () => {
    const input = `data:image/png;base64,${"A".repeat(maxBase64Chars(LIMITS.imageBytesMax) + 4)}`;
    expect(decodeImageDataUrl(input)).toEqual(refused("The image is too large (more than 5242880 bytes once decoded)"));
  });

  it("refuses a non-string", () => {
    expect(decodeImageDataUrl(42 as unknown as string)).toEqual(refused("The image must be a string"));
    expect(decodeBase64Image(null as unknown as string)).toEqual(refused("The image must be a base64 string"));
  });
});
