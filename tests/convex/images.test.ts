// Uploaded images: stored in file storage, checked by their bytes, recorded for the visitor and
// conversation they belong to, or deleted; and only their owner can hand them to an image skill.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import { pngBytes, scriptedSvg } from "../fixtures/images";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

async function visitorWithThread(t: Deployment) {
  const { token } = await t.action(api.visitorSessions.create, {});
  const { threadId } = await t.mutation(api.chat.createThread, { sessionToken: token });
  return { token, threadId };
}

/** What a browser upload leaves behind: a file in storage with the type the client claimed. */
async function upload(t: Deployment, bytes: Uint8Array<ArrayBuffer>, type: string): Promise<Id<"_storage">> {
  return await t.run(async (ctx) => await ctx.storage.store(new Blob([bytes], { type })));
}

const state = async (t: Deployment) => await t.run(async (ctx) => ({ images: await ctx.db.query("images").collect(), files: (await ctx.db.system.query("_storage").collect()).length }));

describe("image uploads", () => {
  it("record a valid image by its bytes, for the visitor and the conversation, and never as base64", async () => {
    const t = newDeployment();
    const { token, threadId } = await visitorWithThread(t);
    const storageId = await upload(t, pngBytes(640, 480), "image/png");
    expect(await t.action(api.images.register, { sessionToken: token, threadId, storageId })).toEqual({ ok: true, contentType: "image/png", width: 640, height: 480 });
    const [image] = (await state(t)).images;
    expect(image).toMatchObject({ storageId, contentType: "image/png", width: 640, height: 480, source: "upload", caller: { kind: "visitor" } });
    expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(image)).not.toMatch(/base64|iVBOR/);
  });

  it.each([
    ["an SVG claiming to be a PNG", scriptedSvg, "image/png"],
    ["an SVG", scriptedSvg, "image/svg+xml"],
    ["HTML", new TextEncoder().encode("<html><script>alert(1)</script></html>"), "image/png"],
    ["a PNG of absurd dimensions", pngBytes(100_000, 100_000), "image/png"],
    ["a PNG claiming to be a JPEG", pngBytes(10, 10), "image/jpeg"],
  ])("refuse %s, deleting the file and recording nothing", async (_name, bytes, type) => {
    const t = newDeployment();
    const { token, threadId } = await visitorWithThread(t);
    const storageId = await upload(t, bytes, type);
    const result = await t.action(api.images.register, { sessionToken: token, threadId, storageId });
    expect(result.ok).toBe(false);
    expect(await state(t)).toEqual({ images: [], files: 0 });
  });

  it("refuse an image over the size limit without reading it", async () => {
    const t = newDeployment();
    const { token, threadId } = await visitorWithThread(t);
    const oversized = new Uint8Array(5 * 1024 * 1024 + 1);
    oversized.set(pngBytes(10, 10));
    const storageId = await upload(t, oversized, "image/png");
    expect(await t.action(api.images.register, { sessionToken: token, threadId, storageId })).toEqual({ ok: false, reason: "The image is larger than the size limit." });
    expect(await state(t)).toEqual({ images: [], files: 0 });
  });

  it("cannot be attached to another visitor's conversation", async () => {
    const t = newDeployment();
    const first = await visitorWithThread(t);
    const second = await visitorWithThread(t);
    const storageId = await upload(t, pngBytes(10, 10), "image/png");
    expect(await t.action(api.images.register, { sessionToken: second.token, threadId: first.threadId, storageId })).toEqual({ ok: false, reason: "No such conversation." });
    expect((await state(t)).images).toEqual([]);
  });

  it("reach an image skill only for the caller who uploaded them", async () => {
    const t = newDeployment();
    const { token, threadId } = await visitorWithThread(t);
    const storageId = await upload(t, pngBytes(32, 16), "image/png");
    await t.action(api.images.register, { sessionToken: token, threadId, storageId });
    const [image] = (await state(t)).images;
    const owner = image.caller;
    expect(await t.query(internal.skills.images.forCaller, { storageId, caller: owner })).toEqual({ storageId, contentType: "image/png" });
    expect(await t.query(internal.skills.images.forCaller, { storageId, caller: { kind: "system" } })).toBeNull();
    expect(await t.query(internal.skills.images.forCaller, { storageId: "not-an-id", caller: owner })).toBeNull();
    // Through the image analyzer skill, with the security checker in front.
    await t.run(async (ctx) => {
      await ctx.db.insert("skills", {
        name: "describe_image",
        displayName: "Image analyzer",
        description: "Describes an uploaded image.",
        type: "template",
        approvalStatus: "approved",
        status: "active",
        configVersion: 1,
        approvedConfigVersion: 1,
        inputSchemaJson: JSON.stringify({ type: "object", properties: { imageId: { type: "string" } }, required: ["imageId"] }),
        template: { templateKey: "imageAnalyzer", configJson: "{}", templateVersion: 1 },
        timeoutMs: 10_000,
        maxOutputBytes: 50 * 1024,
        updatedAt: 0,
      });
    });
    const run = async (caller: typeof owner) =>
      await t.action(internal.skills.runner.invoke, { skillName: "describe_image", inputJson: JSON.stringify({ imageId: storageId }), caller, channel: "web", threadId, dryRun: false });
    expect(await run(owner)).toEqual({ ok: true, output: "PNG image, 32×16 pixels, 1 KB." });
    expect(await run({ kind: "system" })).toMatchObject({ ok: false, code: "INPUT_INVALID" });
  });
});
