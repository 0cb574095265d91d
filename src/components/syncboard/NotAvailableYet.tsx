// The honest state of a SyncBoard page whose backend has not been built yet.
import { EmptyState } from "../common/EmptyState";

export function NotAvailableYet({ what }: { what: string }) {
  return (
    <EmptyState title="Not available yet">
      <p>{what} will appear here in an upcoming update.</p>
    </EmptyState>
  );
}
