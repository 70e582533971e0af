import type { ReactNode } from 'react';
import { Card, CardHeader, EmptyState, Logo, Skeleton } from '../../components';
import { ActivityIcon } from '../../components/icons';
import { formatCount } from '../../lib/format';
import { Link } from '../../lib/router';
import { PLAN_LABEL } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import type { UsageOverview } from '../usage/usage-types';

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const value = (part / whole) * 100;
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}

/** One big figure of the stat grid, under its label. */
function Stat({
  label,
  testId,
  children,
}: {
  label: string;
  testId?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="stat">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value stat__value--big" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** Requests of the last 24 hours and the keys, as four figures across the top. */
export function UsageStats({ overview }: { overview: UsageOverview }): ReactNode {
  const { last24h, keys } = overview;
  return (
    <dl className="stat-grid">
      <Stat label="Requests · 24 h" testId="overview-requests">
        {formatCount(last24h.requests)}
      </Stat>
      <Stat label="Admitted">
        {formatCount(last24h.admitted)}
        <span className="stat__aside stat__aside--success">
          {percent(last24h.admitted, last24h.requests)}
        </span>
      </Stat>
      <Stat label="Refused">
        {formatCount(last24h.refused)}
        <span className={last24h.refused > 0 ? 'stat__aside stat__aside--danger' : 'stat__aside'}>
          {percent(last24h.refused, last24h.requests)}
        </span>
      </Stat>
      <Stat label="Active keys">
        {formatCount(keys.active)}
        <span className="stat__aside">of {formatCount(keys.total)}</span>
      </Stat>
    </dl>
  );
}

/** The top 10 keys by requests over the last 24 hours, each with its admitted/refused split. */
export function BusiestKeysCard({
  overview,
  orgSlug,
}: {
  overview: UsageOverview;
  orgSlug: string;
}): ReactNode {
  const top = overview.busiestKeys;
  const max = top.reduce((m, key) => Math.max(m, key.requests), 0);
  return (
    <Card className="busiest-card">
      <CardHeader
        title="Busiest keys"
        description="By requests in the last 24 hours."
        actions={
          <Link to={organizationPath(orgSlug, 'keys')} className="card-link">
            All keys
          </Link>
        }
      />
      {top.length === 0 ? (
        <EmptyState
          variant="plain"
          headingLevel={3}
          icon={<ActivityIcon size={22} />}
          title="No requests in the last 24 hours"
          description="Once your consumers call your API with their keys, the busiest ones are ranked here."
        />
      ) : (
        <ol className="busiest-list">
          {top.map((key, index) => (
            <li key={key.keyId} className="busiest-list__row">
              <span className="busiest-list__rank">{index + 1}</span>
              <span className="busiest-list__key">
                <Link to={organizationPath(orgSlug, `keys/${key.keyId}`)} className="busiest-list__name">
                  {key.name ?? key.keyId}
                </Link>
                <span className="busiest-list__meta">
                  {key.space ? (
                    <span className="inline-person">
                      <Logo name={key.space.name} color={key.space.logoColor} size="xs" />
                      <span className="inline-person__name">{key.space.name}</span>
                    </span>
                  ) : null}
                  {key.preview ? <code className="key-preview">{key.preview}</code> : null}
                </span>
              </span>
              <span
                className="busiest-list__bar"
                role="img"
                aria-label={`${formatCount(key.admitted)} admitted, ${formatCount(key.refused)} refused`}
              >
                <span
                  className="busiest-list__admitted"
                  style={{ width: `${max ? (key.admitted / max) * 100 : 0}%` }}
                />
                <span
                  className="busiest-list__refused"
                  style={{ width: `${max ? (key.refused / max) * 100 : 0}%` }}
                />
              </span>
              <span className="busiest-list__count">
                <strong>{formatCount(key.requests)}</strong>
                {key.refused > 0 ? (
                  <span className="busiest-list__refused-count">{formatCount(key.refused)} refused</span>
                ) : (
                  <span className="busiest-list__ok-count">all admitted</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function HeadroomMeter({
  label,
  unit,
  span,
  peak,
  cap,
}: {
  label: string;
  unit: string;
  /** The span the cap applies to: "second" or "minute". */
  span: string;
  peak: number;
  cap: number;
}): ReactNode {
  const used = cap > 0 ? Math.min(100, (peak / cap) * 100) : 0;
  const tone = used >= 100 ? 'danger' : used >= 80 ? 'warning' : 'normal';
  return (
    <div className="headroom">
      <div className="headroom__top">
        <span className="headroom__label">{label}</span>
        <span className="headroom__numbers">
          <strong>{formatCount(peak)}</strong> / {formatCount(cap)} {unit}
        </span>
      </div>
      <span className="meter meter--headroom" data-tone={tone} aria-hidden="true">
        <span className="meter__fill" style={{ width: `${used}%` }} />
      </span>
      <span className="headroom__hint">
        {peak === 0
          ? `No requests in the last hour: all ${formatCount(cap)} free`
          : `${formatCount(Math.max(0, cap - peak))} ${unit} to spare in the busiest ${span}`}
      </span>
    </div>
  );
}

/** The plan's account-wide caps against the busiest second and minute of the last hour. */
export function HeadroomCard({
  overview,
  orgSlug,
  canChangePlan,
}: {
  overview: UsageOverview;
  orgSlug: string;
  canChangePlan: boolean;
}): ReactNode {
  const { headroom } = overview;
  return (
    <Card className="headroom-card">
      <CardHeader
        title="Plan limits"
        description={`${PLAN_LABEL[overview.plan]} plan, across all keys. Peaks of the last hour.`}
      />
      <div className="headroom-card__body">
        <HeadroomMeter
          label="Per second"
          unit="req/s"
          span="second"
          peak={headroom.perSecond.peak}
          cap={headroom.perSecond.cap}
        />
        <HeadroomMeter
          label="Per minute"
          unit="req/min"
          span="minute"
          peak={headroom.perMinute.peak}
          cap={headroom.perMinute.cap}
        />
      </div>
      <dl className="headroom-card__facts">
        <div>
          <dt>Rate-limited, last hour</dt>
          <dd className={headroom.rateLimited > 0 ? 'text-danger' : undefined}>
            {formatCount(headroom.rateLimited)}
          </dd>
        </div>
        <div>
          <dt>API keys</dt>
          <dd>
            {formatCount(overview.keys.active)} active{' '}
            <span className="text-muted">of {formatCount(overview.keys.total)}</span>
          </dd>
        </div>
      </dl>
      {canChangePlan ? (
        <p className="card__footnote">
          Need more room? <Link to={organizationPath(orgSlug, 'settings')}>Compare plans</Link>
        </p>
      ) : null}
    </Card>
  );
}

/** The overview while `usage.overview` loads: the same grid, in grey. */
export function UsageOverviewSkeleton(): ReactNode {
  return (
    <div className="stack stack--lg" aria-busy="true">
      <span className="sr-only" role="status">
        Loading usage…
      </span>
      <div className="stat-grid">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} height={92} radius={12} />
        ))}
      </div>
      <div className="overview-grid">
        <Skeleton height={360} radius={12} />
        <Skeleton height={360} radius={12} />
      </div>
    </div>
  );
}
