import type { ReactNode } from 'react';
import { classNames } from '../lib/class-names';

export interface SpinnerProps {
  size?: 'sm' | 'md' | 'lg';
  /** Read by screen readers; pass `null` when a surrounding element already announces the wait. */
  label?: string | null;
  className?: string;
}

/** An indeterminate progress ring in the current text colour. */
export function Spinner({ size = 'md', label = 'Loading', className }: SpinnerProps): ReactNode {
  const ring = <span className={classNames('spinner', `spinner--${size}`, className)} aria-hidden="true" />;
  if (!label) return ring;
  return (
    <span role="status" className="spinner-status">
      {ring}
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** A centred spinner for a region (a page, a card) whose content is loading. */
export function LoadingBlock({
  label = 'Loading',
  minHeight = 240,
}: {
  label?: string;
  minHeight?: number;
}): ReactNode {
  return (
    <div className="loading-block" style={{ minHeight }}>
      <Spinner size="lg" label={label} />
    </div>
  );
}
