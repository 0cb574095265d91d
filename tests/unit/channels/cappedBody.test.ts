// The webhook body reader: refuses by declared length before reading, and stops a streamed body
// that passes the cap whatever it declared.
import { describe, expect, it } from "vitest";

import { readCappedText } from "../../../convex/channels/cappedBody";

function streamed(chunks: number, chunkBytes: number, onPull: () => void, headers: Record<string, string> = {}): Request {
  let sent = 0;
  // No read-ahead: a chunk is produced only when the reader asks for one.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        onPull();
        if (sent++ >= chunks) controller.close();
        else controller.enqueue(new Uint8Array(chunkBytes).fill(97));
      },
    },
    { highWaterMark: 0 },
  );
  return new Request("https://site.example/hook", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readCappedText", () => {
  it("reads a body of exactly the cap", async () => {
    expect(await readCappedText(new Request("https://site.example/hook", { method: "POST", body: "a".repeat(100) }), 100)).toBe("a".repeat(100));
  });

  it("refuses a declared length over the cap without reading the body", async () => {
    let pulls = 0;
    expect(await readCappedText(streamed(1, 10, () => pulls++, { "content-length": "101" }), 100)).toBeNull();
    expect(pulls).toBe(0);
  });

  it("stops reading an endless body as soon as it passes the cap", async () => {
    let pulls = 0;
    expect(await readCappedText(streamed(1_000_000, 64, () => pulls++), 1000)).toBeNull();
    expect(pulls).toBeLessThan(20);
  });

  it.each(["abc", "-1", ""])("refuses a content-length of %j that is not a size", async (value) => {
    const request = new Request("https://site.example/hook", { method: "POST", body: "x", headers: { "content-length": value } });
    expect(await readCappedText(request, 100)).toBeNull();
  });
});
