// Wording the models page shows for each provider kind: its name and an example model id.
import type { ModelProviderKind } from "../../../../convex/lib/validators";

export const KIND_LABELS: Readonly<Record<ModelProviderKind, string>> = {
  anthropic: "Anthropic",
  openai: "OpenAI",
  openrouter: "OpenRouter",
  openaiCompatible: "OpenAI-compatible server",
  local: "Local demo (offline)",
};

/** Example model ids, shown as placeholders only: the owner types the id their account offers. */
export const MODEL_ID_EXAMPLES: Readonly<Record<ModelProviderKind, string>> = {
  anthropic: "claude-sonnet-4-5",
  openai: "gpt-4.1-mini",
  openrouter: "anthropic/claude-sonnet-4.5",
  openaiCompatible: "llama-3.1-8b-instruct",
  local: "clawsync-demo",
};

/** The env var name each direct provider's key conventionally lives in. */
export const KEY_ENV_EXAMPLES: Readonly<Record<ModelProviderKind, string>> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
  openaiCompatible: "MY_SERVER_API_KEY",
  local: "",
};
