// The address the platform must send its webhooks to, with a copy button.
import { useState } from "react";
import type { ChannelPlatform } from "../../../../convex/lib/validators";
import "../../../styles/syncboard-integrations.css";

type CopyState = "idle" | "copied" | "failed";

export function WebhookUrl({ platform, url }: { platform: ChannelPlatform; url: string | null }) {
  const [copy, setCopy] = useState<CopyState>("idle");

  async function copyUrl(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <div className="integrations-webhook">
      <p className="form__label">Webhook URL</p>
      {url === null ? (
        <p className="form__hint" data-testid={`channel-webhook-url-${platform}`}>
          The deployment&apos;s site URL is not set (CONVEX_SITE_URL), so the address cannot be shown here. It is your deployment&apos;s .convex.site address followed by
          /api/webhook/{platform}.
        </p>
      ) : (
        <div className="integrations-webhook__row">
          <code className="integrations-code" data-testid={`channel-webhook-url-${platform}`}>
            {url}
          </code>
          <button type="button" className="button button--quiet" onClick={() => void copyUrl(url)} aria-label={`Copy the ${platform} webhook URL`}>
            Copy
          </button>
          <span role="status" className="form__hint">
            {copy === "copied" ? "Copied." : copy === "failed" ? "Could not copy; select the address and copy it." : ""}
          </span>
        </div>
      )}
    </div>
  );
}
