// A new skill's name, display name and description, checked before sending. The rules are the
// server's (convex/skills/manage.ts), which checks them again and decides.
import { LIMITS } from "../../../convex/lib/validators";

export interface SkillIdentity {
  name: string;
  displayName: string;
  description: string;
}

export type IdentityProblems = Partial<Record<keyof SkillIdentity, string>>;

/** The tool name the model calls: lowercase, so it reads plainly in messages and logs. */
const SKILL_NAME = /^[a-z][a-z0-9_]{1,63}$/;

export const EMPTY_IDENTITY: SkillIdentity = { name: "", displayName: "", description: "" };

/** A tool name made from a display name ("Weather forecast" -> "weather_forecast"), for the owner to accept or change. */
export function suggestName(displayName: string): string {
  const slug = displayName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "");
  return slug.slice(0, 64).replace(/_+$/, "");
}

export function identityProblems(identity: SkillIdentity): IdentityProblems {
  const problems: IdentityProblems = {};
  if (!SKILL_NAME.test(identity.name)) problems.name = "2 to 64 lowercase letters, digits and underscores, starting with a letter.";
  const displayName = identity.displayName.trim();
  if (displayName === "" || displayName.length > LIMITS.nameChars) problems.displayName = `Enter 1 to ${LIMITS.nameChars} characters.`;
  const description = identity.description.trim();
  if (description === "" || description.length > LIMITS.descriptionChars) problems.description = `Enter 1 to ${LIMITS.descriptionChars} characters.`;
  return problems;
}
