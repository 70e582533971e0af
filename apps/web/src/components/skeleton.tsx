import type { CSSProperties, ReactNode } from 'react';
import { classNames } from '../lib/class-names';

export interface SkeletonProps {
  width?: CSSProperties['width'];
  height?: CSSProperties['height'];
  radius?: CSSProperties['borderRadius'];
  className?: string;
}

/**
 * A shimmering placeholder with the shape of content that is loading. Hidden from
 * assistive technology: the region that holds skeletons sets `aria-busy` instead.
 */
export function Skeleton({ width = '100%', height = 14, radius, className }: SkeletonProps): ReactNode {
  return (
    <span
      className={classNames('skeleton', className)}
      style={{ width, height, borderRadius: radius }}
      aria-hidden="true"
    />
  );
}

/** A few lines of text-shaped skeletons, the last one shorter. */
export function SkeletonText({ lines = 3 }: { lines?: number }): ReactNode {
  return (
    <span className="skeleton-text" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={i === lines - 1 && lines > 1 ? '60%' : '100%'} />
      ))}
    </span>
  );
}
