import type { ReactNode } from 'react';
import { formatCount, formatInstant } from '../../lib/format';
import { hitBuckets } from './security-display';

const WIDTH = 180;
const HEIGHT = 28;

/**
 * One key's rate-limit and quota refusals over the period as stacked bars, one per bucket
 * (hour or day), every bucket present so gaps read as quiet time. Each bar names its bucket
 * and counts on hover; the whole reads as one sentence for screen readers.
 */
export function HitsSparkline({
  series,
  from,
  to,
  bucketMs,
}: {
  series: readonly { at: string; rateLimited: number; quotaExceeded: number }[];
  from: number;
  to: number;
  bucketMs: number;
}): ReactNode {
  const buckets = hitBuckets(series, from, to, bucketMs);
  const peak = Math.max(1, ...buckets.map((b) => b.rateLimited + b.quotaExceeded));
  const step = WIDTH / buckets.length;
  const bar = Math.max(1, step - (step > 3 ? 1 : 0));
  const busiest = buckets.reduce((a, b) =>
    b.rateLimited + b.quotaExceeded > a.rateLimited + a.quotaExceeded ? b : a,
  );
  const label = `Peak of ${formatCount(busiest.rateLimited + busiest.quotaExceeded)} refusals in one ${
    bucketMs === 86_400_000 ? 'day' : 'hour'
  }, from ${formatInstant(new Date(busiest.start).toISOString())}`;
  return (
    <svg
      className="hits-sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="hits-sparkline__axis" />
      {buckets.map((b, i) => {
        const total = b.rateLimited + b.quotaExceeded;
        if (total === 0) return null;
        const h = Math.max(2, (total / peak) * (HEIGHT - 2));
        const hQuota = (b.quotaExceeded / total) * h;
        const x = i * step;
        return (
          <g key={b.start}>
            <title>{`${formatInstant(new Date(b.start).toISOString())}: ${formatCount(b.rateLimited)} rate limited, ${formatCount(b.quotaExceeded)} quota exceeded`}</title>
            <rect x={x} y={HEIGHT - h} width={bar} height={h - hQuota} className="hits-sparkline__rate" />
            {hQuota > 0 ? (
              <rect x={x} y={HEIGHT - hQuota} width={bar} height={hQuota} className="hits-sparkline__quota" />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
