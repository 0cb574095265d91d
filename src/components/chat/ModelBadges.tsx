// The header's model badges: the model's public label when the owner shows it, and "Offline
// demo" whenever replies come from the built-in local model, whatever the owner's settings say.
import type { ChatSettings } from "../../lib/chat/types";
import "../../styles/chat.css";

export function ModelBadges({ settings }: { settings: ChatSettings }) {
  return (
    <>
      {settings.showModelBadge ? (
        <span className="badge badge--neutral" data-testid="model-badge" title="The model answering in this chat">
          <span className="visually-hidden">Model: </span>
          {settings.model.label}
        </span>
      ) : null}
      {settings.model.isOfflineDemo ? (
        <span
          className="badge badge--notice"
          data-testid="offline-demo-badge"
          title="Replies come from ClawSync's built-in offline model, not from an AI provider."
        >
          Offline demo
        </span>
      ) : null}
    </>
  );
}
