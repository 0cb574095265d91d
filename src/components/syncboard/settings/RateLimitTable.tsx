// Every rate limit the platform enforces, one row each, edited in place: the rate, its period and
// the burst allowed. A saved change applies to the very next limited call.
import { useQuery } from "convex/react";
import { api } from "../../../../convex/_generated/api";
import { Spinner } from "../../common/Spinner";
import { RateLimitRow } from "./RateLimitRow";
import "../../../styles/common.css";
import "../../../styles/syncboard-settings.css";

export function RateLimitTable() {
  const limits = useQuery(api.rateLimitSettings.list, {});
  return (
    <section className="settings-section" aria-labelledby="config-limits-title">
      <h2 id="config-limits-title" className="settings-section__title">
        Rate limits
      </h2>
      <p className="form__hint">Limits marked “spec” are the defaults table of the ClawSync specification; the others protect the platform itself.</p>
      {limits === undefined ? (
        <Spinner label="Loading the rate limits…" />
      ) : (
        <div className="data-table-wrap">
          <table className="data-table rate-limits" data-testid="config-rate-limits">
            <thead>
              <tr>
                <th scope="col">Limit</th>
                <th scope="col">Applies to</th>
                <th scope="col">Allowed</th>
                <th scope="col">Burst</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {limits.map((limit) => (
                <RateLimitRow key={limit.name} limit={limit} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
