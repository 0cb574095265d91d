// Shared validators, their types and the defaults tables: imported by convex/schema.ts, Convex
// functions, src/ and local/, so every layer agrees on each union and limit. No runtime deps
// beyond `convex/values` (and convex-helpers' `literals`), so the browser bundle can import it.

import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";

/** Milliseconds in a second, minute, hour and day (the rate-limiter and retention units). */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Size caps the schema's invariants rely on (documents stay well under 16 KB) and the spec's
 * default limits. Functions enforce them on input; the schema comments refer to them by name.
 */
export const LIMITS = {
  /** Default max characters of one chat message (spec: 4000); owners may change it. */
  messageCharsDefault: 4000,
  /** Hard ceiling for the owner-set message length, so a message stays a small document. */
  messageCharsCeiling: 16_000,
  /** Soul document characters (fits one document with room to spare). */
  soulChars: 12_000,
  /** Owner-facing one-line summaries (activity, security events). */
  summaryChars: 280,
  /** Names and slugs (skill names, MCP server names, secret names). */
  nameChars: 64,
  /** Descriptions shown to owners and, for skills and tools, to the model. */
  descriptionChars: 1000,
  /** JSON documents kept as strings (input schemas, template config). */
  jsonDocChars: 8000,
  /** Redacted input kept inline in a skill invocation log row. */
  logInputChars: 2000,
  /** Redacted output kept inline; the rest goes to file storage. */
  logOutputPreviewChars: 2000,
  /** Default response cap for webhook skills (spec: 50 KB). */
  webhookOutputBytesDefault: 50 * 1024,
  /** Default skill timeout (spec: 10 s, configurable). */
  skillTimeoutMsDefault: 10 * SECOND,
  /** Largest accepted image (upload or skill output). */
  imageBytesMax: 5 * 1024 * 1024,
  /** One knowledge-base entry. */
  knowledgeEntryChars: 8000,
  /** DNS hostname length. */
  hostnameChars: 253,
  /** A skill's input from the model, as JSON text. */
  skillInputChars: 16_000,
  /** Largest inbound webhook body; every platform's message deliveries are far smaller. */
  webhookBodyBytes: 64 * 1024,
  /** Hosts one skill may declare or be allowed (code skills' allowedDomains). */
  allowedDomainsPerSkill: 20,
} as const;

/** Width of one summary bucket: summaries count per hour, dashboards sum buckets. */
export const SUMMARY_BUCKET_MS = HOUR;

/** Lockout after the sign-in attempt limit is exhausted (finding HIGH-06: 5 minutes). */
export const AUTH_LOCKOUT_MS = 5 * MINUTE;

// Who and where.

/** Who or what performed an action (activity log, security events). */
export const vActorKind = literals(
  "owner",
  "visitor",
  "channelUser",
  "mcpClient",
  "agent",
  "skill",
  "system",
  "admin",
);
export type ActorKind = Infer<typeof vActorKind>;

/** Messaging platforms with an inbound webhook (`/api/webhook/<platform>`). */
export const CHANNEL_PLATFORMS = ["telegram", "slack", "discord", "whatsapp", "email"] as const;
export const vChannelPlatform = literals(...CHANNEL_PLATFORMS);
export type ChannelPlatform = Infer<typeof vChannelPlatform>;

/** Every surface an interaction can arrive through: the web chat, SyncBoard, voice, MCP, a platform. */
export const CHANNELS = ["web", "syncboard", "voice", "mcp", ...CHANNEL_PLATFORMS] as const;
export const vChannel = literals(...CHANNELS);
export type Channel = Infer<typeof vChannel>;

/**
 * The principal a request acts for, with the id of its row (never a platform id, name, email or
 * phone number). `system` is a cron or scheduled job; `admin` is a caller holding the admin key.
 */
export const vCaller = v.union(
  v.object({ kind: v.literal("visitor"), visitorSessionId: v.id("visitorSessions") }),
  v.object({ kind: v.literal("channelUser"), channelUserId: v.id("channelUsers") }),
  v.object({ kind: v.literal("owner"), ownerId: v.id("owners") }),
  v.object({ kind: v.literal("mcpClient"), mcpTokenId: v.id("mcpAccessTokens") }),
  v.object({ kind: v.literal("admin") }),
  v.object({ kind: v.literal("system") }),
);
export type Caller = Infer<typeof vCaller>;

