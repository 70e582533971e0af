import type { ReactNode } from 'react';
import { Alert, Button } from '../../components';
import { RefreshIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';

/** A failed query, as far as a retry needs it (any TanStack query result fits). */
export interface RetryableQuery {
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

export interface LoadErrorProps {
  title: string;
  query: RetryableQuery;
}

/** "Try again" for a failed query: refetches it, busy while it does. */
export function RetryButton({
  query,
  size,
  variant,
}: {
  query: RetryableQuery;
  size?: 'sm' | 'md';
  variant?: 'primary';
}): ReactNode {
  return (
    <Button
      variant={variant}
      size={size}
      icon={<RefreshIcon size={size === 'sm' ? 14 : 16} />}
      onClick={() => void query.refetch()}
      loading={query.isFetching}
    >
      Try again
    </Button>
  );
}

/** A region whose data failed to load: what went wrong, and a retry. */
export function LoadError({ title, query }: LoadErrorProps): ReactNode {
  return (
    <Alert tone="danger" title={title} action={<RetryButton query={query} size="sm" />}>
      {describeError(query.error).message}
    </Alert>
  );
}

/** LoadError inside a card, padded like the card's rows. */
export function CardLoadError(props: LoadErrorProps): ReactNode {
  return (
    <div className="card-pad">
      <LoadError {...props} />
    </div>
  );
}
