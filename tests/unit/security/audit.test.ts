// The security audit's findings for each configuration it must catch, naming variables, never values.
import { describe, expect, it } from "vitest";

import { auditDeployment, type AuditFacts } from "../../../convex/security/audit";
import { formatAudit } from "../../../local/securityAudit";

/** A random 32-byte key as base64, made at run time. */
const strongKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const HOSTED = { CONVEX_CLOUD_URL: "https://happy-animal-123.convex.cloud" };
const LOCAL = { CONVEX_CLOUD_URL: "http://127.0.0.1:3210", CLAWSYNC_LOCAL_AUTH_ISSUER: "http://127.0.0.1:3212" };
const facts = (overrides: Partial<AuditFacts> = {}): AuditFacts => ({ enabledChannels: [], consoleScrubbed: true, ...overrides });
const status = (findings: ReturnType<typeof auditDeployment>, check: string) => findings.find((finding) => finding.check === check)?.status;

describe("the security audit", () => {
  it("passes a hosted deployment with a strong key, WorkOS, and a secret for every enabled channel", () => {
    const findings = auditDeployment(
      { ...HOSTED, SKILL_SECRET_ENCRYPTION_KEY: strongKey(), WORKOS_CLIENT_ID: "client_01ABC", SLACK_SIGNING_SECRET: "x".repeat(32) },
      facts({ enabledChannels: [{ platform: "slack", storedSecret: false }, { platform: "telegram", storedSecret: true }] }),
    );
    expect(findings.filter((finding) => finding.status !== "ok")).toEqual([]);
    expect(formatAudit(findings).passed).toBe(true);
  });

  it.each([
    ["missing", undefined],
    ["a placeholder", "changeme"],
    ["too short", btoa("short key")],
  ])("reports an encryption key that is %s as an error naming the variable", (_name, key) => {
    const findings = auditDeployment({ ...HOSTED, WORKOS_CLIENT_ID: "client_01ABC", ...(key !== undefined ? { SKILL_SECRET_ENCRYPTION_KEY: key } : {}) }, facts());
    const finding = findings.find(({ check }) => check === "encryption key")!;
    expect(finding.status).toBe("error");
    expect(finding.message).toContain("SKILL_SECRET_ENCRYPTION_KEY");
    if (key) expect(finding.message).not.toContain(key);
    expect(formatAudit(findings).passed).toBe(false);
  });

  it("reports the local runtime's identity provider on a hosted deployment as an error", () => {
    const findings = auditDeployment({ ...HOSTED, SKILL_SECRET_ENCRYPTION_KEY: strongKey(), WORKOS_CLIENT_ID: "c", CLAWSYNC_LOCAL_AUTH_ISSUER: "http://127.0.0.1:3212" }, facts());
    expect(status(findings, "local sign-in")).toBe("error");
  });

  it("accepts the local identity provider on the local runtime, and calls a missing sign-in an error only when hosted", () => {
    expect(status(auditDeployment({ ...LOCAL, SKILL_SECRET_ENCRYPTION_KEY: strongKey() }, facts()), "owner sign-in")).toBe("ok");
    expect(status(auditDeployment({ ...HOSTED, SKILL_SECRET_ENCRYPTION_KEY: strongKey() }, facts()), "owner sign-in")).toBe("error");
    expect(status(auditDeployment({ CONVEX_CLOUD_URL: "http://localhost:3210", SKILL_SECRET_ENCRYPTION_KEY: strongKey() }, facts()), "owner sign-in")).toBe("warning");
  });

  it("reports an enabled channel with no signing secret, by the variable's name", () => {
    const findings = auditDeployment({ ...LOCAL, SKILL_SECRET_ENCRYPTION_KEY: strongKey() }, facts({ enabledChannels: [{ platform: "discord", storedSecret: false }] }));
    expect(findings.find(({ check }) => check === "discord webhook")).toMatchObject({ status: "error", message: expect.stringContaining("DISCORD_PUBLIC_KEY") });
  });

  it("reports a console without the scrubber", () => {
    expect(status(auditDeployment({ ...LOCAL, SKILL_SECRET_ENCRYPTION_KEY: strongKey() }, facts({ consoleScrubbed: false })), "log redaction")).toBe("error");
  });

  it("never shows a configured value", () => {
    const key = strongKey();
    const secret = ["slack", "value", "93ab17"].join("-");
    const findings = auditDeployment({ ...HOSTED, SKILL_SECRET_ENCRYPTION_KEY: key, WORKOS_CLIENT_ID: "client_secretish_id", SLACK_SIGNING_SECRET: secret }, facts({ enabledChannels: [{ platform: "slack", storedSecret: false }] }));
    const text = formatAudit(findings).text;
    expect(text).not.toContain(key);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("client_secretish_id");
  });
});
