// The image analyzer template: describes an image the caller uploaded (format, size, dimensions),
// after checking its bytes again. It reads the image from file storage by id, only if the image
// belongs to the same caller; images never travel as base64 inside documents or tool input.
import { LIMITS } from "../../lib/validators";
import { validateImage } from "./images";
import type { TemplateDefinition } from "./registryTypes";

export const imageAnalyzer: TemplateDefinition = {
  displayName: "Image analyzer",
  description: "Describes an uploaded image: its format, dimensions and size.",
  version: 1,
  configSchema: { type: "object", properties: {}, additionalProperties: false },
  inputSchema: {
    type: "object",
    properties: { imageId: { type: "string", minLength: 1, maxLength: 64 } },
    required: ["imageId"],
    additionalProperties: false,
  },
  secretNames: [],
  usesNetwork: false,
  run: async (_config, input, deps) => {
    const image = await deps.loadImage(String(input.imageId));
    if (image === null) return { ok: false, code: "INPUT_INVALID", message: "No such image for this conversation." };
    const check = validateImage(image.bytes, { maxBytes: LIMITS.imageBytesMax, claimedType: image.contentType });
    if (!check.ok) return { ok: false, code: "IMAGE_INVALID", message: check.reason };
    const kilobytes = Math.max(1, Math.round(image.bytes.length / 1024));
    return { ok: true, output: `${check.contentType.slice("image/".length).toUpperCase()} image, ${check.width}×${check.height} pixels, ${kilobytes} KB.` };
  },
};
