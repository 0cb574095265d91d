// Every skill execution path goes through the security checker: the only code that runs a skill is
// `skills/execute.ts`, only the runner calls it, and the runner asks the checker first and records
// the result after. These tests read the source, so a new path that skips the checker fails here
// (the behaviour of each check is proven in tests/convex/checker.test.ts).
import { describe, expect, it } from "vitest";

import { convexSources } from "./convexSources";

const files = convexSources();
const importing = (module: RegExp) => files.filter(({ text }) => module.test(text)).map(({ file }) => file).sort();

describe("one pipeline for every skill call", () => {
  it("runs skills only in skills/execute.ts, called only by the runner", () => {
    // Value imports only: a module may share execute.ts's types without being able to run a skill.
    expect(importing(/^import (?!type )[^;]*from "(\.\/|\.\.\/skills\/)execute"/m)).toEqual(["skills/runner.ts"]);
    expect(files.filter(({ text }) => /\bexecuteSkill\(/.test(text)).map(({ file }) => file).sort()).toEqual(["skills/execute.ts", "skills/runner.ts"]);
  });

  it("calls a template's or code skill's run only from skills/execute.ts", () => {
    const callers = files.filter(({ text }) => /(definition|module)\.run\(/.test(text)).map(({ file }) => file);
    expect(callers).toEqual(["skills/execute.ts"]);
  });

  it("makes outbound calls only through the guarded fetch, only from skills/execute.ts and the MCP client's fetch", () => {
    expect(importing(/from "[./]*security\/guardedFetch"|from "\.\/guardedFetch"/)).toEqual(["mcp/guardedMcpFetch.ts", "skills/execute.ts"]);
    // No other Convex function reaches the network with a bare fetch.
    const bareFetch = files.filter(({ file, text }) => file !== "security/guardedFetch.ts" && /(^|[^.\w])fetch\(/m.test(text.replace(/\/\/.*$/gm, ""))).map(({ file }) => file);
    expect(bareFetch).toEqual([]);
  });

  it("has the runner admit through the checker before running, and record after", () => {
    const runner = files.find(({ file }) => file === "skills/runner.ts")!.text;
    const admit = runner.indexOf("internal.security.checker.admit");
    const run = runner.indexOf("executeSkill(");
    const record = runner.indexOf("internal.security.checker.record");
    expect(admit).toBeGreaterThan(0);
    expect(run).toBeGreaterThan(admit);
    expect(record).toBeGreaterThan(run);
    // The only early return before running is the checker's refusal.
    expect(runner.slice(admit, run)).toMatch(/if \(!admission\.admitted\) return/);
  });

  it("gives the checker's admission no option that skips a check", () => {
    const checker = files.find(({ file }) => file === "security/checker.ts")!.text;
    const request = checker.slice(checker.indexOf("export const vInvocationRequest"), checker.indexOf("export type InvocationRequest"));
    expect(request).not.toMatch(/skip|bypass|force|unsafe|trusted|noCheck/i);
  });

  it("keeps the checker off the invocation log: it only ever inserts, so its cost does not grow with the log", () => {
    const checker = files.find(({ file }) => file === "security/checker.ts")!.text;
    expect(checker).not.toMatch(/query\("skillInvocationLog"\)/);
    expect(checker).toMatch(/insert\("skillInvocationLog"/);
  });
});

describe("one pipeline for every inbound webhook", () => {
  it("routes every webhook path to the one webhook handler", () => {
    const router = files.find(({ file }) => file === "http.ts")!.text;
    expect(router.match(/http\.route\(/g)).toHaveLength(1);
    expect(router).toMatch(/path: `\/api\/webhook\/\$\{platform\}`, method: "POST", handler: webhookRoute\(platform\)/);
  });

  it("has the handler pass every request, refused or not, to the checker's webhook gate before it answers", () => {
    const handler = files.find(({ file }) => file === "channels/webhookHttp.ts")!.text;
    const gate = handler.indexOf("internal.security.webhookGate.admitWebhook");
    expect(gate).toBeGreaterThan(0);
    // The only Response is built after the gate decided.
    expect(handler.indexOf("new Response")).toBeGreaterThan(gate);
    expect(handler.match(/new Response/g)).toHaveLength(1);
  });

  it("hands a channel message to the agent only from the gate", () => {
    expect(files.filter(({ text }) => /\bdeliverInbound\(/.test(text)).map(({ file }) => file).sort()).toEqual(["channels/inbound.ts", "security/webhookGate.ts"]);
  });
});

describe("one pipeline for every MCP tool call", () => {
  it("reaches an MCP server only from mcp/toolCall.ts, through the guarded fetch", () => {
    expect(importing(/from "\.\/guardedMcpFetch"|from "[./]*mcp\/guardedMcpFetch"/)).toEqual(["mcp/toolCall.ts"]);
    expect(importing(/@modelcontextprotocol\/sdk\/client/)).toEqual(["mcp/toolCall.ts"]);
    expect(files.filter(({ text }) => /\brunMcpTool\(/.test(text)).map(({ file }) => file)).toEqual(["mcp/toolCall.ts"]);
  });

  it("has the MCP client admit through the checker before calling, and record after", () => {
    const client = files.find(({ file }) => file === "mcp/toolCall.ts")!.text;
    const admit = client.indexOf("internal.security.checker.admitMcpToolCall");
    const run = client.indexOf("await runMcpTool(");
    const record = client.indexOf("internal.security.checker.recordMcpToolCall");
    expect(admit).toBeGreaterThan(0);
    expect(run).toBeGreaterThan(admit);
    expect(record).toBeGreaterThan(run);
    expect(client.slice(admit, run)).toMatch(/if \(!admission\.admitted\) return/);
  });
});

describe("no process environment for skills and outbound calls", () => {
  it("gives no skill, template, code skill or MCP client module the process environment", () => {
    const readers = files
      .filter(({ file }) => /^(skills|mcp)\//.test(file) || file === "security/guardedFetch.ts")
      .filter(({ text }) => /process\.env|import \{[^}]*\benv\b[^}]*\} from "[./]*_generated\/server"/.test(text))
      .map(({ file }) => file);
    expect(readers).toEqual([]);
  });
});
