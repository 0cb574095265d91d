// A platform's switch, who may talk to the agent through it, and its non-secret settings, saved
// together. The server checks each value's shape and answers in place.
import { useState, type FormEvent } from "react";
import { useMutation } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import type { ChannelAccessPolicy, ChannelSettings } from "../../../../convex/lib/validators";
import { SETTING_FIELDS, type ChannelListing } from "./channelPlatforms";
import { OutcomeError } from "../../common/OutcomeError";
import { useOutcome } from "../../../lib/useOutcome";
import "../../../styles/syncboard-integrations.css";

export function ChannelSettingsForm({ channel }: { channel: ChannelListing }) {
  const configure = useMutation(api.channels.admin.configure);
  const { busy, error, run } = useOutcome();
  const { platform } = channel;
  const fields = SETTING_FIELDS[platform];
  const stored = channel.settings as Record<string, unknown>;
  // The form starts from what is stored and is then the owner's draft until saved.
  const [enabled, setEnabled] = useState(channel.enabled);
  const [accessPolicy, setAccessPolicy] = useState<ChannelAccessPolicy>(channel.accessPolicy);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((field) => [field.key, typeof stored[field.key] === "string" ? (stored[field.key] as string) : ""])),
  );
  const [saved, setSaved] = useState(false);
  const id = (part: string) => `channel-${platform}-${part}`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    // The fields come from SETTING_FIELDS for this platform, so this is that platform's settings object.
    const settings = { platform, ...values } as ChannelSettings;
    const result = await run(() => configure({ platform, enabled, accessPolicy, settings }));
    if (result?.ok) setSaved(true);
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-busy={busy} data-testid={`channel-settings-${platform}`}>
      <div className="integrations-check">
        <input id={id("enabled")} type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        <label htmlFor={id("enabled")}>Enabled: answer messages from this platform</label>
      </div>
      <fieldset className="integrations-fieldset">
        <legend className="form__label">Who may talk to the agent</legend>
        <div className="integrations-check">
          <input id={id("policy-allowlist")} type="radio" name={id("policy")} value="allowlist" checked={accessPolicy === "allowlist"} onChange={() => setAccessPolicy("allowlist")} />
          <label htmlFor={id("policy-allowlist")}>Only users an owner allows (new senders wait below)</label>
        </div>
        <div className="integrations-check">
          <input id={id("policy-open")} type="radio" name={id("policy")} value="open" checked={accessPolicy === "open"} onChange={() => setAccessPolicy("open")} />
          <label htmlFor={id("policy-open")}>Everyone on the platform (blocked users excepted)</label>
        </div>
      </fieldset>
      {fields.map((field) => (
        <div className="form__field" key={field.key}>
          <label className="form__label" htmlFor={id(field.key)}>
            {field.label}
          </label>
          <input
            id={id(field.key)}
            className="form__control"
            value={values[field.key] ?? ""}
            placeholder={field.placeholder}
            onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={id(`${field.key}-hint`)}
          />
          <p id={id(`${field.key}-hint`)} className="form__hint">
            {field.hint}
          </p>
        </div>
      ))}
      <OutcomeError error={error} />
      {saved ? (
        <p className="integrations-note" role="status">
          Saved. It applies to the next message.
        </p>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
