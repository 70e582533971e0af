import { PLAN_LIMITS } from '@keysmith/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Badge, Card, CardHeader, Skeleton } from '../../components';
import { formatCount, formatInstant } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { QUOTA_WINDOW_LABEL, QUOTA_WINDOW_SPAN } from '../api-keys/key-display';
import { RelativeTime } from '../api-keys/key-parts';
import { LoadError } from '../organization/load-error';
import { formatCountdown } from './countdown';
import type { KeyUsageProps, QuotaWindowUsage } from './usage-types';

/** How often the windows are re-read while the page is open: usage moves as the key is called. */
const REFRESH_MS = 15_000;

/**
 * Usage per configured quota window: used / limit, remaining and when credits next free up.
 * The numbers are the server's (`usage.key` runs the domain's rolling-window arithmetic on the
 * same buckets the verify pipeline counts with), shown as they arrive, never recomputed here.
 */
export function QuotaCard({ orgId, record, plan, now }: KeyUsageProps): ReactNode {
  const usage = useQuery({
    ...trpc.usage.key.queryOptions({ orgId, keyId: record.id }),
    refetchInterval: REFRESH_MS,
  });
  const planLimits = PLAN_LIMITS[plan];
  const clock = Math.max(now, usage.dataUpdatedAt);
  const hasOverride = record.rateLimit.perSecond !== null || record.rateLimit.perMinute !== null;

  return (
    <Card className="quota-card">
      <CardHeader
        title="Usage"
        description="Quotas count credits over rolling windows, exactly as the API enforces them."
        actions={
          record.lastUsedAt ? (
            <span className="text-muted">
              Last used <RelativeTime iso={record.lastUsedAt} now={now} />
              {record.lastUsedIp ? (
                <>
                  {' '}
                  from <code>{record.lastUsedIp}</code>
                </>
              ) : null}
            </span>
          ) : (
            <span className="text-muted">Never used</span>
          )
        }
      />
      {usage.isPending ? (
        <ul className="usage-list" aria-busy="true">
          <span className="sr-only" role="status">
            Loading usage…
          </span>
          {[0, 1].map((i) => (
            <li key={i} className="usage-list__row">
              <Skeleton width={90} height={14} />
              <Skeleton height={8} radius={999} />
              <Skeleton width={160} height={14} />
            </li>
          ))}
        </ul>
      ) : usage.isError ? (
        <div className="quota-card__error">
          <LoadError title="Usage could not be loaded" query={usage} />
        </div>
      ) : usage.data.windows.length === 0 ? (
        <p className="usage__empty">
          No quota is set: the key may make any number of requests, within its rate limit. Edit the key to add
          a total, daily, weekly or monthly quota.
        </p>
      ) : (
        <ul className="usage-list">
          {usage.data.windows.map((window) => (
            <QuotaRow key={window.window} window={window} now={clock} />
          ))}
        </ul>
      )}
      <div className="usage__rate">
        <span className="text-muted">Rate limit</span>
        <span>
          {formatCount(record.rateLimit.perSecond ?? planLimits.perSecond)}/s ·{' '}
          {formatCount(record.rateLimit.perMinute ?? planLimits.perMinute)}/min
        </span>
        <span className="text-muted">
          {hasOverride ? 'key override, within the plan' : `the ${plan} plan's account-wide limits`}
        </span>
      </div>
    </Card>
  );
}

function QuotaRow({ window, now }: { window: QuotaWindowUsage; now: number }): ReactNode {
  const percent = window.limit > 0 ? Math.min(100, (window.used / window.limit) * 100) : 0;
  const exhausted = window.remaining <= 0;
  const tone = exhausted ? 'danger' : percent >= 80 ? 'warning' : 'normal';
  return (
    <li className="usage-list__row" data-window={window.window}>
      <div className="usage-list__label">
        <span className="usage-list__name">
          {QUOTA_WINDOW_LABEL[window.window]}
          {exhausted ? <Badge tone="danger">Exhausted</Badge> : null}
        </span>
        <span className="usage-list__span">{QUOTA_WINDOW_SPAN[window.window]}</span>
      </div>
      <div className="usage-list__meter">
        <span className="meter" data-tone={tone} aria-hidden="true">
          <span className="meter__fill" style={{ width: `${percent}%` }} />
        </span>
        <span className="usage-list__numbers" data-testid={`quota-${window.window}`}>
          <strong>{formatCount(window.used)}</strong> / {formatCount(window.limit)} used
        </span>
      </div>
      <dl className="usage-list__facts">
        <div>
          <dt>Remaining</dt>
          <dd>{formatCount(Math.max(0, window.remaining))}</dd>
        </div>
        <div>
          <dt>Frees up</dt>
          <dd>
            {window.window === 'total' ? (
              <span className="text-muted" title="A total quota never frees up">
                Never
              </span>
            ) : window.nextFreeAt ? (
              <time dateTime={window.nextFreeAt} title={formatInstant(window.nextFreeAt)}>
                {formatCountdown(window.nextFreeAt, now)}
              </time>
            ) : (
              <span className="text-muted" title="Nothing is used in this window">
                Nothing used
              </span>
            )}
          </dd>
        </div>
      </dl>
    </li>
  );
}
