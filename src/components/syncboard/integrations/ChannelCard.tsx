// One platform: its switch, access policy and settings, its secrets, the webhook address to give
// the platform, and (on request) the people who have written to the agent through it.
import { useState } from "react";
import { Badge } from "../../common/Badge";
import { ChannelSecrets } from "./ChannelSecrets";
import { ChannelSettingsForm } from "./ChannelSettingsForm";
import { ChannelUsers } from "./ChannelUsers";
import { PLATFORM_LABELS, type ChannelListing } from "./channelPlatforms";
import { WebhookUrl } from "./WebhookUrl";
import "../../../styles/syncboard-integrations.css";

export function ChannelCard({ channel }: { channel: ChannelListing }) {
  const [showUsers, setShowUsers] = useState(false);
  const { platform } = channel;
  const label = PLATFORM_LABELS[platform];
  const usersId = `channel-users-${platform}`;

  return (
    <article className="integrations-card" data-testid={`channels-${platform}`} aria-labelledby={`channel-title-${platform}`}>
      <header className="integrations-card__header">
        <h2 id={`channel-title-${platform}`} className="integrations-card__title">
          {label}
        </h2>
        <div className="integrations-badges">
          <Badge tone={channel.enabled ? "notice" : "neutral"}>{channel.enabled ? "On" : channel.configured ? "Off" : "Not set up"}</Badge>
          {channel.enabled ? <Badge>{channel.accessPolicy === "open" ? "Open to everyone" : "Allowed users only"}</Badge> : null}
        </div>
      </header>

      <WebhookUrl platform={platform} url={channel.webhookUrl} />
      <ChannelSettingsForm channel={channel} />
      <ChannelSecrets channel={channel} />

      <div className="form__actions">
        <button type="button" className="button button--quiet" aria-expanded={showUsers} aria-controls={usersId} onClick={() => setShowUsers(!showUsers)}>
          {showUsers ? `Hide ${label} users` : `Show ${label} users`}
        </button>
      </div>
      {showUsers ? (
        <div id={usersId}>
          <ChannelUsers platform={platform} />
        </div>
      ) : null}
    </article>
  );
}
