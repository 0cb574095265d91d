// Images a skill produces, through the whole runner: a webhook skill whose service answers with an
// image gets it validated by its bytes, stored in file storage and recorded as a "skillOutput"
// image of the caller and conversation; the model and the invocation log get a description naming
// the stored file, never its bytes. SVG and other unsafe answers fail the run and store nothing.
// Only the network is fake: `guardedFetch` answers what each test sets.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, internal } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import type { GuardedResult } from "../../convex/security/guardedFetch";
import { pngBytes, scriptedSvg } from "../fixtures/images";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

/** What the fake service answers; set per test. */
let answer: GuardedResult = { ok: false, code: "EXECUTION_FAILED", message: "no answer set" };

vi.mock("../../convex/security/guardedFetch", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../convex/security/guardedFetch")>();
  return { ...original, guardedFetch: async () => answer };
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const imageAnswer = (body: Uint8Array, contentType: string): GuardedResult => ({ ok: true, status: 200, headers: { "content-type": contentType }, body, contentType });

/** A visitor's conversation and an approved webhook skill on an allowlisted host. */
async function setUp(t: Deployment) {
  const { token } = await t.action(api.visitorSessions.create, {});
  const { threadId } = await t.mutation(api.chat.createThread, { sessionToken: token });
  return await t.run(async (ctx) => {
    const conversation = (await ctx.db
      .query("conversations")
      .withIndex("by_threadId", (q) => q.eq("threadId", threadId))
      .unique())!;
    const skillId = await ctx.db.insert("skills", {
      name: "chart",
      displayName: "Chart",
      description: "Draws a chart.",
      type: "webhook",
      approvalStatus: "approved",
      status: "active",
      configVersion: 1,
      approvedConfigVersion: 1,
      inputSchemaJson: JSON.stringify({ type: "object", properties: { series: { type: "string" } }, required: ["series"] }),
      webhook: { method: "GET", urlTemplate: "https://charts.example/v1/render?series={series}", headers: [], responseFormat: "text" },
      timeoutMs: 10_000,
      maxOutputBytes: 50 * 1024,
      updatedAt: Date.now(),
    });
    const ownerId = await ctx.db.insert("owners", { tokenIdentifier: "test|owner", role: "admin", status: "active", joinedAt: Date.now() });
    await ctx.db.insert("domainAllowlist", { hostname: "charts.example", skillId, addedBy: ownerId, addedAt: Date.now() });
    const caller = { kind: "visitor" as const, visitorSessionId: conversation.visitorSessionId! };
    return { threadId, conversationId: conversation._id, skillId, caller };
  });
}

async function invoke(t: Deployment, setup: Awaited<ReturnType<typeof setUp>>) {
  return await t.action(internal.skills.runner.invoke, {
    skillName: "chart",
    inputJson: JSON.stringify({ series: "1,2,3" }),
    caller: setup.caller,
    channel: "web",
    threadId: setup.threadId,
    dryRun: false,
  });
}

const state = async (t: Deployment) =>
  await t.run(async (ctx) => ({
    images: await ctx.db.query("images").collect(),
    files: await ctx.db.system.query("_storage").collect(),
    log: await ctx.db.query("skillInvocationLog").collect(),
  }));

describe("an image a webhook skill answers with", () => {
  it("is stored as a skillOutput image of the caller and conversation, and the model and the log get only a description naming it", async () => {
    const t = newDeployment();
    const setup = await setUp(t);
    const png = pngBytes(64, 48);
    answer = imageAnswer(png, "image/png");

    const result = await invoke(t, setup);
    const { images, files, log } = await state(t);
    expect(images).toHaveLength(1);
    const [image] = images;
    const description = `Image produced (image/png, 64×48, ${png.length} bytes), stored as ${image.storageId}.`;
    expect(result).toEqual({ ok: true, output: description });
    expect(image).toMatchObject({ source: "skillOutput", contentType: "image/png", width: 64, height: 48, bytes: png.length, caller: setup.caller, conversationId: setup.conversationId, skillId: setup.skillId });
    expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The file exists, holds exactly the bytes, and carries the type the bytes established.
    expect(files.map((file) => file._id)).toEqual([image.storageId]);
    const file = await t.run(async (ctx) => {
      const blob = (await ctx.storage.get(image.storageId))!;
      return { type: blob.type, bytes: await blob.arrayBuffer() };
    });
    expect(file.type).toBe("image/png");
    expect(new Uint8Array(file.bytes)).toEqual(png);

    // The log row points at the image file and holds no bytes and no base64 of them.
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ code: "OK", outcome: "ok", outputPreview: description, outputStorageId: image.storageId, outputBytes: png.length });
    expect(JSON.stringify({ images, log })).not.toMatch(/base64|iVBOR/);

    // The caller can pass the produced image on to an image skill, as with an upload.
    expect(await t.query(internal.skills.images.forCaller, { storageId: image.storageId, caller: setup.caller })).toEqual({ storageId: image.storageId, contentType: "image/png" });
  });

  it.each([
    ["an SVG labelled image/svg+xml", scriptedSvg, "image/svg+xml"],
    ["an SVG body labelled image/png", scriptedSvg, "image/png"],
    ["HTML labelled image/png", new TextEncoder().encode("<html><script>alert(1)</script></html>"), "image/png"],
  ])("fails the run as IMAGE_INVALID and stores nothing when it is %s", async (_name, body, contentType) => {
    const t = newDeployment();
    const setup = await setUp(t);
    answer = imageAnswer(body, contentType);

    expect(await invoke(t, setup)).toMatchObject({ ok: false, code: "IMAGE_INVALID" });
    const { images, files, log } = await state(t);
    expect({ images, files }).toEqual({ images: [], files: [] });
    expect(log).toMatchObject([{ code: "IMAGE_INVALID", outcome: "failed" }]);
    expect(log[0].outputStorageId).toBeUndefined();
    expect(log[0].outputPreview).toBeUndefined();
  });
});

describe("recordSkillOutput", () => {
  it("records an image of a run with no conversation for its caller and skill only", async () => {
    const t = newDeployment();
    const setup = await setUp(t);
    const storageId: Id<"_storage"> = await t.run(async (ctx) => await ctx.storage.store(new Blob([pngBytes(2, 2)], { type: "image/png" })));
    const args = { storageId, contentType: "image/png" as const, bytes: 45, sha256: "0".repeat(64), width: 2, height: 2, caller: { kind: "system" as const }, skillId: setup.skillId };
    // A thread that is no conversation (a dry run's, an MCP client's) records none either.
    await t.mutation(internal.skills.images.recordSkillOutput, args);
    await t.mutation(internal.skills.images.recordSkillOutput, { ...args, threadId: "not-a-conversation" });
    const images = (await state(t)).images;
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image).toMatchObject({ source: "skillOutput", caller: { kind: "system" }, skillId: setup.skillId });
      expect(image.conversationId).toBeUndefined();
    }
  });
});
