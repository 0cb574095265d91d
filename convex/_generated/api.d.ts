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
import type * as chat from "../chat.js";
import type * as content_defaultSoul from "../content/defaultSoul.js";
import type * as crons from "../crons.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_hash from "../lib/hash.js";
import type * as lib_modelRouting from "../lib/modelRouting.js";
import type * as lib_rateLimits from "../lib/rateLimits.js";
import type * as lib_validators from "../lib/validators.js";
import type * as lib_visitorSession from "../lib/visitorSession.js";
import type * as models_errors from "../models/errors.js";
import type * as models_fallback from "../models/fallback.js";
import type * as models_localModel from "../models/localModel.js";
import type * as models_providers from "../models/providers.js";
import type * as rateLimitSettings from "../rateLimitSettings.js";
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
  chat: typeof chat;
  "content/defaultSoul": typeof content_defaultSoul;
  crons: typeof crons;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/hash": typeof lib_hash;
  "lib/modelRouting": typeof lib_modelRouting;
  "lib/rateLimits": typeof lib_rateLimits;
  "lib/validators": typeof lib_validators;
  "lib/visitorSession": typeof lib_visitorSession;
  "models/errors": typeof models_errors;
  "models/fallback": typeof models_fallback;
  "models/localModel": typeof models_localModel;
  "models/providers": typeof models_providers;
  rateLimitSettings: typeof rateLimitSettings;
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
