// Which model answers: the configured primary when it can be called, the fallback when it cannot,
// and the offline `local` model when no provider key is configured at all. Pure: the caller reads
// the configuration from the database and passes the environment (Convex env vars), whose VALUES
// are only ever read here, at run time, by NAME from the configuration.
import { v, type Infer } from "convex/values";

import { vModelProviderKind } from "./validators";

/** A model selection joined with its provider row (API key env var NAME, never a key). */
export const vResolvedModel = v.object({
  providerId: v.union(v.id("modelProviders"), v.null()),
  providerSlug: v.string(),
  kind: vModelProviderKind,
  displayName: v.string(),
  modelId: v.string(),
  apiKeyEnvVar: v.optional(v.string()),
  baseUrl: v.optional(v.string()),
  enabled: v.boolean(),
  temperature: v.optional(v.number()),
  maxTokens: v.optional(v.number()),
});
export type ResolvedModel = Infer<typeof vResolvedModel>;

/** A model that can be called now, with its key read from the environment. */
export type PlannedModel = ResolvedModel & { apiKey?: string; label: string; isOfflineDemo: boolean };

export type ModelPlan = {
  primary: PlannedModel;
  fallback: PlannedModel | null;
  /** Why the plan differs from the configuration (for the activity log); empty when it does not. */
  notes: string[];
};

/** The offline demo model, used whenever nothing else can be called. */
export const LOCAL_MODEL: ResolvedModel = {
  providerId: null,
  providerSlug: "local",
  kind: "local",
  displayName: "Local demo",
  modelId: "clawsync-demo",
  enabled: true,
};

/** The model to call, or why it cannot be called. */
export function planModel(model: ResolvedModel, env: Record<string, string | undefined>): PlannedModel | { unusable: string } {
  const label = `${model.displayName} · ${model.modelId}`;
  if (!model.enabled) return { unusable: `provider "${model.providerSlug}" is disabled` };
  if (model.kind === "local") return { ...model, label, isOfflineDemo: true };
  if (model.kind === "openaiCompatible" && !model.baseUrl) return { unusable: `provider "${model.providerSlug}" has no base URL` };
  const apiKey = model.apiKeyEnvVar ? env[model.apiKeyEnvVar]?.trim() : undefined;
  if (!apiKey && model.kind !== "openaiCompatible") {
    return { unusable: `provider "${model.providerSlug}" has no API key (env var ${model.apiKeyEnvVar ?? "not named"} is not set)` };
  }
  return { ...model, ...(apiKey ? { apiKey } : {}), label, isOfflineDemo: false };
}

/** Plans the primary and fallback models for one reply. */
export function planModels(primary: ResolvedModel | null, fallback: ResolvedModel | null, env: Record<string, string | undefined>): ModelPlan {
  const notes: string[] = [];
  const plannedPrimary = primary ? planModel(primary, env) : null;
  const plannedFallback = fallback ? planModel(fallback, env) : null;
  if (plannedPrimary && "unusable" in plannedPrimary) notes.push(`Primary model unavailable: ${plannedPrimary.unusable}`);
  if (plannedFallback && "unusable" in plannedFallback) notes.push(`Fallback model unavailable: ${plannedFallback.unusable}`);
  const usablePrimary = plannedPrimary && !("unusable" in plannedPrimary) ? plannedPrimary : null;
  const usableFallback = plannedFallback && !("unusable" in plannedFallback) ? plannedFallback : null;
  if (usablePrimary) return { primary: usablePrimary, fallback: usableFallback, notes };
  if (usableFallback) return { primary: usableFallback, fallback: null, notes };
  const local = planModel(LOCAL_MODEL, env) as PlannedModel;
  if (primary) notes.push("Answering with the offline demo model");
  return { primary: local, fallback: null, notes };
}