/** A stable string for a caller (`kind:id`), used where an index must group rows by caller. */
export function callerKey(caller: Caller): string {
  switch (caller.kind) {
    case "visitor":
      return `visitor:${caller.visitorSessionId}`;
    case "channelUser":
      return `channelUser:${caller.channelUserId}`;
    case "owner":
      return `owner:${caller.ownerId}`;
    case "mcpClient":
      return `mcpClient:${caller.mcpTokenId}`;
    case "admin":
    case "system":
      return caller.kind;
  }
}

/** Activity entries start private; only an owner's explicit action makes one public. */
export const vVisibility = literals("private", "public");
export type Visibility = Infer<typeof vVisibility>;

/**
 * Small key/value metadata for log rows: scalars only, so nothing large or nested hides in it.
 * Callers must not put secrets, user messages or personal data here.
 */
export const vLogMetadata = v.record(v.string(), v.union(v.string(), v.number(), v.boolean(), v.null()));
export type LogMetadata = Infer<typeof vLogMetadata>;

// Owners and sessions.

/** `admin` (the claimer, and owners it promotes) manages owners; `owner` runs everything else. */
export const vOwnerRole = literals("admin", "owner");
export type OwnerRole = Infer<typeof vOwnerRole>;

export const vOwnerStatus = literals("active", "removed");
export type OwnerStatus = Infer<typeof vOwnerStatus>;

/** A claim code makes the first owner; an invite code adds another (both single use). */
export const vClaimCodePurpose = literals("claim", "invite");
export type ClaimCodePurpose = Infer<typeof vClaimCodePurpose>;

/** What a lockout counter protects. */
export const vAuthScope = literals("ownerSignIn", "claimCode", "mcpToken");
export type AuthScope = Infer<typeof vAuthScope>;

/** Every event the auth audit log records (finding LOW-03). */
export const vAuthEvent = literals(
  "signInSucceeded",
  "signInFailed",
  "lockedOut",
  "lockoutExpired",
  "accessDenied",
  "claimCodeMinted",
  "claimCodeRedeemed",
  "claimCodeRejected",
  "claimCodeRevoked",
  "ownerInvited",
  "ownerJoined",
  "ownerRemoved",
  "ownerRoleChanged",
  "mcpTokenMinted",
  "mcpTokenRevoked",
  "mcpTokenRejected",
);
export type AuthEvent = Infer<typeof vAuthEvent>;

// Models.

export const vModelProviderKind = literals("anthropic", "openai", "openrouter", "openaiCompatible", "local");
export type ModelProviderKind = Infer<typeof vModelProviderKind>;

/** One model choice: which provider row, which model, and its sampling settings. */
export const vModelSelection = v.object({
  providerId: v.id("modelProviders"),
  modelId: v.string(),
  temperature: v.optional(v.number()),
  maxTokens: v.optional(v.number()),
});
export type ModelSelection = Infer<typeof vModelSelection>;

/** How a model call failed; each of the first five makes the fallback model take over. */
export const vModelErrorKind = literals(
  "rateLimited",
  "serverError",
  "timeout",
  "network",
  "auth",
  "badRequest",
  "unknown",
);
export type ModelErrorKind = Infer<typeof vModelErrorKind>;

// Skills.

export const vSkillType = literals("template", "webhook", "code");
export type SkillType = Infer<typeof vSkillType>;

/** Owner review state, shared by skills and MCP servers. Only `approved` may run. */
export const vApprovalStatus = literals("pending", "approved", "rejected");
export type ApprovalStatus = Infer<typeof vApprovalStatus>;

/** Whether an approved skill is switched on. Only `active` may run. */
export const vSkillStatus = literals("active", "inactive");
export type SkillStatus = Infer<typeof vSkillStatus>;

