// The configured providers: kind, which env var holds the key and whether it is set (never the
// key), the base URL of a self-hosted server, and the latest failure.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { Badge } from "../../common/Badge";
import { EmptyState } from "../../common/EmptyState";
import { RelativeTime } from "../../common/RelativeTime";
import { Spinner } from "../../common/Spinner";
import { KIND_LABELS } from "./modelHints";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

export function ProviderList() {
  const providers = useQuery(api.models.providers, {});
  return (
    <section className="settings-section" aria-labelledby="models-providers-title">
      <h2 id="models-providers-title" className="settings-section__title">
        Providers
      </h2>
      {providers === undefined ? (
        <Spinner label="Loading the providers…" />
      ) : providers.length === 0 ? (
        <EmptyState title="No providers yet">
          <p>The offline local model is added with the first provider or the first conversation.</p>
        </EmptyState>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table" data-testid="models-providers">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Kind</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Latest error</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((provider) => (
                <tr key={provider._id} data-testid={`models-provider-${provider.slug}`}>
                  <th scope="row">
                    {provider.displayName}
                    <span className="settings-muted"> ({provider.slug})</span>
                    {provider.baseUrl ? <span className="settings-url">{provider.baseUrl}</span> : null}
                  </th>
                  <td>{KIND_LABELS[provider.kind]}</td>
                  <td>
                    {provider.apiKeyEnvVar ? <code>{provider.apiKeyEnvVar}</code> : <span className="settings-muted">none</span>}{" "}
                    {provider.apiKeyEnvVar ? (
                      <Badge tone={provider.keySet ? "neutral" : "notice"}>{provider.keySet ? "set" : "not set"}</Badge>
                    ) : provider.keyRequired ? (
                      <Badge tone="notice">needed</Badge>
                    ) : null}
                  </td>
                  <td>{provider.enabled ? "Enabled" : "Disabled"}</td>
                  <td>
                    {provider.lastErrorAt !== null ? (
                      <>
                        {provider.lastErrorKind ?? "unknown"}, <RelativeTime ms={provider.lastErrorAt} />
                      </>
                    ) : (
                      <span className="settings-muted">none</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="form__hint">
        Keys are Convex environment variables, set with <code>npx convex env set NAME value</code>. ClawSync stores only their names.
      </p>
    </section>
  );
}
