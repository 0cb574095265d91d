// Paginated owner lists (activity, security events, threads, skill history) take the page size
// from the browser; it is capped here so one call never reads an unbounded page.
import type { PaginationOptions } from "convex/server";

/** The largest page any owner list serves. */
export const RECORD_PAGE_MAX = 100;

/** The client's page request with its size capped to 1..RECORD_PAGE_MAX. */
export function boundedPage(paginationOpts: PaginationOptions): PaginationOptions {
  return { ...paginationOpts, numItems: Math.max(1, Math.min(paginationOpts.numItems, RECORD_PAGE_MAX)) };
}
