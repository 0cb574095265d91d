// The whole ClawSync data model. Shared unions and limits come from ./lib/validators;
// docs/data-model.md gives each table's queries, retention and the spec lines it backs.
// Invariants every table keeps: no plaintext secret anywhere (encrypted envelopes only), documents
// small (large payloads are _storage ids), every query served by an index below. Log tables are
// pruned oldest-first through the built-in by_creation_time index, so none needs its own time index.
// Timestamps are Unix milliseconds.

import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import {
  encryptedSecretFields,
  vActorKind,
  vAggregationName,
  vApprovalBatchStatus,
  vApprovalReason,
  vApprovalRequestStatus,
  vApprovalStatus,
  vApprovalSubject,
  vAuthEvent,
  vAuthScope,
  vCaller,
  vChannel,
  vChannelAccessPolicy,
  vChannelPlatform,
  vChannelSecretName,
  vChannelSettings,
  vChannelUserStatus,
  vCheckCode,
  vClaimCodePurpose,
  vCodeSkillSpec,
  vDataAction,
  vDataResource,
  vExportFormat,
  vExportStatus,
  vHealthBand,
  vHealthStatus,
  vImageMime,
  vInvocationOutcome,
  vInvocationTarget,
  vLogMetadata,
  vMcpScope,
  vMcpServerStatus,
  vMcpTransport,
  vModelErrorKind,
  vModelProviderKind,
  vModelSelection,
  vOwnerRole,
  vOwnerStatus,
  vRateLimitConfig,
  vRateLimitName,
  vRetentionClass,
  vSecurityEventCode,
  vSeverity,
  vSkillStatus,
  vSkillType,
  vSkillUi,
  vSummaryScope,
  vTemplateKey,
  vTemplateSkillSpec,
  vVisibility,
  vVoiceSessionStatus,
  vWebhookSkillSpec,
} from "./lib/validators";

