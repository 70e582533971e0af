import type { ReactNode } from 'react';
import { classNames } from '../lib/class-names';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info';

export interface BadgeProps {
  tone?: BadgeTone;
  /** A coloured dot before the text, for statuses ("Active", "Revoked"). */
  dot?: boolean;
  className?: string;
  children: ReactNode;
}

/** A short label: a role, a plan, a status. */
export function Badge({ tone = 'neutral', dot = false, className, children }: BadgeProps): ReactNode {
  return (
    <span className={classNames('badge', `badge--${tone}`, className)}>
      {dot && <span className="badge__dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
