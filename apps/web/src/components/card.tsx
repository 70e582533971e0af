import type { HTMLAttributes, ReactNode } from 'react';
import { classNames } from '../lib/class-names';

/** A white panel with a subtle border: the unit pages are built from. */
export function Card({ className, children, ...rest }: HTMLAttributes<HTMLDivElement>): ReactNode {
  return (
    <div {...rest} className={classNames('card', className)}>
      {children}
    </div>
  );
}

export interface CardHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** The heading level, to keep the page outline right (default h2). */
  headingLevel?: 2 | 3;
}

export function CardHeader({ title, description, actions, headingLevel = 2 }: CardHeaderProps): ReactNode {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="card__header">
      <div>
        <Heading className="card__title">{title}</Heading>
        {description ? <p className="card__description">{description}</p> : null}
      </div>
      {actions ? <div className="card__actions">{actions}</div> : null}
    </div>
  );
}
