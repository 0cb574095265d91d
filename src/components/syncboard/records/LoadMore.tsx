// The "Load more" control under a paginated list; gone once every page is loaded.
import type { PaginationStatus } from "convex/react";

interface LoadMoreProps {
  status: PaginationStatus;
  onLoadMore: () => void;
  /** What is loaded, e.g. "entries" in "Load more entries". */
  noun: string;
}

export function LoadMore({ status, onLoadMore, noun }: LoadMoreProps) {
  if (status !== "CanLoadMore" && status !== "LoadingMore") return null;
  return (
    <div className="records-more">
      <button type="button" className="button button--quiet" onClick={onLoadMore} disabled={status === "LoadingMore"}>
        {status === "LoadingMore" ? `Loading more ${noun}…` : `Load more ${noun}`}
      </button>
    </div>
  );
}
