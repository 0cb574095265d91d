"use node";
// Running an admitted skill by its type. Only the runner calls this, with the plan the checker
// returned; the work sees the database and the network only through the narrow dependencies each
// type is given here: secrets of its own skill under declared names, and the guarded fetch limited
// to the hosts the checker allowed. A Node module because the guarded fetch resolves DNS.
import { internal } from "../_generated/api";
import type { ActionCtx } from "../_generated/server";
import type { Caller, CheckFailureCode } from "../lib/validators";
import type { ExecutionPlan } from "../security/checker";
import { FETCH_REFUSAL_CODES } from "../security/checks";
import { guardedFetch } from "../security/guardedFetch";
import { readSkillSecrets } from "../skillSecrets";
import { CODE_SKILLS } from "./code";
import { capabilityContext } from "./code/capabilities";
import { hostOf } from "./hosts";
import { TEMPLATES } from "./templates/registry";
import { buildWebhookRequest, referencedSecrets } from "./webhookRequest";

/**
 * An image a run produced, as received: its bytes and the Content-Type the service claimed. Not
 * trusted yet: the runner validates it by its bytes (`outputImage.ts`) before anything is stored.
 */
export type RunImage = { bytes: Uint8Array; claimedType: string | null };

/**
 * How one run ended. A refused host is named so the checker can record it as a security event. A
 * run that produced an image carries it in `image`; its `output` is then replaced by a description.
 */
export type RunResult = { ok: true; output: string; image?: RunImage } | { ok: false; code: CheckFailureCode; message: string; refusedHost?: string };

export type RunOptions = {
  signal: AbortSignal;
  /** Who the call acts for: image inputs must be theirs. */
  caller: Caller;
  /** Filled with every secret value the run reads, so the runner can scrub them from the output. */
  secretValues: string[];
};

export async function executeSkill(ctx: ActionCtx, plan: ExecutionPlan, input: unknown, options: RunOptions): Promise<RunResult> {
  switch (plan.type) {
    case "template":
      return await runTemplate(ctx, plan, input as Record<string, unknown>, options);
    case "webhook":
      return await runWebhook(ctx, plan, input as Record<string, unknown>, options);
    case "code":
      return await runCode(ctx, plan, input as Record<string, unknown>, options);
  }
}

/** The guarded fetch's limits for a run: the hosts the checker allowed, the skill's time and size caps. */
function fetchPolicy(plan: ExecutionPlan) {
  return { allowedHosts: plan.allowedHosts, timeoutMs: plan.timeoutMs, maxResponseBytes: plan.maxOutputBytes };
}

/** Reads the named secrets of the plan's skill, recording their values for scrubbing. */
async function secretsOf(ctx: ActionCtx, plan: ExecutionPlan, names: string[], options: RunOptions): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const envelopes = await ctx.runQuery(internal.skillSecrets.envelopesFor, { skillId: plan.skillId, names });
  const values = await readSkillSecrets(envelopes, plan.skillId);
  options.secretValues.push(...values.values());
  return values;
}

async function runWebhook(ctx: ActionCtx, plan: ExecutionPlan, input: Record<string, unknown>, options: RunOptions): Promise<RunResult> {
  const spec = plan.webhook!;
  const secrets = await secretsOf(ctx, plan, referencedSecrets(spec), options);
  const built = buildWebhookRequest(spec, input, secrets);
  if (!built.ok) return { ok: false, code: built.code, message: built.message };
  const response = await guardedFetch(built.request, fetchPolicy(plan));
  if (!response.ok) {
    const refusedHost = FETCH_REFUSAL_CODES.has(response.code) ? (hostOf(built.request.url) ?? undefined) : undefined;
    return { ok: false, code: response.code, message: response.message, ...(refusedHost ? { refusedHost } : {}) };
  }
  if (response.status >= 400) return { ok: false, code: "EXECUTION_FAILED", message: `The service answered with HTTP status ${response.status}.` };
  // Any image/* answer (SVG included) stays bytes, for the runner to validate and store or refuse;
  // decoding it as text would hand the model garbage, or markup.
  if (isImageType(response.contentType)) return { ok: true, output: "", image: { bytes: response.body, claimedType: response.contentType } };
  const text = new TextDecoder().decode(response.body);
  if (spec.responseFormat === "json") {
    try {
      JSON.parse(text);
    } catch {
      return { ok: false, code: "EXECUTION_FAILED", message: "The service's answer was not the JSON the skill expects." };
    }
  }
  return { ok: true, output: text };
}

/** Whether a Content-Type header names an image type, whatever its parameters and case. */
function isImageType(contentType: string | null): boolean {
  return contentType !== null && contentType.split(";")[0].trim().toLowerCase().startsWith("image/");
}

async function runTemplate(ctx: ActionCtx, plan: ExecutionPlan, input: Record<string, unknown>, options: RunOptions): Promise<RunResult> {
  const definition = plan.template ? TEMPLATES[plan.template.templateKey] : undefined;
  if (!definition || !plan.template) return { ok: false, code: "EXECUTION_FAILED", message: "This template is not available." };
  const config = JSON.parse(plan.template.configJson) as Record<string, unknown>;
  let refusedHost: string | undefined;
  const result = await definition.run(config, input, {
    signal: options.signal,
    fetch: async (request) => {
      const response = await guardedFetch(request, fetchPolicy(plan));
      if (!response.ok) {
        if (FETCH_REFUSAL_CODES.has(response.code)) refusedHost = hostOf(request.url) ?? undefined;
        return response;
      }
      return { ok: true, status: response.status, text: new TextDecoder().decode(response.body), contentType: response.contentType };
    },
    // Only the secrets the template declares, of this skill.
    secret: async (name) => (definition.secretNames.includes(name) ? (await secretsOf(ctx, plan, [name], options)).get(name) : undefined),
    searchKnowledge: async (collection, query, limit) => await ctx.runQuery(internal.skills.knowledge.search, { collection, query, limit }),
    loadImage: async (storageId) => {
      const image = await ctx.runQuery(internal.skills.images.forCaller, { storageId, caller: options.caller });
      const blob = image === null ? null : await ctx.storage.get(image.storageId);
      return image === null || blob === null ? null : { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: image.contentType };
    },
  });
  if (result.ok) return result;
  return { ok: false, code: result.code ?? "EXECUTION_FAILED", message: result.message, ...(refusedHost ? { refusedHost } : {}) };
}

/** Runs a code skill with a context restricted to its declaration (see `code/capabilities.ts`). */
async function runCode(ctx: ActionCtx, plan: ExecutionPlan, input: Record<string, unknown>, options: RunOptions): Promise<RunResult> {
  const module = plan.code ? CODE_SKILLS[plan.code.module] : undefined;
  if (!module || !plan.code) return { ok: false, code: "SKILL_NOT_FOUND", message: "The skill's code is not in this deployment." };
  const { context, refusal } = capabilityContext({
    allowedHosts: plan.allowedHosts,
    declaredSecrets: plan.code.secretNames,
    signal: options.signal,
    readSecret: async (name) => (await secretsOf(ctx, plan, [name], options)).get(name),
    fetch: async (request) => await guardedFetch(request, fetchPolicy(plan)),
  });
  let result;
  try {
    result = await module.run(context, input);
  } catch {
    result = { ok: false as const, message: "The skill failed while running." };
  }
  const refused = refusal();
  if (refused !== null) return { ok: false, ...refused };
  return result.ok ? result : { ok: false, code: "EXECUTION_FAILED", message: result.message };
}
