import { type ReactNode, useEffect, useState } from 'react';
import { Badge, Logo, PersonAvatar } from '../../components';
import { ArrowRightIcon, KeyIcon } from '../../components/icons';
import { formatCompactCount, formatCount, formatInstant, formatRelative } from '../../lib/format';
import { Link } from '../../lib/router';
import { serverNow } from '../../lib/server-clock';
import { organizationPath } from '../organization/organization-preference';
import { configuredQuotas, ENVIRONMENT_LABEL, isInGrace, STATUS_LABEL, STATUS_TONE } from './key-display';
import type { KeyEnvironment, KeyRecord } from './key-types';

/** Small pieces of a key's presentation, shared by the table, the detail page and the dialogs. */

export function StatusBadge({ status }: { status: KeyRecord['status'] }): ReactNode {
  return (
    <Badge tone={STATUS_TONE[status]} dot>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function EnvironmentBadge({ environment }: { environment: KeyEnvironment }): ReactNode {
  return <span className={`env-badge env-badge--${environment}`}>{ENVIRONMENT_LABEL[environment]}</span>;
}

/** What a note on a key's state reads: the key, the clock, and the organization for links. */
export interface KeyStateProps {
  record: KeyRecord;
  now: number;
  orgSlug: string;
}

/**
 * A rolled key's note: "Rolled, ends in 5 hours" while its grace period runs (it still works),
 * "Rolled" after, and a link to the key that replaced it.
 */
export function RolledNote({ record, now, orgSlug }: KeyStateProps): ReactNode {
  if (!record.rolledToId) return null;
  return (
    <span className="rolled-note">
      {isInGrace(record, now) && record.graceEndsAt ? (
        <span title={`Stops working at ${formatInstant(record.graceEndsAt)}`}>
          Rolled, ends {formatRelative(record.graceEndsAt, now)}
        </span>
      ) : (
        <span>Rolled</span>
      )}
      <Link to={organizationPath(orgSlug, `keys/${record.rolledToId}`)} className="rolled-note__link">
        New key <ArrowRightIcon size={11} />
      </Link>
    </span>
  );
}

/**
 * The current time on the server's clock, refreshed every `intervalMs`, so relative times
 * ("2 minutes ago") stay true and agree with the instants the server wrote.
 */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(serverNow()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * "5 minutes ago", with the exact instant on hover and in the `datetime` attribute. `past`
 * marks instants that have happened (a last use): one a little ahead of `now` reads "just now".
 */
export function RelativeTime({ iso, now, past }: { iso: string; now: number; past?: boolean }): ReactNode {
  return (
    <time dateTime={iso} title={formatInstant(iso)} className="relative-time">
      {formatRelative(iso, past ? Math.max(now, Date.parse(iso)) : now)}
    </time>
  );
}

export function SpaceLabel({ space }: { space: KeyRecord['space'] }): ReactNode {
  return (
    <span className="inline-person">
      <Logo
        name={space.name}
        initials={space.initials}
        color={space.logoColor}
        src={space.logoUrl}
        size="xs"
      />
      <span className="inline-person__name">{space.name}</span>
    </span>
  );
}

export function OwnerLabel({
  record,
}: {
  record: Pick<KeyRecord, 'owner' | 'ownerKeyId' | 'ownerKeyName'>;
}): ReactNode {
  if (record.owner) {
    return (
      <span className="inline-person">
        <PersonAvatar person={record.owner} size="xs" />
        <span className="inline-person__name">{record.owner.displayName}</span>
      </span>
    );
  }
  if (record.ownerKeyId) {
    const name = record.ownerKeyName ?? record.ownerKeyId;
    return (
      <span
        className="inline-person"
        title={`Created through the API with the key ${name} (${record.ownerKeyId})`}
      >
        <span className="owner-key-icon" aria-hidden="true">
          <KeyIcon size={12} />
        </span>
        <span className="inline-person__name">{name}</span>
      </span>
    );
  }
  return <span className="text-muted">—</span>;
}

/**
 * The table's quota column: the tightest configured window — the one closest to its limit —
 * as "640 / 1,000 daily" with a bar that turns amber from 80% and red when exhausted. The
 * numbers are the server's per-window usage, counted by the rule verification enforces.
 */
export function QuotaCell({
  quotas,
  usage,
}: {
  quotas: KeyRecord['quotas'];
  usage: KeyRecord['usage'];
}): ReactNode {
  const configured = configuredQuotas(quotas);
  if (configured.length === 0) return <span className="text-faint">Unlimited</span>;
  const tightest = configured.reduce((a, b) =>
    usage[b.window] / b.limit > usage[a.window] / a.limit ? b : a,
  );
  const used = usage[tightest.window];
  const ratio = Math.min(1, used / tightest.limit);
  const others = configured.length - 1;
  const title = configured
    .map((q) => `${formatCount(usage[q.window])} of ${formatCount(q.limit)} ${q.window}`)
    .join(' · ');
  const tone = ratio >= 1 ? 'meter__fill--danger' : ratio >= 0.8 ? 'meter__fill--warning' : '';
  return (
    <span className="quota-cell" title={`Quotas used: ${title}`}>
      <span className="quota-cell__text">
        {formatCompactCount(used)} / {formatCompactCount(tightest.limit)}{' '}
        <span className="text-muted">{tightest.window}</span>
        {others > 0 ? <span className="quota-cell__more">+{others}</span> : null}
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot take the shared bar styles; the ARIA meter carries the same semantics. */}
      <span
        className="meter meter--thin"
        role="meter"
        aria-label={`${tightest.window} quota used`}
        aria-valuemin={0}
        aria-valuemax={tightest.limit}
        aria-valuenow={used}
      >
        <span className={`meter__fill ${tone}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </span>
    </span>
  );
}

/** The redacted preview in monospace. */
export function KeyPreview({ preview, className }: { preview: string; className?: string }): ReactNode {
  return <code className={`key-preview ${className ?? ''}`}>{preview}</code>;
}
