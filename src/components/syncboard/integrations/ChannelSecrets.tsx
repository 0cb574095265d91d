// A platform's secrets, write-only: a stored one shows only as its last 4 characters, and a new
// value replaces it. The one that verifies webhooks is marked, since nothing arrives without it.
import { useState, type FormEvent } from "react";
import { useAction } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { RelativeTime } from "../../common/RelativeTime";
import { SECRET_HINTS, type ChannelListing } from "./channelPlatforms";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

type SecretListing = ChannelListing["secrets"][number];

export function ChannelSecrets({ channel }: { channel: ChannelListing }) {
  return (
    <section className="integrations-secrets" data-testid={`channel-secret-${channel.platform}`} aria-label="Secrets">
      <p className="form__label">Secrets</p>
      {channel.secrets.map((secret) => (
        <SecretField key={secret.name} platform={channel.platform} secret={secret} />
      ))}
    </section>
  );
}

function SecretField({ platform, secret }: { platform: ChannelListing["platform"]; secret: SecretListing }) {
  const setSecret = useAction(api.channels.admin.setSecret);
  const { busy, error, run } = useOutcome();
  const [value, setValue] = useState("");
  const inputId = `channel-secret-${platform}-${secret.name}`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await run(() => setSecret({ platform, name: secret.name, value }));
    // The value leaves the page once it is stored; the list now shows its last 4 characters.
    if (result?.ok) setValue("");
  }

  return (
    <form className="integrations-secret" onSubmit={onSubmit} aria-busy={busy}>
      <label className="form__label integrations-secret__name" htmlFor={inputId}>
        {secret.name}
        {secret.verifiesWebhooks ? <span className="integrations-secret__tag"> verifies webhooks</span> : null}
      </label>
      <p className="form__hint">{SECRET_HINTS[secret.name]}</p>
      <p className="integrations-secret__state" data-testid={`${inputId}-state`}>
        {secret.last4 !== null ? (
          <>
            Set: <span className="integrations-code">••••{secret.last4}</span>
            {secret.updatedAt !== null ? (
              <>
                {" "}
                (<RelativeTime ms={secret.updatedAt} />)
              </>
            ) : null}
          </>
        ) : secret.inEnvironment ? (
          "Not set here: the deployment's environment variable of this name is used."
        ) : secret.verifiesWebhooks ? (
          "Not set: every delivery is refused until it is."
        ) : (
          "Not set."
        )}
      </p>
      <div className="integrations-secret__row">
        <input
          id={inputId}
          className="form__control"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder={secret.last4 !== null ? "Enter a new value to replace it" : "Paste the value"}
          required
        />
        <button type="submit" className="button button--quiet" disabled={busy || value === ""}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
      <OutcomeError error={error} />
    </form>
  );
}
