import type { ReactNode } from 'react';
import { Skeleton } from '../../components';

/** Skeleton rows of a card's table while it loads: an avatar, then bars of the given widths. */
export function CardLoading({
  label,
  rows,
  widths,
}: {
  /** Announced to screen readers ("Loading members…"). */
  label: string;
  rows: number;
  widths: readonly string[];
}): ReactNode {
  return (
    <div className="card-loading" aria-busy="true">
      <span className="sr-only" role="status">
        {label}
      </span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="card-loading__row">
          <Skeleton width={32} height={32} radius={999} />
          {widths.map((width, j) => (
            <Skeleton key={j} width={width} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** An empty list inside a card: an icon, a line of title and one of explanation, an action. */
export function InlineEmpty({
  icon,
  title,
  description,
  action,
}: {
  icon: ReactNode;
  title: ReactNode;
  description: ReactNode;
  action?: ReactNode;
}): ReactNode {
  return (
    <div className="inline-empty">
      <span className="inline-empty__icon">{icon}</span>
      <div className="inline-empty__text">
        <p className="inline-empty__title">{title}</p>
        <p className="inline-empty__description">{description}</p>
      </div>
      {action}
    </div>
  );
}
