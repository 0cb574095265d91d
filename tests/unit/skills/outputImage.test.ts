// An image a skill run produced (convex/skills/outputImage.ts): validated by its bytes before
// anything is stored, refused as IMAGE_INVALID when it is not a safe raster image, and otherwise
// stored and replaced by a short description, so the model and the log never see its bytes.
import { describe, expect, it } from "vitest";

import type { Id } from "../../../convex/_generated/dataModel";
import { sha256Hex } from "../../../convex/lib/hash";
import { LIMITS } from "../../../convex/lib/validators";
import type { RunResult } from "../../../convex/skills/execute";
import { settleImage, type CheckedImage } from "../../../convex/skills/outputImage";
import { pngBytes, scriptedSvg } from "../../fixtures/images";

const STORAGE_ID = "kg2storedimage" as Id<"_storage">;

/** A store that records what it was given, standing in for file storage plus the `images` row. */
function fakeStore() {
  const stored: CheckedImage[] = [];
  const store = async (image: CheckedImage) => {
    stored.push(image);
    return STORAGE_ID;
  };
  return { stored, store };
}

const imageRun = (bytes: Uint8Array, claimedType: string | null): RunResult => ({ ok: true, output: "", image: { bytes, claimedType } });

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
const text = (value: string) => new TextEncoder().encode(value);
/** A GIF89a header, logical screen and trailer. */
const gifBytes = (width: number, height: number) => concat(text("GIF89a"), Uint8Array.from([width & 0xff, width >> 8, height & 0xff, height >> 8, 0, 0, 0]), text(";"));

describe("an image a skill produced", () => {
  it("is stored when it is a valid PNG, and the run's text becomes a description with its type, dimensions and size, never base64", async () => {
    const { stored, store } = fakeStore();
    // Trailing zeros after IEND: a bigger file, so the size shows its thousands separator.
    const png = concat(pngBytes(64, 48), new Uint8Array(1200));
    const outcome = await settleImage(imageRun(png, "image/png"), store);
    expect(outcome).toEqual({
      result: { ok: true, output: `Image produced (image/png, 64×48, 1,245 bytes), stored as ${STORAGE_ID}.` },
      stored: { storageId: STORAGE_ID, bytes: 1245 },
    });
    expect(stored).toEqual([{ bytes: png, contentType: "image/png", width: 64, height: 48, sha256: sha256Hex(png) }]);
    const output = outcome.result.ok ? outcome.result.output : "";
    expect(output).not.toContain(Buffer.from(png).toString("base64").slice(0, 16));
    expect(output).not.toMatch(/base64|iVBOR/);
  });

  it.each([
    ["an SVG labelled image/svg+xml", scriptedSvg, "image/svg+xml"],
    ["an SVG body mislabelled image/png", scriptedSvg, "image/png"],
    ["an HTML body labelled image/png", text("<html><body><script>alert(1)</script></body></html>"), "image/png"],
    ["a polyglot: a valid PNG with a script appended", concat(pngBytes(10, 10), text("<script>alert(1)</script>")), "image/png"],
    ["a truncated PNG", pngBytes(10, 10).subarray(0, 20), "image/png"],
    ["a PNG over the size limit", concat(pngBytes(10, 10), new Uint8Array(LIMITS.imageBytesMax)), "image/png"],
    ["a type that is not a raster image", pngBytes(10, 10), "image/x-icon"],
  ])("is refused as IMAGE_INVALID, and nothing is stored, when it is %s", async (_name, bytes, claimedType) => {
    const { stored, store } = fakeStore();
    const outcome = await settleImage(imageRun(bytes, claimedType), store);
    expect(outcome).toEqual({ result: { ok: false, code: "IMAGE_INVALID", message: expect.any(String) } });
    expect(stored).toEqual([]);
  });

  it("is typed by its magic bytes: a claimed content type never overrides them", async () => {
    const { stored, store } = fakeStore();
    expect((await settleImage(imageRun(pngBytes(10, 10), "image/jpeg"), store)).result).toEqual({
      ok: false,
      code: "IMAGE_INVALID",
      message: "The image claims to be image/jpeg but its bytes are image/png",
    });
    expect((await settleImage(imageRun(gifBytes(10, 10), "image/png"), store)).result).toMatchObject({ ok: false, code: "IMAGE_INVALID" });
    expect(stored).toEqual([]);
    // With no claim at all, the bytes alone decide.
    expect((await settleImage(imageRun(gifBytes(3, 2), null), store)).result).toEqual({
      ok: true,
      output: `Image produced (image/gif, 3×2, 14 bytes), stored as ${STORAGE_ID}.`,
    });
    expect(stored.map((image) => image.contentType)).toEqual(["image/gif"]);
  });

  it("leaves a text result or a failure untouched and stores nothing", async () => {
    const { stored, store } = fakeStore();
    const textRun: RunResult = { ok: true, output: "sunny" };
    const failed: RunResult = { ok: false, code: "TIMEOUT", message: "too slow" };
    expect(await settleImage(textRun, store)).toEqual({ result: textRun });
    expect(await settleImage(failed, store)).toEqual({ result: failed });
    expect(stored).toEqual([]);
  });
});
