// The code skills this deployment ships, by module key. Adding a module here is how a developer
// adds a code skill; the registry sync registers it as pending, and an owner must approve it.
import { siteSearch } from "./siteSearch";
import type { CodeSkillModule } from "./types";

export const CODE_SKILLS: Readonly<Record<string, CodeSkillModule>> = {
  siteSearch,
};
