import type { ReactNode } from 'react';
import { Button } from './button';

export interface LoadMoreFooterProps {
  /** Rows shown so far. */
  shown: number;
  /** What a row is, singular and plural: ["request", "requests"]. */
  noun: readonly [string, string];
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/**
 * The foot of a cursor-paginated list: how many rows are shown, and "Load more" while the
 * server has older ones (cursor pages have no total, so none is claimed).
 */
export function LoadMoreFooter({
  shown,
  noun,
  hasMore,
  loading,
  onLoadMore,
}: LoadMoreFooterProps): ReactNode {
  const count = new Intl.NumberFormat('en-US').format(shown);
  return (
    <div className="load-more">
      <p className="load-more__count" aria-live="polite">
        {shown === 0
          ? `No ${noun[1]}`
          : hasMore
            ? `Showing the newest ${count} ${shown === 1 ? noun[0] : noun[1]}`
            : shown === 1
              ? `1 ${noun[0]}`
              : `All ${count} ${noun[1]}`}
      </p>
      {hasMore ? (
        <Button size="sm" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}

/** What CursorFooter reads of an infinite query (TanStack's `useInfiniteQuery` result fits). */
export interface CursorPagesQuery {
  data: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The LoadMoreFooter of an infinite query, once its first page is in. */
export function CursorFooter({
  query,
  shown,
  noun,
}: {
  query: CursorPagesQuery;
  shown: number;
  noun: readonly [string, string];
}): ReactNode {
  return query.data ? (
    <LoadMoreFooter
      shown={shown}
      noun={noun}
      hasMore={query.hasNextPage}
      loading={query.isFetchingNextPage}
      onLoadMore={() => void query.fetchNextPage()}
    />
  ) : null;
}
