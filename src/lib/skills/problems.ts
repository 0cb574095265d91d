// What the skills pages say when the server refused or failed. A refusal an owner can act on comes
// as a SkillRefused ConvexError whose message is written for them; losing owner access has its own
// words; anything else is an unexpected failure, described by the page without the server's text.
import { ConvexError } from "convex/values";

/** The owner-facing reason of a refusal, or null for an unexpected failure. */
export function refusalMessage(error: unknown): string | null {
  if (!(error instanceof ConvexError)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return null;
  const { kind, message } = data as { kind?: unknown; message?: unknown };
  if (kind === "SkillRefused" && typeof message === "string") return message;
  if (kind === "NotSignedIn") return "You are signed out. Sign in again to continue.";
  if (kind === "NotOwner") return "This account is no longer an owner of this deployment.";
  return null;
}

/** The message to show for a failed call: the refusal's reason, or `fallback`. */
export function problemText(error: unknown, fallback: string): string {
  return refusalMessage(error) ?? fallback;
}