/** The built-in templates (type 1 skills run only through these actions). */
export const TEMPLATE_KEYS = [
  "calculator",
  "apiCaller",
  "rssFetcher",
  "webPageReader",
  "knowledgeLookup",
  "webhookCaller",
  "emailSender",
  "imageAnalyzer",
] as const;
export const vTemplateKey = literals(...TEMPLATE_KEYS);
export type TemplateKey = Infer<typeof vTemplateKey>;

export const vHttpMethod = literals("GET", "POST", "PUT", "PATCH", "DELETE");
export type HttpMethod = Infer<typeof vHttpMethod>;

/** A template skill: which built-in action, and the owner's config for it. */
export const vTemplateSkillSpec = v.object({
  templateKey: vTemplateKey,
  // JSON text validated against the template's configSchema; a string because its shape is the template's.
  configJson: v.string(),
  // Template version the config was validated against; a newer template sends the skill back to review.
  templateVersion: v.number(),
});
export type TemplateSkillSpec = Infer<typeof vTemplateSkillSpec>;

/** A webhook skill: one outbound HTTPS request built from templates. Host is fixed (no placeholder). */
export const vWebhookSkillSpec = v.object({
  method: vHttpMethod,
  // https URL; `{param}` placeholders only in path and query, values percent-encoded at run time.
  urlTemplate: v.string(),
  // Header templates; a value may name a skill secret (`{{secret.NAME}}`), resolved server-side only.
  headers: v.array(v.object({ name: v.string(), valueTemplate: v.string() })),
  bodyTemplate: v.optional(v.string()),
  responseFormat: literals("json", "text"),
});
export type WebhookSkillSpec = Infer<typeof vWebhookSkillSpec>;

/** A code skill: what its exported `skillMeta` declared when the deployment registered it. */
export const vCodeSkillSpec = v.object({
  // Registry key of the code module that implements it.
  module: v.string(),
  // Hash of the declared skillMeta; a change re-registers the skill as pending.
  metaHash: v.string(),
  // Capabilities: the only hosts it may fetch and the only secret names it may read.
  allowedDomains: v.array(v.string()),
  secretNames: v.array(v.string()),
  requiresApproval: v.boolean(),
  // Set when the module is no longer in the deployment; the skill cannot run while set.
  missingSince: v.optional(v.number()),
});
export type CodeSkillSpec = Infer<typeof vCodeSkillSpec>;

/** Presentation hints for SyncBoard and the chat's skill indicators. */
export const vSkillUi = v.object({
  category: v.optional(v.string()),
  icon: v.optional(v.string()),
  showIndicator: v.optional(v.boolean()),
});
export type SkillUi = Infer<typeof vSkillUi>;

// Rate limits.

/**
 * One limit in @convex-dev/rate-limiter's own shape, so a stored row or a default passes straight
 * to `rateLimiter.limit(ctx, name, { config })`. `period` is in milliseconds.
 */
export const vRateLimitConfig = v.object({
  kind: literals("token bucket", "fixed window"),
  rate: v.number(),
  period: v.number(),
  capacity: v.optional(v.number()),
  shards: v.optional(v.number()),
});
export type RateLimitConfig = Infer<typeof vRateLimitConfig>;

export const RATE_LIMIT_NAMES = [
  "chatPerSession",
  "channelPerUser",
  "skillPerSkill",
  "webhookSkillsGlobal",
  "mcpPerServer",
  "voiceDuration",
  "global",
  "skillGlobal",
  "sessionCreation",
  "authAttempts",
  "conversationExports",
  "approvalRequests",
  "mcpClientPerToken",
] as const;
export const vRateLimitName = literals(...RATE_LIMIT_NAMES);
export type RateLimitName = Infer<typeof vRateLimitName>;

/** What one unit of a limit is: a request, or a second of voice. */
export const vRateLimitUnit = literals("requests", "seconds");
export type RateLimitUnit = Infer<typeof vRateLimitUnit>;

/** What a limit is keyed by. */
export const vRateLimitScope = literals(
  "global",
  "perSession",
  "perChannelUser",
  "perSkill",
  "perMcpServer",
  "perMcpToken",
  "perSubject",
  "perRequester",
);
export type RateLimitScope = Infer<typeof vRateLimitScope>;

