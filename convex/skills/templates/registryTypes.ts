// The shape of a built-in template and what its run may use. Nothing reaches the network, the
// secret store, file storage or the database but through these dependencies, which the runner
// builds from the checker's plan (the guarded fetch, this skill's declared secrets, the caller's
// own images).
import type { CheckFailureCode } from "../../lib/validators";

export type TemplateFetchRequest = { url: string; method: string; headers?: Record<string, string>; body?: string };
export type TemplateFetchResult = { ok: true; status: number; text: string; contentType: string | null } | { ok: false; code: CheckFailureCode; message: string };

export type TemplateDeps = {
  signal: AbortSignal;
  /** The guarded fetch, limited to the hosts the checker allowed for this call. */
  fetch: (request: TemplateFetchRequest) => Promise<TemplateFetchResult>;
  /** One of this skill's secrets, under a name the template declares; undefined when unset. */
  secret: (name: string) => Promise<string | undefined>;
  /** The owner-written knowledge of one collection (knowledgeLookup). */
  searchKnowledge: (collection: string, query: string, limit: number) => Promise<{ title: string; content: string }[]>;
  /** An image the caller uploaded, by its storage id; null when missing or someone else's. */
  loadImage: (storageId: string) => Promise<{ bytes: Uint8Array; contentType: string } | null>;
};

/** A template's result; a failure may carry a checker code (a refused fetch keeps its own). */
export type TemplateRunResult = { ok: true; output: string } | { ok: false; message: string; code?: CheckFailureCode };

export type TemplateDefinition = {
  displayName: string;
  description: string;
  /** Bumped when configSchema changes: skills configured for an older version go back to review. */
  version: number;
  configSchema: object;
  inputSchema: object;
  secretNames: string[];
  usesNetwork: boolean;
  run: (config: Record<string, unknown>, input: Record<string, unknown>, deps: TemplateDeps) => Promise<TemplateRunResult>;
};
