/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as activity from "../activity.js";
import type * as agentRuntime from "../agentRuntime.js";
import type * as agentSettings from "../agentSettings.js";
import type * as approvals from "../approvals.js";
import type * as channelSecrets from "../channelSecrets.js";
import type * as channels_admin from "../channels/admin.js";
import type * as channels_cappedBody from "../channels/cappedBody.js";
import type * as channels_inbound from "../channels/inbound.js";
import type * as channels_inboundPayloads from "../channels/inboundPayloads.js";
import type * as channels_replayIds from "../channels/replayIds.js";
import type * as channels_verifyInbound from "../channels/verifyInbound.js";
import type * as channels_webhookConfig from "../channels/webhookConfig.js";
import type * as channels_webhookHttp from "../channels/webhookHttp.js";
import type * as channels_webhookResponses from "../channels/webhookResponses.js";
import type * as chat from "../chat.js";
import type * as content_defaultSoul from "../content/defaultSoul.js";
import type * as crons from "../crons.js";
import type * as dashboard from "../dashboard.js";
import type * as domainAllowlist from "../domainAllowlist.js";
import type * as http from "../http.js";
import type * as images from "../images.js";
import type * as lib_authAudit from "../lib/authAudit.js";
import type * as lib_consoleScrub from "../lib/consoleScrub.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_hash from "../lib/hash.js";
import type * as lib_modelRouting from "../lib/modelRouting.js";
import type * as lib_overview from "../lib/overview.js";
import type * as lib_owners from "../lib/owners.js";
import type * as lib_pagination from "../lib/pagination.js";
import type * as lib_rateLimits from "../lib/rateLimits.js";
import type * as lib_secretStore from "../lib/secretStore.js";
import type * as lib_summaryWatermark from "../lib/summaryWatermark.js";
import type * as lib_validators from "../lib/validators.js";
import type * as lib_visitorSession from "../lib/visitorSession.js";
import type * as mcp_guardedMcpFetch from "../mcp/guardedMcpFetch.js";
import type * as mcp_toolCall from "../mcp/toolCall.js";
import type * as mcp_toolResult from "../mcp/toolResult.js";
import type * as mcpServers from "../mcpServers.js";
import type * as models from "../models.js";
import type * as models_errors from "../models/errors.js";
import type * as models_fallback from "../models/fallback.js";
import type * as models_localModel from "../models/localModel.js";
import type * as models_providers from "../models/providers.js";
import type * as owners from "../owners.js";
import type * as rateLimitSettings from "../rateLimitSettings.js";
import type * as secretRotation from "../secretRotation.js";
import type * as security_audit from "../security/audit.js";
import type * as security_checker from "../security/checker.js";
import type * as security_checks from "../security/checks.js";
import type * as security_encryptionKeys from "../security/encryptionKeys.js";
import type * as security_eventSummary from "../security/eventSummary.js";
import type * as security_guardedFetch from "../security/guardedFetch.js";
import type * as security_invocationSummary from "../security/invocationSummary.js";
import type * as security_jsonSchema from "../security/jsonSchema.js";
import type * as security_lockout from "../security/lockout.js";
import type * as security_redact from "../security/redact.js";
import type * as security_secretCrypto from "../security/secretCrypto.js";
import type * as security_secretEqual from "../security/secretEqual.js";
import type * as security_ssrf from "../security/ssrf.js";
import type * as security_summaries from "../security/summaries.js";
import type * as security_untrusted from "../security/untrusted.js";
import type * as security_webhookGate from "../security/webhookGate.js";
import type * as security_webhookSignatures from "../security/webhookSignatures.js";
import type * as securityEvents from "../securityEvents.js";
import type * as skillSecrets from "../skillSecrets.js";
import type * as skills_code_capabilities from "../skills/code/capabilities.js";
import type * as skills_code_index from "../skills/code/index.js";
import type * as skills_code_siteSearch from "../skills/code/siteSearch.js";
import type * as skills_code_types from "../skills/code/types.js";
import type * as skills_deadline from "../skills/deadline.js";
import type * as skills_execute from "../skills/execute.js";
import type * as skills_hosts from "../skills/hosts.js";
import type * as skills_images from "../skills/images.js";
import type * as skills_knowledge from "../skills/knowledge.js";
import type * as skills_manage from "../skills/manage.js";
import type * as skills_outcome from "../skills/outcome.js";
import type * as skills_outputImage from "../skills/outputImage.js";
import type * as skills_registry from "../skills/registry.js";
import type * as skills_runner from "../skills/runner.js";
import type * as skills_templates_calculator from "../skills/templates/calculator.js";
import type * as skills_templates_emailSender from "../skills/templates/emailSender.js";
import type * as skills_templates_fetchTemplates from "../skills/templates/fetchTemplates.js";
import type * as skills_templates_htmlText from "../skills/templates/htmlText.js";
import type * as skills_templates_imageAnalyzer from "../skills/templates/imageAnalyzer.js";
import type * as skills_templates_images from "../skills/templates/images.js";
import type * as skills_templates_registry from "../skills/templates/registry.js";
import type * as skills_templates_registryTypes from "../skills/templates/registryTypes.js";
import type * as skills_templates_rss from "../skills/templates/rss.js";
import type * as skills_tools from "../skills/tools.js";
import type * as skills_webhookRequest from "../skills/webhookRequest.js";
import type * as skillsAdmin from "../skillsAdmin.js";
import type * as soul from "../soul.js";
import type * as threads from "../threads.js";
import type * as uiSettings from "../uiSettings.js";
import type * as viewer from "../viewer.js";
import type * as visitorSessions from "../visitorSessions.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  activity: typeof activity;
  agentRuntime: typeof agentRuntime;
  agentSettings: typeof agentSettings;
  approvals: typeof approvals;
  channelSecrets: typeof channelSecrets;
  "channels/admin": typeof channels_admin;
  "channels/cappedBody": typeof channels_cappedBody;
  "channels/inbound": typeof channels_inbound;
  "channels/inboundPayloads": typeof channels_inboundPayloads;
  "channels/replayIds": typeof channels_replayIds;
  "channels/verifyInbound": typeof channels_verifyInbound;
  "channels/webhookConfig": typeof channels_webhookConfig;
  "channels/webhookHttp": typeof channels_webhookHttp;
  "channels/webhookResponses": typeof channels_webhookResponses;
  chat: typeof chat;
  "content/defaultSoul": typeof content_defaultSoul;
  crons: typeof crons;
  dashboard: typeof dashboard;
  domainAllowlist: typeof domainAllowlist;
  http: typeof http;
  images: typeof images;
  "lib/authAudit": typeof lib_authAudit;
  "lib/consoleScrub": typeof lib_consoleScrub;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/hash": typeof lib_hash;
  "lib/modelRouting": typeof lib_modelRouting;
  "lib/overview": typeof lib_overview;
  "lib/owners": typeof lib_owners;
  "lib/pagination": typeof lib_pagination;
  "lib/rateLimits": typeof lib_rateLimits;
  "lib/secretStore": typeof lib_secretStore;
  "lib/summaryWatermark": typeof lib_summaryWatermark;
  "lib/validators": typeof lib_validators;
  "lib/visitorSession": typeof lib_visitorSession;
  "mcp/guardedMcpFetch": typeof mcp_guardedMcpFetch;
  "mcp/toolCall": typeof mcp_toolCall;
  "mcp/toolResult": typeof mcp_toolResult;
  mcpServers: typeof mcpServers;
  models: typeof models;
  "models/errors": typeof models_errors;
  "models/fallback": typeof models_fallback;
  "models/localModel": typeof models_localModel;
  "models/providers": typeof models_providers;
  owners: typeof owners;
  rateLimitSettings: typeof rateLimitSettings;
  secretRotation: typeof secretRotation;
  "security/audit": typeof security_audit;
  "security/checker": typeof security_checker;
  "security/checks": typeof security_checks;
  "security/encryptionKeys": typeof security_encryptionKeys;
  "security/eventSummary": typeof security_eventSummary;
  "security/guardedFetch": typeof security_guardedFetch;
  "security/invocationSummary": typeof security_invocationSummary;
  "security/jsonSchema": typeof security_jsonSchema;
  "security/lockout": typeof security_lockout;
  "security/redact": typeof security_redact;
  "security/secretCrypto": typeof security_secretCrypto;
  "security/secretEqual": typeof security_secretEqual;
  "security/ssrf": typeof security_ssrf;
  "security/summaries": typeof security_summaries;
  "security/untrusted": typeof security_untrusted;
  "security/webhookGate": typeof security_webhookGate;
  "security/webhookSignatures": typeof security_webhookSignatures;
  securityEvents: typeof securityEvents;
  skillSecrets: typeof skillSecrets;
  "skills/code/capabilities": typeof skills_code_capabilities;
  "skills/code/index": typeof skills_code_index;
  "skills/code/siteSearch": typeof skills_code_siteSearch;
  "skills/code/types": typeof skills_code_types;
  "skills/deadline": typeof skills_deadline;
  "skills/execute": typeof skills_execute;
  "skills/hosts": typeof skills_hosts;
  "skills/images": typeof skills_images;
  "skills/knowledge": typeof skills_knowledge;
  "skills/manage": typeof skills_manage;
  "skills/outcome": typeof skills_outcome;
  "skills/outputImage": typeof skills_outputImage;
  "skills/registry": typeof skills_registry;
  "skills/runner": typeof skills_runner;
  "skills/templates/calculator": typeof skills_templates_calculator;
  "skills/templates/emailSender": typeof skills_templates_emailSender;
  "skills/templates/fetchTemplates": typeof skills_templates_fetchTemplates;
  "skills/templates/htmlText": typeof skills_templates_htmlText;
  "skills/templates/imageAnalyzer": typeof skills_templates_imageAnalyzer;
  "skills/templates/images": typeof skills_templates_images;
  "skills/templates/registry": typeof skills_templates_registry;
  "skills/templates/registryTypes": typeof skills_templates_registryTypes;
  "skills/templates/rss": typeof skills_templates_rss;
  "skills/tools": typeof skills_tools;
  "skills/webhookRequest": typeof skills_webhookRequest;
  skillsAdmin: typeof skillsAdmin;
  soul: typeof soul;
  threads: typeof threads;
  uiSettings: typeof uiSettings;
  viewer: typeof viewer;
  visitorSessions: typeof visitorSessions;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  agent: import("@convex-dev/agent/_generated/component.js").ComponentApi<"agent">;
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