// Security codes. Every refusal has its own code; the checker logs each to skillInvocationLog and,
// when it is a refusal, to securityEvents. Add new codes here, never reuse one for another cause.

/** Decisions of the always-on checker (skills, MCP tool calls, inbound webhooks), except "OK". */
export const CHECK_FAILURE_CODES = [
  "SKILL_NOT_FOUND",
  "SKILL_NOT_APPROVED",
  "SKILL_INACTIVE",
  "SKILL_CONFIG_UNREVIEWED",
  "MCP_SERVER_NOT_FOUND",
  "MCP_SERVER_NOT_APPROVED",
  "MCP_SERVER_INACTIVE",
  "MCP_TOOL_UNAVAILABLE",
  "RATE_LIMIT_SKILL",
  "RATE_LIMIT_SKILL_GLOBAL",
  "RATE_LIMIT_WEBHOOK_GLOBAL",
  "RATE_LIMIT_MCP_SERVER",
  "RATE_LIMIT_MCP_CLIENT",
  "RATE_LIMIT_CHANNEL_USER",
  "RATE_LIMIT_GLOBAL",
  "INPUT_TOO_LARGE",
  "INPUT_INVALID",
  "IMAGE_INVALID",
  "URL_INVALID",
  "DOMAIN_NOT_ALLOWED",
  "ADDRESS_BLOCKED",
  "REDIRECT_BLOCKED",
  "SECRET_NOT_PERMITTED",
  "SECRET_UNAVAILABLE",
  "OUTPUT_TOO_LARGE",
  "TIMEOUT",
  "EXECUTION_FAILED",
  "WEBHOOK_PAYLOAD_TOO_LARGE",
  "WEBHOOK_SIGNATURE_MISSING",
  "WEBHOOK_SIGNATURE_INVALID",
  "WEBHOOK_TIMESTAMP_STALE",
  "WEBHOOK_REPLAYED",
  "WEBHOOK_PAYLOAD_INVALID",
  "WEBHOOK_CHANNEL_DISABLED",
  "WEBHOOK_SECRET_UNCONFIGURED",
  "CHANNEL_USER_BLOCKED",
  "CHANNEL_USER_NOT_ALLOWED",
] as const;
export type CheckFailureCode = (typeof CHECK_FAILURE_CODES)[number];

/** A checker result as logged: "OK" or one failure code. */
export const vCheckCode = literals("OK", ...CHECK_FAILURE_CODES);
export type CheckCode = Infer<typeof vCheckCode>;

/** Security-relevant events outside the checker: auth, sessions, tokens, limits, health, anomalies. */
export const OTHER_SECURITY_CODES = [
  "AUTH_NOT_OWNER",
  "AUTH_SIGNIN_FAILED",
  "AUTH_LOCKED_OUT",
  "AUTH_CLAIM_CODE_INVALID",
  "SESSION_INVALID",
  "SESSION_REVOKED",
  "MCP_TOKEN_INVALID",
  "MCP_TOKEN_EXPIRED",
  "MCP_TOKEN_REVOKED",
  "MCP_SCOPE_DENIED",
  "RATE_LIMIT_CHAT_SESSION",
  "RATE_LIMIT_SESSION_CREATE",
  "RATE_LIMIT_AUTH",
  "RATE_LIMIT_EXPORT",
  "RATE_LIMIT_VOICE",
  "RATE_LIMIT_APPROVALS",
  "APPROVALS_BATCHED",
  "CODE_SKILL_BLOCKED",
  "MCP_SERVER_UNHEALTHY",
  "MCP_SERVER_AUTO_DISABLED",
  "MCP_TOOLS_CHANGED",
  "SECRET_DECRYPT_FAILED",
  "ENCRYPTION_KEY_INVALID",
  "HOST_HEADER_REJECTED",
  "ORIGIN_REJECTED",
  "ANOMALY_CREDENTIAL_HARVESTING",
  "ANOMALY_CONVERSATION_EXFILTRATION",
] as const;

