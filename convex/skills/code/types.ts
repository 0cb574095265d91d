// The contract of a code-defined skill (type 3). A module exports `skillMeta`, which declares
// everything the skill may do, and `run`, which receives only a context restricted to those
// declarations: it can fetch only its declared hosts that an owner also allowlisted (through the
// same guarded fetch as webhook skills), and read only its declared secrets of its own skill.
import type { RateLimitConfig } from "../../lib/validators";

export type SkillMeta = {
  /** The tool name the model sees: lowercase, digits and underscores. */
  name: string;
  displayName: string;
  /** Shown to the model as the tool's description, and to the owner when approving it. */
  description: string;
  permissions: {
    /** Exact hostnames the skill may contact; an owner must also allowlist each one. */
    allowedDomains: string[];
    /** Names of skill secrets the skill may read. */
    secretNames: string[];
  };
  /** The skill's own limit; absent means the skillPerSkill default. */
  rateLimit?: RateLimitConfig;
  /** JSON Schema of the input, checked by the security checker on every call. */
  inputSchema: Record<string, unknown>;
  ui?: { category?: string; icon?: string; showIndicator?: boolean };
  /** Always true for code skills here: a deployment cannot ship a skill that runs unreviewed. */
  requiresApproval: true;
  timeoutMs?: number;
  maxOutputBytes?: number;
};

/** A response of the capability-restricted fetch. */
export type CodeFetchResponse = { ok: true; status: number; text: string; contentType: string | null } | { ok: false; code: string; message: string };

/** Everything a code skill's run may use. */
export type CodeSkillContext = {
  /** Fetches a URL on a declared, allowlisted host, through the guarded fetch. */
  fetch: (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<CodeFetchResponse>;
  /** Reads one of the skill's declared secrets; throws for an undeclared or unset name. */
  secret: (name: string) => Promise<string>;
  signal: AbortSignal;
};

export type CodeSkillResult = { ok: true; output: string } | { ok: false; message: string };

export type CodeSkillModule = {
  skillMeta: SkillMeta;
  run: (ctx: CodeSkillContext, input: Record<string, unknown>) => Promise<CodeSkillResult>;
};
