// HTTP helpers shared by the runtime's servers: the Host check that defeats DNS rebinding, and body
// reading that refuses oversized bodies by their declared length or as soon as they stream past it.
import type { IncomingMessage } from "node:http";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { BodyTooLarge, hostAllowed, readBody } from "../../../local/server/httpUtil.ts";

const ALLOWED = new Set(["127.0.0.1:3210", "localhost:3210", "[::1]:3210"]);
const withHost = (host: string | undefined) => ({ headers: host === undefined ? {} : { host } }) as IncomingMessage;

describe("hostAllowed", () => {
  it.each<[string, string | undefined, boolean]>([
    ["127.0.0.1 with the port", "127.0.0.1:3210", true],
    ["localhost with the port", "localhost:3210", true],
    ["IPv6 loopback with the port", "[::1]:3210", true],
    ["localhost in uppercase", "LOCALHOST:3210", true],
    ["no Host header", undefined, false],
    ["an empty Host header", "", false],
    ["an attacker's name (DNS rebinding)", "evil.example:3210", false],
    ["an attacker's name without a port", "evil.example", false],
    ["localhost as a prefix of an attacker's name", "localhost:3210.evil.example", false],
    ["an attacker's name ending in localhost", "evil.localhost:3210", false],
    ["credentials before the host", "user@localhost:3210", false],
    ["localhost without the port", "localhost", false],
    ["localhost on another port", "localhost:3211", false],
    ["a trailing dot", "localhost.:3210", false],
    ["surrounding whitespace", " localhost:3210", false],
    ["0.0.0.0", "0.0.0.0:3210", false],
  ])("%s -> %s", (_name, host, expected) => {
    expect(hostAllowed(withHost(host), ALLOWED)).toBe(expected);
  });

  it("an empty allow-list refuses everything", () => {
    expect(hostAllowed(withHost("localhost:3210"), new Set())).toBe(false);
  });
});

/** A request body stream that records how many chunks were pulled from it. */
function body(chunks: Buffer[], headers: Record<string, string> = {}) {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        pulled += 1;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  const request = Object.assign(stream, { headers }) as unknown as IncomingMessage;
  return { request, pulled: () => pulled };
}
const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill);

describe("readBody", () => {
  it.each<[string, Buffer[], Record<string, string>, number]>([
    ["an empty body", [], {}, 0],
    ["one chunk under the limit", [bytes(10)], { "content-length": "10" }, 10],
    ["several chunks, exactly the limit", [bytes(40), bytes(60)], {}, 100],
    ["a declared length equal to the limit", [bytes(100)], { "content-length": "100" }, 100],
    ["a declared length that is not a number (checked as streamed)", [bytes(5)], { "content-length": "abc" }, 5],
  ])("returns %s whole", async (_name, chunks, headers, length) => {
    const result = await readBody(body(chunks, headers).request, 100);
    expect(result.length).toBe(length);
    expect(result.equals(Buffer.concat(chunks))).toBe(true);
  });

  it("refuses a declared length over the limit before reading anything", async () => {
    const { request, pulled } = body([bytes(10)], { "content-length": "101" });
    await expect(readBody(request, 100)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled()).toBe(0);
  });

  it.each<[string, Buffer[], Record<string, string>]>([
    ["no declared length, one chunk too many bytes", [bytes(101)], {}],
    ["no declared length, chunks adding up past the limit", [bytes(50), bytes(50), bytes(1)], {}],
    ["a declared length that lies (small) about a large body", [bytes(60), bytes(60)], { "content-length": "10" }],
  ])("refuses %s", async (_name, chunks, headers) => {
    await expect(readBody(body(chunks, headers).request, 100)).rejects.toBeInstanceOf(BodyTooLarge);
  });

  it("stops reading as soon as the streamed size passes the limit", async () => {
    const { request, pulled } = body(Array.from({ length: 1000 }, () => bytes(10)));
    await expect(readBody(request, 100)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled()).toBeLessThan(20);
  });

  describe("over a real connection", () => {
    let server: Server | null = null;
    afterEach(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    });

    /** Sends `chunks` with chunked transfer encoding (no Content-Length) to a server reading with a 1 KiB limit. */
    async function send(chunks: Buffer[]): Promise<string> {
      server = createServer((request, response) => {
        readBody(request, 1024).then(
          (received) => response.end(`ok ${received.length}`),
          (error: unknown) => response.writeHead(413).end(error instanceof BodyTooLarge ? "too large" : "other"),
        );
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      return await new Promise<string>((resolve, reject) => {
        const request = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/" }, (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => resolve(`${response.statusCode} ${text}`));
        });
        request.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? resolve("reset") : reject(error)));
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    }

    it("accepts a chunked body within the limit", async () => {
      expect(await send([bytes(500), bytes(524)])).toBe("200 ok 1024");
    });

    it("refuses a chunked body past the limit", async () => {
      expect(await send([bytes(1000), bytes(1000)])).toBe("413 too large");
    });
  });
});