/** Every distinct security event code. */
export const SECURITY_EVENT_CODES = [...CHECK_FAILURE_CODES, ...OTHER_SECURITY_CODES] as const;
export const vSecurityEventCode = literals(...SECURITY_EVENT_CODES);
export type SecurityEventCode = Infer<typeof vSecurityEventCode>;

/** Incident severities of 004 §6, plus `info` for events kept only for the record. */
export const vSeverity = literals("info", "low", "medium", "high", "critical");
export type Severity = Infer<typeof vSeverity>;

/** How an invocation ended: ran and succeeded, refused by a check before running, or failed while running. */
export const vInvocationOutcome = literals("ok", "denied", "failed");
export type InvocationOutcome = Infer<typeof vInvocationOutcome>;

/** What was invoked: one of our skills, or a tool of an external MCP server. */
export const vInvocationTarget = literals("skill", "mcpTool");
export type InvocationTarget = Infer<typeof vInvocationTarget>;

/** Which rows a summary row counts: everything, one skill, or one MCP server. */
export const vSummaryScope = literals("all", "skill", "mcpServer");
export type SummaryScope = Infer<typeof vSummaryScope>;

/** Each cron aggregation that keeps a watermark. */
export const vAggregationName = literals("skillInvocations", "securityEvents");
export type AggregationName = Infer<typeof vAggregationName>;

// Secrets.

/** AES-256-GCM ciphertext envelope (finding CRIT-02). The key id lets rotation find old rows. */
export const secretEnvelopeFields = {
  // Algorithm tag, so a future format is recognisable.
  alg: v.literal("AES-256-GCM"),
  // Fingerprint of the encryption key (never the key); rows under an old key id are re-encrypted.
  keyId: v.string(),
  // Base64 96-bit nonce, fresh for every encryption.
  iv: v.string(),
  // Base64 ciphertext with the GCM tag; the row's identity is bound as additional data in code.
  ciphertext: v.string(),
};
export const vSecretEnvelope = v.object(secretEnvelopeFields);
export type SecretEnvelope = Infer<typeof vSecretEnvelope>;

/** The columns of every encrypted secret row: the envelope plus the masked display value. */
export const encryptedSecretFields = {
  ...secretEnvelopeFields,
  // Last 4 characters for display ("••••abcd"); "" when the secret is too short to reveal any.
  last4: v.string(),
};

/** Secret names a channel may hold, each the same as its Convex env var fallback. */
export const CHANNEL_SECRET_NAMES = {
  telegram: ["TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN"],
  slack: ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"],
  discord: ["DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"],
  whatsapp: ["TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID"],
  email: ["RESEND_WEBHOOK_SECRET", "RESEND_API_KEY"],
} as const satisfies Record<ChannelPlatform, readonly string[]>;
export const vChannelSecretName = literals(
  ...CHANNEL_SECRET_NAMES.telegram,
  ...CHANNEL_SECRET_NAMES.slack,
  ...CHANNEL_SECRET_NAMES.discord,
  ...CHANNEL_SECRET_NAMES.whatsapp,
  ...CHANNEL_SECRET_NAMES.email,
);
export type ChannelSecretName = Infer<typeof vChannelSecretName>;

// Channels.

/** Non-secret settings per platform. Anything that authenticates lives in channelSecrets. */
export const vChannelSettings = v.union(
  v.object({ platform: v.literal("telegram"), botUsername: v.optional(v.string()) }),
  v.object({
    platform: v.literal("slack"),
    teamId: v.optional(v.string()),
    botUserId: v.optional(v.string()),
  }),
  v.object({ platform: v.literal("discord"), applicationId: v.optional(v.string()) }),
  // The business's own sending number, not a user's.
  v.object({ platform: v.literal("whatsapp"), fromNumber: v.optional(v.string()) }),
  v.object({ platform: v.literal("email"), fromAddress: v.optional(v.string()) }),
);
export type ChannelSettings = Infer<typeof vChannelSettings>;

/** `open`: any verified platform user may talk; `allowlist`: only users an owner allowed. */
export const vChannelAccessPolicy = literals("open", "allowlist");
export type ChannelAccessPolicy = Infer<typeof vChannelAccessPolicy>;

