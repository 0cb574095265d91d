// `npm start`, Ctrl-C, `npm start` again on the same data folder: the data is still there.
import fs from "node:fs";

import { ConvexHttpClient } from "convex/browser";
import { afterAll, describe, expect, it } from "vitest";

import { adminClient, fn, publishActivity } from "./support/convex.ts";
import { startPlatform, type Platform } from "./support/platform.ts";

describe("lifecycle", () => {
  const started: Platform[] = [];
  let dataDir: string | undefined;

  afterAll(async () => {
    // stop() is idempotent; a failure here after a passing test is still a failure.
    for (const platform of started) await platform.stop();
    if (dataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
  });

  it("npm start on the same data folder sees the same data after Ctrl-C", async () => {
    const first = await startPlatform({ keepDataDir: true });
    started.push(first);
    dataDir = first.dataDir;
    const summary = `Survives a restart ${Date.now().toString(36)}`;
    const id = await publishActivity(adminClient(first.apiUrl, first.adminKey), "test", summary);
    await first.stop(); // SIGINT; asserts exit code 0 and "Stopped."

    const second = await startPlatform({ dataDir });
    started.push(second);
    expect(second.adminKey).toBe(first.adminKey);
    const visitor = new ConvexHttpClient(second.apiUrl);
    const entries = await visitor.query(fn.listPublicActivity, {});
    expect(entries).toContainEqual(expect.objectContaining({ _id: id, kind: "test", summary }));
    await second.stop();
  });
});
