import type { ReactNode } from 'react';
import { Button } from './button';
import { EmptyState } from './empty-state';
import { RefreshIcon, SearchIcon } from './icons';

/** A list whose data failed to load: what went wrong, and "Try again". */
export function LoadFailedState({
  title,
  description,
  onRetry,
  retrying,
  headingLevel = 2,
  variant = 'plain',
  retryIcon = true,
}: {
  title: ReactNode;
  description: ReactNode;
  onRetry: () => void;
  retrying: boolean;
  headingLevel?: 2 | 3;
  variant?: 'plain' | 'bordered';
  /** Draw the refresh icon on the "Try again" button too. */
  retryIcon?: boolean;
}): ReactNode {
  return (
    <EmptyState
      variant={variant}
      icon={<RefreshIcon size={22} />}
      title={title}
      description={description}
      headingLevel={headingLevel}
      actions={
        <Button
          variant="primary"
          icon={retryIcon ? <RefreshIcon size={16} /> : undefined}
          loading={retrying}
          onClick={onRetry}
        >
          Try again
        </Button>
      }
    />
  );
}

/** A filtered list with no row left: says so, and offers to clear the filters. */
export function NoMatchesState({
  title,
  description,
  onClear,
  headingLevel = 2,
}: {
  title: ReactNode;
  description: ReactNode;
  onClear: () => void;
  headingLevel?: 2 | 3;
}): ReactNode {
  return (
    <EmptyState
      variant="plain"
      icon={<SearchIcon size={22} />}
      title={title}
      description={description}
      headingLevel={headingLevel}
      actions={
        <Button variant="secondary" onClick={onClear}>
          Clear filters
        </Button>
      }
    />
  );
}