export const vChannelUserStatus = literals("allowed", "pending", "blocked");
export type ChannelUserStatus = Infer<typeof vChannelUserStatus>;

// MCP.

export const vMcpTransport = literals("streamableHttp", "sse");
export type McpTransport = Infer<typeof vMcpTransport>;

/** `inactive` is the owner's switch; `autoDisabled` is the health check's. Only `active` runs. */
export const vMcpServerStatus = literals("active", "inactive", "autoDisabled");
export type McpServerStatus = Infer<typeof vMcpServerStatus>;

export const vHealthStatus = literals("unknown", "healthy", "degraded", "unhealthy");
export type HealthStatus = Infer<typeof vHealthStatus>;

/** What a token for ClawSync's own MCP endpoint may do. */
export const vMcpScope = literals("tools:list", "tools:call", "agent:chat");
export type McpScope = Infer<typeof vMcpScope>;

// Approvals (finding MED-07).

export const vApprovalSubject = literals("skill", "mcpServer");
export type ApprovalSubject = Infer<typeof vApprovalSubject>;

/** Why a review is needed. */
export const vApprovalReason = literals(
  "created",
  "registered",
  "configChanged",
  "permissionsChanged",
  "toolsChanged",
);
export type ApprovalReason = Infer<typeof vApprovalReason>;

/** `superseded`: a newer request for the same subject replaced it. */
export const vApprovalRequestStatus = literals("pending", "approved", "rejected", "superseded");
export type ApprovalRequestStatus = Infer<typeof vApprovalRequestStatus>;

export const vApprovalBatchStatus = literals("open", "decided");
export type ApprovalBatchStatus = Infer<typeof vApprovalBatchStatus>;

// Conversations, voice, exports, files, data access.

export const vVoiceSessionStatus = literals("active", "ended", "limitReached", "failed");
export type VoiceSessionStatus = Infer<typeof vVoiceSessionStatus>;

export const vExportStatus = literals("pending", "ready", "failed", "expired");
export type ExportStatus = Infer<typeof vExportStatus>;

export const vExportFormat = literals("json", "markdown");
export type ExportFormat = Infer<typeof vExportFormat>;

/** Raster formats accepted after a magic-byte check; SVG and anything scriptable are refused. */
export const vImageMime = literals("image/png", "image/jpeg", "image/gif", "image/webp");
export type ImageMime = Infer<typeof vImageMime>;

/** What a data access log row is about (004: conversation access and credential access). */
export const vDataResource = literals(
  "conversation",
  "skillSecret",
  "channelSecret",
  "mcpServerSecret",
  "export",
);
export type DataResource = Infer<typeof vDataResource>;

export const vDataAction = literals("read", "decrypt", "write", "export", "delete");
export type DataAction = Infer<typeof vDataAction>;

export const vHealthBand = literals("green", "yellow", "red");
export type HealthBand = Infer<typeof vHealthBand>;

// Retention.

/** Each kind of data with its own owner-set retention period. */
export const RETENTION_CLASSES = [
  "skillInvocationLog",
  "activityLog",
  "securityEvents",
  "authAuditLog",
  "dataAccessLog",
  "modelProviderErrors",
  "conversations",
  "voiceSessions",
  "conversationExports",
  "summaries",
] as const;
export const vRetentionClass = literals(...RETENTION_CLASSES);
export type RetentionClass = Infer<typeof vRetentionClass>;

/** Days each class is kept when no retentionSettings row overrides it. */
export const RETENTION_DEFAULTS: Readonly<Record<RetentionClass, number>> = {
  skillInvocationLog: 30,
  activityLog: 90,
  securityEvents: 180,
  authAuditLog: 365,
  dataAccessLog: 365,
  modelProviderErrors: 30,
  conversations: 365,
  voiceSessions: 90,
  conversationExports: 7,
  summaries: 400,
};

// Rate limit defaults.

