import {
  type InfiniteData,
  keepPreviousData,
  type QueryKey,
  type UseInfiniteQueryOptions,
  useInfiniteQuery,
} from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describeError } from '../lib/api-errors';
import { classNames } from '../lib/class-names';
import { LoadFailedState, NoMatchesState } from './list-states';
import { Skeleton } from './skeleton';
import { Table } from './table';

/** A page of a cursor-paginated tRPC list (`audit.list`, `log.list`, `security.list` …). */
export interface CursorPage<TItem> {
  items: TItem[];
  nextCursor: string | null;
}

/** The paging option every cursor list passes to `infiniteQueryOptions`. */
export const cursorPaging = {
  getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
};

/**
 * One infinite query over a cursor list, with the rows flattened. Keeps the previous rows on
 * screen while a filter change loads (shown dimmed by `QueryTable`), instead of flashing a
 * skeleton on every keystroke.
 */
export function useCursorList<TPage extends CursorPage<unknown>, TError, TKey extends QueryKey, TPageParam>(
  options: UseInfiniteQueryOptions<TPage, TError, InfiniteData<TPage, TPageParam>, TKey, TPageParam>,
) {
  const query = useInfiniteQuery({ placeholderData: keepPreviousData, ...options });
  const rows: TPage['items'] = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { query, rows };
}

/** What `QueryTable` reads of a TanStack query, plain or infinite. */
export interface ListQuery {
  data: unknown;
  error: unknown;
  isError: boolean;
  isSuccess: boolean;
  isPending: boolean;
  isFetching: boolean;
  isPlaceholderData: boolean;
  refetch: () => Promise<unknown>;
}

export interface QueryTableColumn {
  label: ReactNode;
  align?: 'start' | 'end' | 'center';
  className?: string;
  /** The placeholder of this column while the first page loads: a width, or a node. */
  skeleton?: number | ReactNode;
}

export interface QueryTableProps {
  query: ListQuery;
  /** Rows the current data holds (after any client-side filtering). */
  rowCount: number;
  caption: string;
  columns: readonly QueryTableColumn[];
  /** Title of the load-failed state ("Couldn't load the audit log"). */
  errorTitle: ReactNode;
  /** Shown when the list has no row at all and nothing is filtered. */
  empty: ReactNode;
  /** Shown when filters leave no row; without it `empty` is shown. */
  noMatch?: { title: ReactNode; description: ReactNode; onClear: () => void } | undefined;
  filtered?: boolean;
  /**
   * `container`: a card of its own (`TableContainer`); `bare`: inside a card that already
   * frames it, with level-3 headings in its states.
   */
  frame?: 'container' | 'bare';
  className?: string;
  tableClassName?: string;
  skeletonRows?: number;
  retryIcon?: boolean;
  /** Under the rows: a cursor footer, a footnote. */
  footer?: ReactNode;
  /** The rows, once `query.data` is in. */
  children: ReactNode;
}

/**
 * A table over a query with every state the monitoring screens share: load failed (with
 * "Try again"), nothing yet, nothing matching the filters (with "Clear filters"), first load
 * (skeleton rows), refreshing (previous rows dimmed, `aria-busy`), and the rows.
 */
export function QueryTable({
  query,
  rowCount,
  caption,
  columns,
  errorTitle,
  empty,
  noMatch,
  filtered = false,
  frame = 'container',
  className,
  tableClassName,
  skeletonRows = 5,
  retryIcon,
  footer,
  children,
}: QueryTableProps): ReactNode {
  const headingLevel = frame === 'bare' ? 3 : 2;
  const Frame = frame === 'bare' ? BareFrame : Table.Container;
  if (query.isError && !query.data) {
    return (
      <Frame>
        <QueryLoadFailed query={query} title={errorTitle} headingLevel={headingLevel} retryIcon={retryIcon} />
      </Frame>
    );
  }
  if (query.isSuccess && rowCount === 0) {
    if (!filtered || !noMatch) return query.isPlaceholderData ? null : empty;
    return (
      <Frame>
        <NoMatchesState
          title={noMatch.title}
          description={noMatch.description}
          headingLevel={headingLevel}
          onClear={noMatch.onClear}
        />
      </Frame>
    );
  }
  return (
    <Frame
      className={classNames('query-table', className, query.isPlaceholderData && 'is-refreshing')}
      aria-busy={query.isPending || query.isPlaceholderData || undefined}
    >
      <Table caption={caption} className={classNames('table--flush', tableClassName)}>
        <Table.Head>
          <Table.Row>
            {columns.map((column, i) => (
              <Table.HeaderCell key={i} align={column.align ?? 'start'} className={column.className}>
                {column.label}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {query.data
            ? children
            : Array.from({ length: skeletonRows }, (_, row) => (
                <tr key={row} className="skeleton-row">
                  {columns.map((column, i) => (
                    <td key={i} className={column.className}>
                      {typeof column.skeleton === 'number' || column.skeleton === undefined ? (
                        <Skeleton width={column.skeleton ?? 80} height={12} />
                      ) : (
                        column.skeleton
                      )}
                    </td>
                  ))}
                </tr>
              ))}
        </Table.Body>
      </Table>
      {footer}
    </Frame>
  );
}

/** The load-failed state of a query: its error in words, and "Try again" that refetches it. */
export function QueryLoadFailed({
  query,
  title,
  headingLevel = 2,
  retryIcon,
}: {
  query: Pick<ListQuery, 'error' | 'isFetching' | 'refetch'>;
  title: ReactNode;
  headingLevel?: 2 | 3;
  retryIcon?: boolean | undefined;
}): ReactNode {
  return (
    <LoadFailedState
      title={title}
      description={describeError(query.error).message}
      headingLevel={headingLevel}
      retrying={query.isFetching}
      onRetry={() => void query.refetch()}
      {...(retryIcon === undefined ? {} : { retryIcon })}
    />
  );
}

function BareFrame({
  className,
  children,
  ...rest
}: {
  className?: string;
  children: ReactNode;
  'aria-busy'?: boolean | undefined;
}): ReactNode {
  return (
    <div {...rest} className={className}>
      {children}
    </div>
  );
}

/** A visually hidden column heading, for the actions or toggle column. */
export function hiddenLabel(text: string): ReactNode {
  return <span className="sr-only">{text}</span>;
}