export default defineSchema({
  // The agent.

  // Singleton (read with .first()); the soul document is versioned in soulDocuments.
  agentConfig: defineTable({
    name: v.string(), // public display name of the agent
    tagline: v.optional(v.string()), // short public tagline for the chat header; no personal data
    primaryModel: vModelSelection, // model for every reply unless it fails at call time
    // Taken when the primary returns 429/5xx, times out or is unreachable; the switch is logged.
    fallbackModel: v.optional(vModelSelection),
    maxSteps: v.number(), // bound on tool-call steps per reply, so an agent loop always ends
    // Max characters of one visitor/channel message (default LIMITS.messageCharsDefault, ≤ ceiling).
    maxMessageChars: v.number(),
    // ElevenLabs voice: env var NAMES only; the key and the voice id never reach the browser.
    voice: v.optional(
      v.object({
        enabled: v.boolean(),
        apiKeyEnvVar: v.string(),
        agentIdEnvVar: v.optional(v.string()),
      }),
    ),
    updatedAt: v.number(), // last change
    updatedBy: v.optional(v.id("owners")), // owner who made it; absent for the seed
  }),

  soulDocuments: defineTable({
    version: v.number(), // monotonic; the highest is the live system prompt, read at run time
    content: v.string(), // markdown, ≤ LIMITS.soulChars; the seed holds no personal data
    source: v.union(v.literal("seed"), v.literal("owner")), // content/soul.md, or a SyncBoard edit
    createdBy: v.optional(v.id("owners")), // the editing owner; absent for the seed
  })
    // Live soul (order desc, first); history page; pruning old versions.
    .index("by_version", ["version"]),

  modelProviders: defineTable({
    slug: v.string(), // unique name owners pick ("anthropic", "my-vllm"); "local" is always seeded
    kind: vModelProviderKind, // which AI SDK provider builds the model
    displayName: v.string(), // label in SyncBoard and the model badge
    // NAME of the Convex env var holding the key (e.g. OPENROUTER_API_KEY); never the key itself.
    apiKeyEnvVar: v.optional(v.string()),
    // Only for kind "openaiCompatible"; validated as an https URL on save.
    baseUrl: v.optional(v.string()),
    enabled: v.boolean(), // a disabled provider is never called, not even as fallback
    lastErrorAt: v.optional(v.number()), // latest failure, for the models page
    lastErrorKind: v.optional(vModelErrorKind), // its kind; details are in modelProviderErrors
    updatedAt: v.number(), // last change
  })
    // Resolve by slug (seeding, uniqueness check).
    .index("by_slug", ["slug"]),

  modelProviderErrors: defineTable({
    providerId: v.id("modelProviders"), // provider that failed
    modelId: v.string(), // model id as configured; no request content
    errorKind: vModelErrorKind, // classified failure
    httpStatus: v.optional(v.number()), // status when the provider answered
    fallbackActivated: v.boolean(), // whether the fallback model then took over
    threadId: v.optional(v.string()), // agent thread the call served
    message: v.optional(v.string()), // redacted, truncated provider message; no keys, no user text
  })
    // Models page: recent errors per provider, newest first.
    .index("by_provider", ["providerId"]),

  // Skills.

  skills: defineTable({
    name: v.string(), // unique tool name the model sees: lowercase slug, ≤ LIMITS.nameChars
    displayName: v.string(), // label in SyncBoard and chat skill indicators
    description: v.string(), // tool description given to the model; reviewed at approval
    type: vSkillType, // template | webhook | code; fixed at creation
    approvalStatus: vApprovalStatus, // only "approved" passes the checker
    status: vSkillStatus, // owner's switch; only "active" passes the checker
    configVersion: v.number(), // bumped on any change of config, spec, schema or permissions
    // The configVersion an owner approved; a mismatch fails the checker (SKILL_CONFIG_UNREVIEWED).
    approvedConfigVersion: v.optional(v.number()),
    approvedBy: v.optional(v.id("owners")), // owner who approved the current version
    approvedAt: v.optional(v.number()), // when
    reviewNote: v.optional(v.string()), // owner's note on rejection; SyncBoard only
    // JSON Schema of the input as text (free-form JSON, ≤ LIMITS.jsonDocChars); checked every call.
    inputSchemaJson: v.string(),
    template: v.optional(vTemplateSkillSpec), // set exactly when type is "template"
    webhook: v.optional(vWebhookSkillSpec), // set exactly when type is "webhook"
    code: v.optional(vCodeSkillSpec), // set exactly when type is "code": the declared skillMeta
    timeoutMs: v.number(), // work aborted and logged as TIMEOUT past this (default 10 s)
    maxOutputBytes: v.number(), // larger output refused as OUTPUT_TOO_LARGE (webhooks: 50 KB)
    rateLimit: v.optional(vRateLimitConfig), // overrides the skillPerSkill default for this skill
    ui: v.optional(vSkillUi), // presentation hints
    createdBy: v.optional(v.id("owners")), // creating owner; absent for code skills registered at deploy
    updatedAt: v.number(), // last change
  })
    // Resolve a tool call by name; SyncBoard list sorted by name; uniqueness check.
    .index("by_name", ["name"])
    // Tools offered to the agent (approved + active); review queue by approvalStatus (prefix).
    .index("by_approvalStatus_and_status", ["approvalStatus", "status"])
    // Deploy-time registry sync lists code skills; SyncBoard filter by type.
    .index("by_type", ["type"]),

  // Catalogue of built-in templates, seeded from code (one row per key).
  skillTemplates: defineTable({
    key: vTemplateKey, // which built-in action runs skills of this template
    displayName: v.string(), // template picker label
    description: v.string(), // template picker text
    version: v.number(), // bumped on schema change; skills on an older version go back to review
    configSchemaJson: v.string(), // JSON Schema of the owner's config, as text; SyncBoard builds the form
    inputSchemaJson: v.string(), // JSON Schema of the model's input, as text; copied to new skills
    secretNames: v.array(v.string()), // secret names it reads from skillSecrets (e.g. RESEND_API_KEY)
    usesNetwork: v.boolean(), // true: guarded fetch and the domain allowlist apply
  })
    // Picker and skill creation look a template up by key.
    .index("by_key", ["key"]),

  skillSecrets: defineTable({
    skillId: v.id("skills"), // the only skill that may read it (code skills: declared names only)
    name: v.string(), // UPPER_SNAKE name referenced by the template, webhook spec or skillMeta
    ...encryptedSecretFields, // alg, keyId, iv, ciphertext, last4; never plaintext
    updatedAt: v.number(), // last set or re-encrypted
    updatedBy: v.optional(v.id("owners")), // owner who set it; absent after a rotation job
  })
    // Runtime read of one secret; masked list of a skill's secrets.
    .index("by_skill_and_name", ["skillId", "name"])
    // Key rotation: rows still under an old key, in bounded batches.
    .index("by_keyId", ["keyId"]),

  domainAllowlist: defineTable({
    hostname: v.string(), // exact lowercase hostname; no wildcard, port, scheme or path
    skillId: v.optional(v.id("skills")), // skill it applies to; absent = global entry for every skill
    addedBy: v.id("owners"), // every entry is an explicit owner action
    addedAt: v.number(), // when it was added
    note: v.optional(v.string()), // owner's reason, SyncBoard only
  })
    // Checker looks up (skillId, host) then (undefined, host); lists per skill and of global entries.
    .index("by_skill_and_hostname", ["skillId", "hostname"]),

  // Hot log: one row per checker decision (pass or fail) on a skill or MCP tool call.
  skillInvocationLog: defineTable({
    target: vInvocationTarget, // one of our skills, or an external MCP tool
    skillId: v.optional(v.id("skills")), // set when the name resolved to a skill
    skillName: v.string(), // name as requested (truncated); readable after the skill is deleted
    skillType: v.optional(vSkillType), // type at call time
    mcpServerId: v.optional(v.id("mcpServers")), // set for MCP tool calls
    toolName: v.optional(v.string()), // MCP tool name
    caller: vCaller, // who the call acted for: row ids only, never platform ids
    channel: vChannel, // surface the call came through
    threadId: v.optional(v.string()), // agent thread, if any
    code: vCheckCode, // "OK" or the distinct failure code
    outcome: vInvocationOutcome, // ok | denied (by a check) | failed (while running)
    inputRedacted: v.string(), // scrubbed input, ≤ LIMITS.logInputChars
    outputPreview: v.optional(v.string()), // scrubbed output, ≤ LIMITS.logOutputPreviewChars
    outputStorageId: v.optional(v.id("_storage")), // full scrubbed output when longer than the preview
    outputBytes: v.optional(v.number()), // size of the raw output
    durationMs: v.number(), // wall time of checks plus execution
    errorMessage: v.optional(v.string()), // scrubbed, short; when outcome is "failed"
    dryRun: v.boolean(), // SyncBoard's test runner (fully checked all the same)
  })
    // Skill detail: invocation history, newest first.
    .index("by_skill", ["skillId"])
    // MCP server detail: tool call history.
    .index("by_mcpServer", ["mcpServerId"])
    // Failed invocations ("denied", "failed"), newest first.
    .index("by_outcome", ["outcome"])
    // Erasure of a conversation removes its rows.
    .index("by_threadId", ["threadId"]),

  // Cold summary of skillInvocationLog, per hour bucket; written only by the aggregation cron.
  skillInvocationSummary: defineTable({
    bucketStart: v.number(), // start of the hour bucket (SUMMARY_BUCKET_MS), UTC
    scope: vSummaryScope, // "all" totals every invocation; "skill"/"mcpServer" one target
    skillId: v.optional(v.id("skills")), // set exactly when scope is "skill"
    mcpServerId: v.optional(v.id("mcpServers")), // set exactly when scope is "mcpServer"
    total: v.number(), // invocations counted
    ok: v.number(), // outcome "ok"
    denied: v.number(), // outcome "denied"
    failed: v.number(), // outcome "failed"
    rateLimited: v.number(), // refusals by any RATE_LIMIT_* code (also in codeCounts)
    timeouts: v.number(), // code TIMEOUT (also in codeCounts)
    durationMsTotal: v.number(), // sum, for the mean
    durationMsMax: v.number(), // slowest invocation
    codeCounts: v.array(v.object({ code: vCheckCode, count: v.number() })), // per non-OK code; bounded
  })
    // Overview: "all" rows of the last N hours; cron upsert of the "all" row.
    .index("by_scope_and_bucket", ["scope", "bucketStart"])
    // Skill detail chart; cron upsert of a skill row.
    .index("by_skill_and_bucket", ["skillId", "bucketStart"])
    // MCP server detail chart; cron upsert of a server row.
    .index("by_mcpServer_and_bucket", ["mcpServerId", "bucketStart"])
    // Retention: prune old buckets.
    .index("by_bucket", ["bucketStart"]),

  // Where each aggregation cron stopped, so every log row is counted exactly once.
  summaryWatermarks: defineTable({
    name: vAggregationName, // one row per aggregation
    throughCreationTime: v.number(), // _creationTime of the last log row counted
    throughId: v.optional(v.string()), // _id of that row, breaking ties at equal _creationTime
    lastRunAt: v.number(), // last run, for the operations page
    lastRunRows: v.number(), // rows counted by that run
  })
    // The cron reads and advances its own watermark.
    .index("by_name", ["name"]),

  // Owner-written knowledge the knowledgeLookup template searches.
  knowledgeEntries: defineTable({
    collection: v.string(), // slug a knowledgeLookup skill is configured with
    title: v.string(), // entry title
    content: v.string(), // text, ≤ LIMITS.knowledgeEntryChars
    updatedAt: v.number(), // last edit
    updatedBy: v.optional(v.id("owners")), // editing owner
  })
    // SyncBoard list per collection, sorted by title.
    .index("by_collection_and_title", ["collection", "title"])
    // Full-text lookup within a collection.
    .searchIndex("search_content", { searchField: "content", filterFields: ["collection"] }),

  // Validation record of every image in file storage; an image id without a row is refused.
  images: defineTable({
    storageId: v.id("_storage"), // the bytes, in file storage (never base64 in a document)
    contentType: vImageMime, // established from magic bytes, not the client's claim
    bytes: v.number(), // size, ≤ LIMITS.imageBytesMax
    sha256: v.string(), // hex digest of the bytes
    width: v.optional(v.number()), // pixels, when decoded
    height: v.optional(v.number()), // pixels, when decoded
    source: v.union(v.literal("upload"), v.literal("skillOutput")), // how it arrived
    caller: vCaller, // whose it is: only the same caller may pass it to a skill
    conversationId: v.optional(v.id("conversations")), // conversation it belongs to
    skillId: v.optional(v.id("skills")), // skill that produced it
  })
    // Resolve a storage id to its validation record.
    .index("by_storageId", ["storageId"])
    // Deleted with the conversation (retention, erasure).
    .index("by_conversation", ["conversationId"]),

  // MCP: external servers ClawSync calls, and tokens for clients of ClawSync's own endpoint.

  mcpServers: defineTable({
    name: v.string(), // unique slug; its tools reach the agent as "<name>__<tool>"
    displayName: v.string(), // SyncBoard label
    url: v.string(), // https endpoint, called only through the guarded fetch
    transport: vMcpTransport, // MCP transport spoken
    approvalStatus: vApprovalStatus, // no tool is usable before "approved"
    status: vMcpServerStatus, // only "active" is usable; "autoDisabled" set by the health check
    health: vHealthStatus, // result of the periodic check
    lastHealthCheckAt: v.optional(v.number()), // when it last ran
    consecutiveFailures: v.number(), // failed checks in a row; at the threshold → autoDisabled
    lastHealthError: v.optional(v.string()), // short code of the last failure; no response bodies
    toolsHash: v.optional(v.string()), // hash of the tool list last discovered
    approvedToolsHash: v.optional(v.string()), // hash the owner approved; a difference re-reviews
    rateLimit: v.optional(vRateLimitConfig), // overrides the mcpPerServer default
    timeoutMs: v.number(), // per tool call
    maxOutputBytes: v.number(), // per tool result
    approvedBy: v.optional(v.id("owners")), // approving owner
    approvedAt: v.optional(v.number()), // when
    reviewNote: v.optional(v.string()), // owner's note on rejection
    createdBy: v.id("owners"), // owner who added it
    updatedAt: v.number(), // last change
  })
    // Resolve by name; uniqueness check; SyncBoard list.
    .index("by_name", ["name"])
    // Usable servers (approved + active) and the health cron's work list; review queue (prefix).
    .index("by_approvalStatus_and_status", ["approvalStatus", "status"]),

  mcpServerTools: defineTable({
    mcpServerId: v.id("mcpServers"), // server offering it
    name: v.string(), // tool name as the server reports it
    description: v.string(), // server-supplied, untrusted, ≤ LIMITS.descriptionChars
    inputSchemaJson: v.string(), // input JSON Schema as text (free-form JSON, ≤ LIMITS.jsonDocChars)
    enabled: v.boolean(), // owner may switch single tools off
    discoveredAt: v.number(), // when it was last seen in the server's tool list
  })
    // Tool lookup on a call; tool list per server.
    .index("by_server_and_name", ["mcpServerId", "name"]),

  mcpServerSecrets: defineTable({
    mcpServerId: v.id("mcpServers"), // the only server it is sent to
    name: v.string(), // credential name (e.g. AUTHORIZATION)
    ...encryptedSecretFields, // alg, keyId, iv, ciphertext, last4; never plaintext
    updatedAt: v.number(), // last set or re-encrypted
    updatedBy: v.optional(v.id("owners")), // owner who set it
  })
    // Runtime read; masked list per server.
    .index("by_server_and_name", ["mcpServerId", "name"])
    // Key rotation.
    .index("by_keyId", ["keyId"]),

  mcpAccessTokens: defineTable({
    label: v.string(), // owner-facing name ("Claude Desktop on laptop")
    tokenHash: v.string(), // SHA-256 of the bearer token; the token is shown once, never stored
    prefix: v.string(), // first characters, to recognise a token in lists
    last4: v.string(), // last 4 characters, same purpose
    scopes: v.array(vMcpScope), // what the token may do
    allowedSkillIds: v.optional(v.array(v.id("skills"))), // restriction; absent = all approved, active
    createdBy: v.optional(v.id("owners")), // minting owner; absent when minted by the CLI (admin key)
    expiresAt: v.number(), // every token expires (default 90 days)
    revokedAt: v.optional(v.number()), // set once; a revoked token is refused
    revokedBy: v.optional(v.id("owners")), // who revoked it
    lastUsedAt: v.optional(v.number()), // written at most once a minute per token
  })
    // Authenticate a request by hashed token.
    .index("by_tokenHash", ["tokenHash"])
    // Expiry sweep; "expiring soon" list.
    .index("by_expiresAt", ["expiresAt"]),

  // Channels.

  channelConfig: defineTable({
    platform: vChannelPlatform, // one row per platform
    enabled: v.boolean(), // webhooks of a disabled channel are refused (WEBHOOK_CHANNEL_DISABLED)
    settings: vChannelSettings, // non-secret settings; every credential is in channelSecrets
    accessPolicy: vChannelAccessPolicy, // open, or only users an owner allowed
    updatedAt: v.number(), // last change
    updatedBy: v.optional(v.id("owners")), // owner who made it
  })
    // Webhook handler and SyncBoard look a channel up by platform.
    .index("by_platform", ["platform"]),

  channelSecrets: defineTable({
    channelId: v.id("channelConfig"), // the only channel that may read it
    name: vChannelSecretName, // same name as its env var fallback (e.g. SLACK_SIGNING_SECRET)
    ...encryptedSecretFields, // alg, keyId, iv, ciphertext, last4; never plaintext
    updatedAt: v.number(), // last set or re-encrypted
    updatedBy: v.optional(v.id("owners")), // owner who set it
  })
    // Signature verification reads one secret; masked list per channel.
    .index("by_channel_and_name", ["channelId", "name"])
    // Key rotation.
    .index("by_keyId", ["keyId"]),

  channelUsers: defineTable({
    platform: vChannelPlatform, // platform the id belongs to
    // Sender id from a verified webhook only. For WhatsApp and email it is a phone number or
    // address: personal data, shown to owners only, never copied into activity, logs or events.
    platformUserId: v.string(),
    displayName: v.optional(v.string()), // name the platform reports; personal data, owners only
    status: vChannelUserStatus, // blocked users are refused (CHANNEL_USER_BLOCKED)
    rateLimit: v.optional(vRateLimitConfig), // overrides the channelPerUser default for this user
    lastRateLimitedAt: v.optional(v.number()), // last refusal by a limit, shown in SyncBoard
    lastSeenAt: v.number(), // written at most every few minutes
  })
    // Inbound message finds its user; SyncBoard list per platform.
    .index("by_platform_and_platformUserId", ["platform", "platformUserId"])
    // Pending and blocked lists.
    .index("by_status", ["status"]),

  webhookReplayIds: defineTable({
    platform: vChannelPlatform, // platform that delivered it
    replayKey: v.string(), // delivery id (update_id, event_id, MessageSid, svix-id) or signature hash
    expiresAt: v.number(), // forgettable after the platform's signature tolerance
  })
    // Dedupe: has this delivery been seen?
    .index("by_platform_and_replayKey", ["platform", "replayKey"])
    // Expiry sweep in bounded batches.
    .index("by_expiresAt", ["expiresAt"]),

  // Conversations: index over @convex-dev/agent threads (which hold the messages).

  conversations: defineTable({
    threadId: v.string(), // the agent component's thread
    channel: vChannel, // where the conversation happens
    // Exactly one principal owns it: a visitor session, a channel user or an owner.
    visitorSessionId: v.optional(v.id("visitorSessions")),
    channelUserId: v.optional(v.id("channelUsers")), // see above
    ownerId: v.optional(v.id("owners")), // see above
    externalKey: v.optional(v.string()), // platform conversation key (chat id, channel:thread_ts)
    // Start of the first message (≤ 60 chars), shown only to the conversation's own principal and owners.
    title: v.optional(v.string()),
    lastMessageAt: v.number(), // last message either way
    messageCount: v.number(), // messages in the thread
    expiresAt: v.optional(v.number()), // per-conversation deletion time overriding retention
  })
    // Access check: thread → conversation → principal.
    .index("by_threadId", ["threadId"])
    // A visitor's own thread list, newest first.
    .index("by_visitorSession_and_lastMessageAt", ["visitorSessionId", "lastMessageAt"])
    // Route an inbound channel message to its conversation.
    .index("by_channelUser_and_externalKey", ["channelUserId", "externalKey"])
    // Threads page filtered by channel, newest first.
    .index("by_channel_and_lastMessageAt", ["channel", "lastMessageAt"])
    // Threads page (all), newest first; retention prunes the oldest.
    .index("by_lastMessageAt", ["lastMessageAt"])
    // Per-conversation expiry.
    .index("by_expiresAt", ["expiresAt"]),

  conversationExports: defineTable({
    requesterKind: v.union(v.literal("owner"), v.literal("visitor")), // owner: any; visitor: own only
    ownerId: v.optional(v.id("owners")), // set when requesterKind is "owner"
    visitorSessionId: v.optional(v.id("visitorSessions")), // set when requesterKind is "visitor"
    conversationId: v.optional(v.id("conversations")), // one conversation; absent = all the visitor's own
    format: vExportFormat, // file format
    status: vExportStatus, // pending → ready | failed; ready → expired
    storageId: v.optional(v.id("_storage")), // the export file once ready
    bytes: v.optional(v.number()), // its size
    errorCode: v.optional(v.string()), // short failure code; no internals
    completedAt: v.optional(v.number()), // when it became ready or failed
    expiresAt: v.number(), // file deleted after this
  })
    // Owner's exports, newest first; exfiltration detector counts the recent ones.
    .index("by_owner", ["ownerId"])
    // Visitor's exports; same detector.
    .index("by_visitorSession", ["visitorSessionId"])
    // File cleanup.
    .index("by_expiresAt", ["expiresAt"]),

  voiceSessions: defineTable({
    visitorSessionId: v.optional(v.id("visitorSessions")), // the speaker, when a visitor
    ownerId: v.optional(v.id("owners")), // the speaker, when an owner
    conversationId: v.optional(v.id("conversations")), // conversation it feeds
    status: vVoiceSessionStatus, // active → ended | limitReached | failed
    startedAt: v.number(), // start
    endedAt: v.optional(v.number()), // end
    durationMs: v.number(), // measured so far; charged to the voiceDuration limit
    allowedMs: v.number(), // budget granted at start; the session is cut off there
    lastHeartbeatAt: v.number(), // a stale active session is closed by a sweeper
  })
    // A visitor's recent voice sessions.
    .index("by_visitorSession", ["visitorSessionId"])
    // Sweeper: active sessions with old heartbeats.
    .index("by_status_and_lastHeartbeatAt", ["status", "lastHeartbeatAt"]),

  // Activity, security, audit.

  activityLog: defineTable({
    kind: v.string(), // dotted event kind, e.g. "chat.reply", "model.fallback", "webhook.rejected"
    // Short owner-facing text (≤ LIMITS.summaryChars). Never a user message, a secret or personal data.
    summary: v.string(),
    visibility: vVisibility, // "private" on insert; only an owner's explicit action sets "public"
    actorKind: v.optional(vActorKind), // who acted
    threadId: v.optional(v.string()), // thread concerned; owner views only, never in the public feed
    channel: v.optional(vChannel), // surface concerned
    metadata: v.optional(vLogMetadata), // small scalar details; no secrets, user text or personal data
    publishedBy: v.optional(v.id("owners")), // owner who made it public
    publishedAt: v.optional(v.number()), // when
  })
    // Public feed (visibility "public"), newest first.
    .index("by_visibility", ["visibility"])
    // Activity page filtered by kind.
    .index("by_kind", ["kind"])
    // Erasure of a conversation.
    .index("by_threadId", ["threadId"]),

  securityEvents: defineTable({
    code: vSecurityEventCode, // distinct code per cause
    severity: vSeverity, // incident level (004 §6)
    message: v.string(), // short owner-facing text, scrubbed; no secrets, user text or personal data
    caller: v.optional(vCaller), // principal involved, by row id
    channel: v.optional(vChannel), // surface involved
    skillId: v.optional(v.id("skills")), // skill involved
    mcpServerId: v.optional(v.id("mcpServers")), // MCP server involved
    threadId: v.optional(v.string()), // thread involved
    metadata: v.optional(vLogMetadata), // small scalar details (limit name, hostname, ...)
    acknowledgedAt: v.optional(v.number()), // owner marked it seen
    acknowledgedBy: v.optional(v.id("owners")), // who
  })
    // Security events page filtered by code, newest first.
    .index("by_code", ["code"])
    // Filtered by severity (e.g. every critical event).
    .index("by_severity", ["severity"]),

  // Cold summary of securityEvents per hour and code; written only by the aggregation cron.
  securityEventSummary: defineTable({
    bucketStart: v.number(), // start of the hour bucket (SUMMARY_BUCKET_MS)
    code: vSecurityEventCode, // event code counted
    count: v.number(), // events in the bucket
    maxSeverity: vSeverity, // highest severity seen
  })
    // Overview (security events, rate-limit hits) of the last N hours; cron upsert; pruning.
    .index("by_bucket_and_code", ["bucketStart", "code"]),

  // Security health score history (004 §5); the latest row by _creationTime is current.
  securityHealthSnapshots: defineTable({
    score: v.number(), // 0-100
    band: vHealthBand, // green ≥ 80, yellow 60-79, red below
    // At most 50 findings; codes are those of convex/security's audit checks.
    findings: v.array(v.object({ code: v.string(), severity: vSeverity, message: v.string() })),
  }),

  // Who read, decrypted, exported or deleted conversations and secrets (004: access logging).
  dataAccessLog: defineTable({
    resource: vDataResource, // what was accessed
    action: vDataAction, // how
    accessor: vCaller, // who, by row id
    accessorKey: v.string(), // callerKey(accessor), for grouping by accessor
    skillId: v.optional(v.id("skills")), // skill whose secret was decrypted at run time
    conversationId: v.optional(v.id("conversations")), // conversation read, exported or deleted
    allowed: v.boolean(), // false when the guard refused
  })
    // Anomaly detectors: one accessor's accesses in the last window.
    .index("by_accessorKey", ["accessorKey"])
    // Audit page filtered by resource.
    .index("by_resource", ["resource"]),

  // Owners and visitors.

  owners: defineTable({
    // Verified identity (ctx.auth tokenIdentifier); the only thing ownership is bound to.
    tokenIdentifier: v.string(),
    role: vOwnerRole, // admin manages owners; owner runs everything else
    status: vOwnerStatus, // removed owners are refused by every guard
    name: v.optional(v.string()), // from the identity provider; owners only
    email: v.optional(v.string()), // from the identity provider; owners only
    invitedBy: v.optional(v.id("owners")), // inviter; absent for the first owner (claim code)
    joinedAt: v.number(), // when the code was redeemed
    removedAt: v.optional(v.number()), // when removed
    removedBy: v.optional(v.id("owners")), // by whom
  })
    // Every owner guard: identity → owner row.
    .index("by_tokenIdentifier", ["tokenIdentifier"])
    // Owners page; "is there an active owner yet?".
    .index("by_status", ["status"]),

  ownerClaimCodes: defineTable({
    codeHash: v.string(), // SHA-256 of the code; the code is shown once, never stored
    purpose: vClaimCodePurpose, // first-owner claim, or invite
    role: vOwnerRole, // role granted on redemption
    label: v.optional(v.string()), // owner-facing note ("for Sam")
    createdBy: v.optional(v.id("owners")), // inviter; absent when minted by npm start or the admin key
    expiresAt: v.number(), // refused after this
    usedAt: v.optional(v.number()), // single use: set once, in the same mutation that creates the owner
    usedBy: v.optional(v.id("owners")), // owner it created
    revokedAt: v.optional(v.number()), // withdrawn before use
  })
    // Redemption by hashed code.
    .index("by_codeHash", ["codeHash"])
    // Expiry sweep; open invites list.
    .index("by_expiresAt", ["expiresAt"]),

  authAuditLog: defineTable({
    event: vAuthEvent, // what happened
    ownerId: v.optional(v.id("owners")), // owner concerned, when known
    actorOwnerId: v.optional(v.id("owners")), // owner who made the change (invite, removal, role)
    scope: v.optional(vAuthScope), // which lockout counter, for attempts and lockouts
    subjectHash: v.optional(v.string()), // keyed hash of the identity or client address; never raw
    reason: v.optional(v.string()), // short reason code; no secrets
  })
    // Audit page filtered by event.
    .index("by_event", ["event"])
    // One owner's history.
    .index("by_owner", ["ownerId"]),

  authLockouts: defineTable({
    scope: vAuthScope, // what is being attempted
    subjectHash: v.string(), // keyed hash of who is attempting
    failures: v.number(), // failures in the current window (authAttempts: 10 per minute)
    windowStartedAt: v.number(), // start of that window
    lockedUntil: v.optional(v.number()), // refused until then once over the limit (AUTH_LOCKOUT_MS)
    expiresAt: v.number(), // row deletable once window and lockout are both over
  })
    // Check and count an attempt.
    .index("by_scope_and_subject", ["scope", "subjectHash"])
    // Expiry sweep.
    .index("by_expiresAt", ["expiresAt"]),

  visitorSessions: defineTable({
    tokenHash: v.string(), // SHA-256 of the random ≥128-bit token; the token lives only in the browser
    expiresAt: v.number(), // refused after this
    lastSeenAt: v.number(), // written at most once a minute (sliding expiry, no write contention)
    revokedAt: v.optional(v.number()), // an owner blocked the session (incident response)
  })
    // Validate the token on every chat call.
    .index("by_tokenHash", ["tokenHash"])
    // Expiry sweep.
    .index("by_expiresAt", ["expiresAt"]),

  // Approvals (finding MED-07): every review request, batched once past the approvalRequests limit.

  approvalRequests: defineTable({
    subject: vApprovalSubject, // what needs review
    skillId: v.optional(v.id("skills")), // set exactly when subject is "skill"
    mcpServerId: v.optional(v.id("mcpServers")), // set exactly when subject is "mcpServer"
    reason: vApprovalReason, // why a review is needed
    status: vApprovalRequestStatus, // one pending request per subject; a newer one supersedes it
    batchId: v.optional(v.id("approvalBatches")), // set when it arrived past the limit and was batched
    requestedBy: vActorKind, // owner edit, deploy registration (system), health check...
    decidedAt: v.optional(v.number()), // when decided
    decidedBy: v.optional(v.id("owners")), // by whom
  })
    // Review queue, oldest first.
    .index("by_status", ["status"])
    // Deciding a batch: its pending items.
    .index("by_batch_and_status", ["batchId", "status"])
    // The open request of a skill, to supersede it.
    .index("by_skill_and_status", ["skillId", "status"])
    // The open request of an MCP server, to supersede it.
    .index("by_mcpServer_and_status", ["mcpServerId", "status"]),

  approvalBatches: defineTable({
    status: vApprovalBatchStatus, // "open" collects overflow requests; at most one open batch
    itemCount: v.number(), // requests added to it
    lastAddedAt: v.number(), // latest addition
    decidedAt: v.optional(v.number()), // when closed
    decidedBy: v.optional(v.id("owners")), // by whom
  })
    // Find the open batch; list batches.
    .index("by_status", ["status"]),

  // Configuration.

  rateLimitConfig: defineTable({
    name: vRateLimitName, // one row per limit; absent rows use RATE_LIMIT_DEFAULTS
    ...vRateLimitConfig.fields, // kind, rate per period (ms), capacity, shards: the limiter's config
    updatedAt: v.number(), // last change
    updatedBy: v.optional(v.id("owners")), // owner who made it
  })
    // Every limited call reads its limit by name.
    .index("by_name", ["name"]),

  retentionSettings: defineTable({
    dataClass: vRetentionClass, // one row per class; absent rows use RETENTION_DEFAULTS
    retainDays: v.number(), // days to keep
    lastPrunedAt: v.optional(v.number()), // last prune run
    lastPrunedCount: v.optional(v.number()), // rows it deleted
    updatedAt: v.number(), // last change
    updatedBy: v.optional(v.id("owners")), // owner who made it
  })
    // Prune jobs read their period by class.
    .index("by_dataClass", ["dataClass"]),

  // Singleton (read with .first()): visitor-facing presentation only; limits live elsewhere.
  uiConfig: defineTable({
    showModelBadge: v.boolean(), // model badge in the chat
    showSkillIndicators: v.boolean(), // skill indicators on messages
    showActivityFeed: v.boolean(), // public activity feed beside the chat
    chatPlaceholder: v.string(), // input placeholder, ≤ LIMITS.summaryChars
    welcomeMessage: v.optional(v.string()), // first message shown to a new visitor
    updatedAt: v.number(), // last change
    updatedBy: v.optional(v.id("owners")), // owner who made it
  }),
});
