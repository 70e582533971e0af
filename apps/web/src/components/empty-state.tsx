import type { ReactNode } from 'react';
import { classNames } from '../lib/class-names';

export interface EmptyStateProps {
  icon: ReactNode;
  title: ReactNode;
  /** One or two sentences: what will appear here and how it gets there. */
  description: ReactNode;
  /** Primary (and optionally secondary) actions. */
  actions?: ReactNode;
  /** Extra content under the actions (a quick-start snippet, a list of what lives here). */
  children?: ReactNode;
  /** `bordered` draws a dashed frame, for an empty area inside a page with other content. */
  variant?: 'plain' | 'bordered';
  tone?: 'neutral' | 'accent' | 'success';
  /** The heading level, to keep the page's outline right (default h2). */
  headingLevel?: 2 | 3;
  className?: string;
}

/** What a list or page shows when there is nothing in it yet: explains, then invites. */
export function EmptyState({
  icon,
  title,
  description,
  actions,
  children,
  variant = 'bordered',
  tone = 'neutral',
  headingLevel = 2,
  className,
}: EmptyStateProps): ReactNode {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className={classNames('empty-state', `empty-state--${variant}`, className)}>
      <div className={classNames('empty-state__icon', `empty-state__icon--${tone}`)} aria-hidden="true">
        {icon}
      </div>
      <Heading className="empty-state__title">{title}</Heading>
      <p className="empty-state__description">{description}</p>
      {actions ? <div className="empty-state__actions">{actions}</div> : null}
      {children ? <div className="empty-state__extra">{children}</div> : null}
    </section>
  );
}
