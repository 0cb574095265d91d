// A records table newest first: the caption screen readers announce, one header per column, the
// rows, and the control that loads the next page.
import type { PaginationStatus } from "convex/react";
import type { ReactNode } from "react";
import { LoadMore } from "./LoadMore";

interface RecordsTableProps {
  testId: string;
  caption: string;
  columns: readonly string[];
  /** What the rows are, e.g. "entries" in "Load more entries". */
  noun: string;
  status: PaginationStatus;
  onLoadMore: () => void;
  children: ReactNode;
}

export function RecordsTable({ testId, caption, columns, noun, status, onLoadMore, children }: RecordsTableProps) {
  return (
    <>
      <div className="data-table-wrap">
        <table className="data-table" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      <LoadMore status={status} onLoadMore={onLoadMore} noun={noun} />
    </>
  );
}
