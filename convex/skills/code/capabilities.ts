// The restricted context a code skill runs with, built from the checker's plan. The skill can fetch
// only the hosts it declared that an owner also allowlisted (the plan's allowedHosts) and read only
// secrets it declared. Any refused use is remembered and fails the whole run with its code, even if
// the skill catches the error, so an attempt to reach beyond the declaration is always recorded.
// The network and the secret store are passed in, which keeps this testable without either.
import type { CheckFailureCode } from "../../lib/validators";
import { FETCH_REFUSAL_CODES } from "../../security/checks";
import { hostOf } from "../hosts";
import type { CodeFetchResponse, CodeSkillContext } from "./types";

export type Refusal = { code: CheckFailureCode; message: string; refusedHost?: string };

type FetchRequest = { url: string; method: string; headers?: Record<string, string>; body?: string };
type FetchResult = { ok: true; status: number; body: Uint8Array; contentType: string | null } | { ok: false; code: CheckFailureCode; message: string };

export type CapabilityDeps = {
  allowedHosts: readonly string[];
  declaredSecrets: readonly string[];
  signal: AbortSignal;
  /** Reads one secret of this skill; undefined when it is not set. */
  readSecret: (name: string) => Promise<string | undefined>;
  /** The guarded fetch, already bound to the skill's time and size limits. */
  fetch: (request: FetchRequest) => Promise<FetchResult>;
};

/** The context, and a way to read the first refusal once the run is over. */
export function capabilityContext(deps: CapabilityDeps): { context: CodeSkillContext; refusal: () => Refusal | null } {
  let refusal: Refusal | null = null;
  const refuse = (code: CheckFailureCode, message: string, refusedHost?: string | null) => {
    refusal ??= { code, message, ...(refusedHost ? { refusedHost } : {}) };
  };
  const context: CodeSkillContext = {
    signal: deps.signal,
    secret: async (name) => {
      if (!deps.declaredSecrets.includes(name)) {
        refuse("SECRET_NOT_PERMITTED", `The skill did not declare the secret ${name}.`);
        throw new Error("This secret is not available to the skill.");
      }
      const value = await deps.readSecret(name);
      if (value === undefined) {
        refuse("SECRET_UNAVAILABLE", `The secret ${name} is not set for this skill.`);
        throw new Error("This secret is not set.");
      }
      return value;
    },
    fetch: async (url, init = {}): Promise<CodeFetchResponse> => {
      const host = hostOf(url);
      if (host === null || !deps.allowedHosts.includes(host)) {
        refuse("DOMAIN_NOT_ALLOWED", "The skill tried to contact a host it may not reach.", host);
        return { ok: false, code: "DOMAIN_NOT_ALLOWED", message: "This host is not allowed for the skill." };
      }
      const response = await deps.fetch({
        url,
        method: init.method ?? "GET",
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      if (!response.ok) {
        if (FETCH_REFUSAL_CODES.has(response.code)) refuse(response.code, response.message, host);
        return response;
      }
      return { ok: true, status: response.status, text: new TextDecoder().decode(response.body), contentType: response.contentType };
    },
  };
  return { context, refusal: () => refusal };
}
