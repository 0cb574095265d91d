// What happens to an image a skill run produced, decided before anything is stored. The bytes
// must pass `validateImage`: the magic bytes decide the format whatever the service claimed, the
// size and dimensions are bounded, and SVG, HTML and images with embedded markup are refused. A
// refused image fails the run with IMAGE_INVALID and is never stored. An accepted one is handed to
// `store` (file storage plus its `images` row) and the run's text becomes a short description that
// names its storage id: the model and the log never see the bytes or any base64 of them. Pure but
// for the injected `store`, so every rule is tested without Convex.
import type { Id } from "../_generated/dataModel";
import { sha256Hex } from "../lib/hash";
import { LIMITS, type ImageMime } from "../lib/validators";
import type { RunResult } from "./execute";
import { validateImage } from "./templates/images";

/** An output image that passed validation, with the facts its `images` row records. */
export type CheckedImage = { bytes: Uint8Array; contentType: ImageMime; width: number; height: number; sha256: string };

/** Stores a checked image and records it; returns its file storage id. */
export type StoreImage = (image: CheckedImage) => Promise<Id<"_storage">>;

/** The run's result with any image replaced by its description, and the stored file if one was. */
export type ImageOutcome = { result: RunResult; stored?: { storageId: Id<"_storage">; bytes: number } };

/** Validates a run's output image and stores it, or refuses it; a result without an image is unchanged. */
export async function settleImage(result: RunResult, store: StoreImage): Promise<ImageOutcome> {
  if (!result.ok || result.image === undefined) return { result };
  const { bytes, claimedType } = result.image;
  const check = validateImage(bytes, { ...(claimedType !== null ? { claimedType } : {}), maxBytes: LIMITS.imageBytesMax });
  if (!check.ok) return { result: { ok: false, code: check.code, message: check.reason } };
  const image = { bytes, contentType: check.contentType, width: check.width, height: check.height, sha256: sha256Hex(bytes) };
  const storageId = await store(image);
  return { result: { ok: true, output: describeImage(image, storageId) }, stored: { storageId, bytes: bytes.length } };
}

/**
 * The text the model gets for a stored image. It names the storage id because that is the id an
 * image skill takes as input (`skills/images:forCaller`), so the model can pass the image on.
 */
export function describeImage(image: Pick<CheckedImage, "bytes" | "contentType" | "width" | "height">, storageId: string): string {
  const size = new Intl.NumberFormat("en-US").format(image.bytes.length);
  return `Image produced (${image.contentType}, ${image.width}×${image.height}, ${size} bytes), stored as ${storageId}.`;
}
