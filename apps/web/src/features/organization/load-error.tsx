import type { ReactNode } from 'react';
import { Alert, Button } from '../../components';
import { RefreshIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';

/** A region whose data failed to load: what went wrong, and a retry. */
export function LoadError({
  title,
  error,
  onRetry,
  retrying = false,
}: {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}): ReactNode {
  return (
    <Alert
      tone="danger"
      title={title}
      action={
        <Button size="sm" icon={<RefreshIcon size={14} />} onClick={onRetry} loading={retrying}>
          Try again
        </Button>
      }
    >
      {describeError(error).message}
    </Alert>
  );
}

/** LoadError inside a card, padded like the card's rows. */
export function CardLoadError(props: {
  title: string;
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}): ReactNode {
  return (
    <div className="card-pad">
      <LoadError {...props} />
    </div>
  );
}
