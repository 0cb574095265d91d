// The HTTP surfaces: the function API that ConvexHttpClient uses (status codes and errors as on a
// deployment), the site origin serving convex/http.ts, file storage, and refusal of bad input and
// of requests for a foreign Host (DNS rebinding).
import http from "node:http";

import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFixture, type Fixture } from "./support/fixture.ts";

const list = makeFunctionReference<"query">("messages:list");
const uploadUrl = makeFunctionReference<"mutation">("messages:uploadUrl");
const attach = makeFunctionReference<"mutation">("messages:attach");

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.stop();
});

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fixture.config.cloudUrl}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

/** A raw request with a chosen Host header and target (fetch normalizes both). */
function rawRequest(port: number, host: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "GET", headers: { Host: host, ...headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end();
  });
}

describe("the HTTP function API", () => {
  it("answers a call with status 200 and the value", async () => {
    const response = await post("/api/query", JSON.stringify({ path: "messages:list", args: { channel: "none" }, format: "json" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "success", value: [], logLines: [] });
  });

  it("answers a function failure with status 560 and ConvexError data", async () => {
    const response = await post("/api/mutation", JSON.stringify({ path: "messages:failingMutation", args: { channel: "c" }, format: "json" }));
    expect(response.status).toBe(560);
    const body = (await response.json()) as { status: string; errorMessage: string; errorData: unknown };
    expect(body.status).toBe("error");
    expect(body.errorData).toEqual({ kind: "Refused" });
  });

  it("answers an unknown function with the deployment's message", async () => {
    const response = await post("/api/query", JSON.stringify({ path: "nope:missing", args: {} }));
    expect(response.status).toBe(560);
    expect(((await response.json()) as { errorMessage: string }).errorMessage).toContain(
      "Could not find public function for 'nope:missing'. Did you forget to run `npx convex dev` or `npx convex deploy`?",
    );
  });

  it("routes /api/function and /api/run by the function's own type", async () => {
    const viaFunction = await post("/api/function", JSON.stringify({ path: "messages:send", args: { channel: "f", body: "b" }, format: "json" }));
    expect(viaFunction.status).toBe(200);
    const viaRun = await post("/api/run/messages/list", JSON.stringify({ args: { channel: "f" }, format: "json" }));
    expect(await viaRun.json()).toMatchObject({ status: "success", value: ["b"] });
  });

  it.each([
    ["malformed JSON", "{not json", 400, "BadJsonBody"],
    ["no function path", JSON.stringify({ args: {} }), 400, "BadRequest"],
    ["args that are not an object", JSON.stringify({ path: "messages:list", args: "x" }), 400, "BadRequest"],
  ])("refuses %s with %i and changes nothing", async (_name, body, status, code) => {
    const response = await post("/api/mutation", body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code });
  });

  it("refuses an oversized body with 413 before reading it, and keeps serving", async () => {
    // Declares 17 MiB but sends nothing: the answer must come from the declared size alone.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: "127.0.0.1", port: fixture.config.apiPort, path: "/api/mutation", method: "POST", headers: { "Content-Type": "application/json", "Content-Length": String(17 << 20) } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
    expect(await fixture.http().query(list, { channel: "still-up" })).toEqual([]);
  });

  it("answers CORS preflights for browser clients", async () => {
    const response = await fetch(`${fixture.config.cloudUrl}/api/query`, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});

describe("Host header checks", () => {
  it.each([
    ["client API", () => fixture.config.apiPort],
    ["site origin", () => fixture.config.sitePort],
  ])("the %s refuses a foreign Host and serves its own", async (_name, port) => {
    expect(await rawRequest(port(), "evil.example", "/version")).toBe(403);
    expect(await rawRequest(port(), `evil.example:${port()}`, "/version")).toBe(403);
    expect(await rawRequest(port(), `127.0.0.1:${port()}`, "/echo?name=x")).not.toBe(403);
  });
});

describe("malformed request targets", () => {
  it.each([
    ["client API", () => fixture.config.apiPort],
    ["site origin", () => fixture.config.sitePort],
  ])("the %s answers an unparseable target with 400 and keeps serving", async (_name, port) => {
    expect(await rawRequest(port(), `127.0.0.1:${port()}`, "//[")).toBe(400);
    expect(await fixture.http().query(list, { channel: "still-serving" })).toEqual([]);
  });

  it("refuses a websocket upgrade to an unparseable target without stopping", async () => {
    const status = await rawRequest(fixture.config.apiPort, `127.0.0.1:${fixture.config.apiPort}`, "//[", {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    });
    expect(status).toBe(404);
    expect(await fixture.http().query(list, { channel: "still-serving" })).toEqual([]);
  });
});

describe("the site origin", () => {
  it("serves convex/http.ts routes", async () => {
    const response = await fetch(`${fixture.config.siteUrl}/echo?name=ada`);
    expect(await response.json()).toEqual({ hello: "ada" });
  });

  it("runs mutations from HTTP actions", async () => {
    const response = await fetch(`${fixture.config.siteUrl}/messages`, { method: "POST", body: JSON.stringify({ channel: "site", body: "via http action" }) });
    expect(response.status).toBe(201);
    expect(await fixture.http().query(list, { channel: "site" })).toEqual(["via http action"]);
  });

  it("answers an unrouted path with 404", async () => {
    const response = await fetch(`${fixture.config.siteUrl}/nowhere`);
    expect(response.status).toBe(404);
  });
});

describe("file storage", () => {
  it("uploads through a signed URL, serves the file sandboxed, and refuses a forged upload URL", async () => {
    const client = fixture.http();
    const url = (await client.mutation(uploadUrl, {})) as string;
    const upload = await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "file contents" });
    const { storageId } = (await upload.json()) as { storageId: string };
    const servedAt = (await client.mutation(attach, { text: "note", file: storageId })) as string;
    const download = await fetch(servedAt);
    expect(await download.text()).toBe("file contents");
    expect(download.headers.get("content-security-policy")).toContain("sandbox");
    const forged = url.replace(/token=[^&]+/, "token=forged.token");
    expect((await fetch(forged, { method: "POST", body: "x" })).status).toBe(401);
  });
});
