// The shapes the skills pages read, as the server's validators define them.
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../../convex/_generated/api";

export type SkillDetail = NonNullable<FunctionReturnType<typeof api.skillsAdmin.detail>>;
export type SkillListing = FunctionReturnType<typeof api.skillsAdmin.list>["skills"][number];
export type TemplateListing = FunctionReturnType<typeof api.skillsAdmin.templates>[number];
export type DryRunResult = FunctionReturnType<typeof api.skillsAdmin.dryRun>;