/** One row of the defaults table: the limiter config plus what SyncBoard and the logs need. */
export type RateLimitDefault = {
  /** Passed unchanged to @convex-dev/rate-limiter. */
  config: RateLimitConfig;
  unit: RateLimitUnit;
  scope: RateLimitScope;
  /** The security event code a refusal by this limit is logged with. */
  code: SecurityEventCode;
  /** Owner-facing name in SyncBoard. */
  label: string;
  /** True for the seven rows of the spec's defaults table; false for limits chosen here. */
  fromSpec: boolean;
};

/** A token bucket of `rate` per `period` that can burst one full period's worth. */
const bucket = (rate: number, period: number): RateLimitConfig => ({
  kind: "token bucket",
  rate,
  period,
  capacity: rate,
});
const perMinute = (rate: number) => bucket(rate, MINUTE);
const perHour = (rate: number) => bucket(rate, HOUR);

/**
 * Every rate limit with its default. A rateLimitConfig row with the same name overrides `config`;
 * without one, this applies. The first seven are the spec's table (000, "Rate limiting").
 */
export const RATE_LIMIT_DEFAULTS: Readonly<Record<RateLimitName, RateLimitDefault>> = {
  chatPerSession: {
    config: perMinute(10),
    unit: "requests",
    scope: "perSession",
    code: "RATE_LIMIT_CHAT_SESSION",
    label: "Chat messages per visitor session",
    fromSpec: true,
  },
  channelPerUser: {
    config: perMinute(20),
    unit: "requests",
    scope: "perChannelUser",
    code: "RATE_LIMIT_CHANNEL_USER",
    label: "Messages per channel user",
    fromSpec: true,
  },
  skillPerSkill: {
    config: perMinute(30),
    unit: "requests",
    scope: "perSkill",
    code: "RATE_LIMIT_SKILL",
    label: "Invocations per skill",
    fromSpec: true,
  },
  webhookSkillsGlobal: {
    config: perMinute(100),
    unit: "requests",
    scope: "global",
    code: "RATE_LIMIT_WEBHOOK_GLOBAL",
    label: "Webhook skill invocations, all skills",
    fromSpec: true,
  },
  mcpPerServer: {
    config: perMinute(50),
    unit: "requests",
    scope: "perMcpServer",
    code: "RATE_LIMIT_MCP_SERVER",
    label: "Tool calls per MCP server",
    fromSpec: true,
  },
  voiceDuration: {
    config: perHour(5 * 60),
    unit: "seconds",
    scope: "perSession",
    code: "RATE_LIMIT_VOICE",
    label: "Voice seconds per session",
    fromSpec: true,
  },
  global: {
    config: perMinute(200),
    unit: "requests",
    scope: "global",
    code: "RATE_LIMIT_GLOBAL",
    label: "Messages, all users combined",
    fromSpec: true,
  },
  skillGlobal: {
    config: perMinute(200),
    unit: "requests",
    scope: "global",
    code: "RATE_LIMIT_SKILL_GLOBAL",
    label: "Skill invocations, all skills",
    fromSpec: false,
  },
  sessionCreation: {
    config: perMinute(100),
    unit: "requests",
    scope: "global",
    code: "RATE_LIMIT_SESSION_CREATE",
    label: "New visitor sessions",
    fromSpec: false,
  },
  authAttempts: {
    config: perMinute(10),
    unit: "requests",
    scope: "perSubject",
    code: "RATE_LIMIT_AUTH",
    label: "Sign-in and claim attempts (then a 5 minute lockout)",
    fromSpec: false,
  },
  conversationExports: {
    config: perHour(10),
    unit: "requests",
    scope: "perRequester",
    code: "RATE_LIMIT_EXPORT",
    label: "Conversation exports per requester",
    fromSpec: false,
  },
  approvalRequests: {
    config: perHour(10),
    unit: "requests",
    scope: "global",
    code: "RATE_LIMIT_APPROVALS",
    label: "Approval requests before batching",
    fromSpec: false,
  },
  mcpClientPerToken: {
    config: perMinute(60),
    unit: "requests",
    scope: "perMcpToken",
    code: "RATE_LIMIT_MCP_CLIENT",
    label: "Requests per MCP access token",
    fromSpec: false,
  },
};
