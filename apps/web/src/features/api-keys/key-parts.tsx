import { type ReactNode, useEffect, useState } from 'react';
import { Avatar, Badge, Logo } from '../../components';
import {
  configuredQuotas,
  ENVIRONMENT_LABEL,
  formatCompactCount,
  formatCount,
  formatInstant,
  formatRelative,
  isInGrace,
  STATUS_LABEL,
  STATUS_TONE,
} from './key-display';
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

/** "Rolled" while a rolled key is in its grace period, with the end time on hover. */
export function RolledBadge({ record, now }: { record: KeyRecord; now: number }): ReactNode {
  if (!record.rolledToId || !isInGrace(record, now) || !record.graceEndsAt) return null;
  return (
    <span title={`Stops working at ${formatInstant(record.graceEndsAt)}`}>
      <Badge tone="warning">Rolled</Badge>
    </span>
  );
}

/** The current time, refreshed every `intervalMs`, so relative times ("2 minutes ago") stay true. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "5 minutes ago", with the exact instant on hover and in the `datetime` attribute. */
export function RelativeTime({ iso, now }: { iso: string; now: number }): ReactNode {
  return (
    <time dateTime={iso} title={formatInstant(iso)} className="relative-time">
      {formatRelative(iso, now)}
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

export function OwnerLabel({ record }: { record: Pick<KeyRecord, 'owner' | 'ownerKeyId'> }): ReactNode {
  if (record.owner) {
    return (
      <span className="inline-person">
        <Avatar
          name={record.owner.displayName}
          initials={record.owner.initials}
          color={record.owner.avatarColor}
          size="xs"
        />
        <span className="inline-person__name">{record.owner.displayName}</span>
      </span>
    );
  }
  if (record.ownerKeyId) {
    return (
      <span className="text-muted" title={`Created through the API by ${record.ownerKeyId}`}>
        API key
      </span>
    );
  }
  return <span className="text-muted">—</span>;
}

/**
 * The table's quota column: the tightest configured window as "— / 1,000 daily" and a bar.
 * Usage per window is not loaded for the list, so the bar shows the limit only ("—" used).
 */
export function QuotaCell({ quotas }: { quotas: KeyRecord['quotas'] }): ReactNode {
  const configured = configuredQuotas(quotas);
  const first = configured[0];
  if (!first) return <span className="text-faint">Unlimited</span>;
  const others = configured.slice(1);
  const title = configured.map((q) => `${formatCount(q.limit)} ${q.window}`).join(' · ');
  return (
    <span className="quota-cell" title={`Quotas: ${title}`}>
      <span className="quota-cell__text">
        <span className="text-faint">—</span> / {formatCompactCount(first.limit)}{' '}
        <span className="text-muted">{first.window}</span>
        {others.length > 0 ? <span className="quota-cell__more">+{others.length}</span> : null}
      </span>
      <span className="meter meter--thin" aria-hidden="true">
        <span className="meter__fill" style={{ width: '0%' }} />
      </span>
    </span>
  );
}

/** The redacted preview in monospace. */
export function KeyPreview({ preview, className }: { preview: string; className?: string }): ReactNode {
  return <code className={`key-preview ${className ?? ''}`}>{preview}</code>;
}
