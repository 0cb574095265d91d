import { describe, expect, it } from "vitest";

import { checkMessage, hostsNotAllowed, mcpServerFailure, outputFailure, skillLimits, skillStateFailure, type McpServerState, type SkillState } from "../../../convex/security/checks";
import { CHECK_FAILURE_CODES, type CheckFailureCode } from "../../../convex/lib/validators";

const approved: SkillState = { approvalStatus: "approved", status: "active", configVersion: 3, approvedConfigVersion: 3, type: "template", code: undefined };

describe("skill state checks", () => {
  it.each<[string, Partial<SkillState>, CheckFailureCode | null]>([
    ["approved, active, reviewed", {}, null],
    ["pending", { approvalStatus: "pending" }, "SKILL_NOT_APPROVED"],
    ["rejected", { approvalStatus: "rejected" }, "SKILL_NOT_APPROVED"],
    ["pending and inactive: approval is checked first", { approvalStatus: "pending", status: "inactive" }, "SKILL_NOT_APPROVED"],
    ["inactive", { status: "inactive" }, "SKILL_INACTIVE"],
    ["changed after approval", { configVersion: 4 }, "SKILL_CONFIG_UNREVIEWED"],
    ["never approved at any version", { approvedConfigVersion: undefined }, "SKILL_CONFIG_UNREVIEWED"],
    [
      "a code skill whose module left the deployment",
      { type: "code", code: { module: "siteSearch", metaHash: "h", allowedDomains: [], secretNames: [], requiresApproval: true, missingSince: 1 } },
      "SKILL_NOT_FOUND",
    ],
  ])("%s → %s", (_name, fields, expected) => {
    expect(skillStateFailure({ ...approved, ...fields })).toBe(expected);
  });
});

describe("MCP server state checks", () => {
  const usable: McpServerState = { approvalStatus: "approved", status: "active", toolsHash: "a", approvedToolsHash: "a" };
  it.each<[string, Partial<McpServerState>, CheckFailureCode | null]>([
    ["approved, active, tools as approved", {}, null],
    ["pending", { approvalStatus: "pending" }, "MCP_SERVER_NOT_APPROVED"],
    ["switched off", { status: "inactive" }, "MCP_SERVER_INACTIVE"],
    ["disabled by the health check", { status: "autoDisabled" }, "MCP_SERVER_INACTIVE"],
    ["offering a changed tool list", { toolsHash: "b" }, "MCP_SERVER_NOT_APPROVED"],
    ["never reviewed for its tools", { approvedToolsHash: undefined }, "MCP_SERVER_NOT_APPROVED"],
  ])("%s → %s", (_name, fields, expected) => {
    expect(mcpServerFailure({ ...usable, ...fields })).toBe(expected);
  });
});

describe("rate limits of a call", () => {
  it("take the skill's own limit (keyed by skill) and the limit for all skills", () => {
    expect(skillLimits({ _id: "s1", type: "template" })).toEqual([
      { name: "skillPerSkill", key: "s1", code: "RATE_LIMIT_SKILL" },
      { name: "skillGlobal", code: "RATE_LIMIT_SKILL_GLOBAL" },
    ]);
  });

  it("add the webhook limit for webhook skills only", () => {
    expect(skillLimits({ _id: "s1", type: "webhook" }).map((limit) => limit.code)).toEqual(["RATE_LIMIT_SKILL", "RATE_LIMIT_SKILL_GLOBAL", "RATE_LIMIT_WEBHOOK_GLOBAL"]);
    expect(skillLimits({ _id: "s1", type: "code" }).map((limit) => limit.code)).not.toContain("RATE_LIMIT_WEBHOOK_GLOBAL");
  });
});

describe("output and hosts", () => {
  it.each([
    [50 * 1024, 50 * 1024, null],
    [50 * 1024 + 1, 50 * 1024, "OUTPUT_TOO_LARGE"],
    [0, 0, null],
  ])("an output of %i bytes with a cap of %i → %s", (bytes, cap, expected) => {
    expect(outputFailure(bytes, cap)).toBe(expected);
  });

  it("matches hosts exactly, never by suffix or pattern", () => {
    const allowlist = new Set(["api.example.com"]);
    expect(hostsNotAllowed(["api.example.com", "API.EXAMPLE.COM"], allowlist)).toEqual([]);
    expect(hostsNotAllowed(["example.com", "evil.api.example.com", "api.example.com.evil.net"], allowlist)).toEqual([
      "example.com",
      "evil.api.example.com",
      "api.example.com.evil.net",
    ]);
  });

  it("gives every failure code a message", () => {
    for (const code of CHECK_FAILURE_CODES) expect(checkMessage(code).length).toBeGreaterThan(10);
  });
});
