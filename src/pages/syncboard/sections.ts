// SyncBoard's sections in one table: App.tsx builds the routes from it, the sidebar its links.
import type { ComponentType } from "react";
import type { SyncBoardNavItem } from "../../components/syncboard/SyncBoardNav";
import { OverviewPage } from "./OverviewPage";
import { SoulPage } from "./SoulPage";
import { ModelsPage } from "./ModelsPage";
import { SkillsPage } from "./SkillsPage";
import { McpServersPage } from "./McpServersPage";
import { ChannelsPage } from "./ChannelsPage";
import { ThreadsPage } from "./ThreadsPage";
import { ActivityPage } from "./ActivityPage";
import { ConfigPage } from "./ConfigPage";
import { OwnersPage } from "./OwnersPage";

export interface SyncBoardSection {
  /** Path below /syncboard; "" is the index (Overview). */
  path: string;
  label: string;
  Page: ComponentType;
}

export const syncBoardSections: readonly SyncBoardSection[] = [
  { path: "", label: "Overview", Page: OverviewPage },
  { path: "soul", label: "Soul", Page: SoulPage },
  { path: "models", label: "Models", Page: ModelsPage },
  { path: "skills", label: "Skills", Page: SkillsPage },
  { path: "mcp-servers", label: "MCP servers", Page: McpServersPage },
  { path: "channels", label: "Channels", Page: ChannelsPage },
  { path: "threads", label: "Threads", Page: ThreadsPage },
  { path: "activity", label: "Activity", Page: ActivityPage },
  { path: "config", label: "Config", Page: ConfigPage },
  { path: "owners", label: "Owners", Page: OwnersPage },
];

export const syncBoardNavItems: readonly SyncBoardNavItem[] = syncBoardSections.map(({ path, label }) => ({
  to: path ? `/syncboard/${path}` : "/syncboard",
  label,
}));
