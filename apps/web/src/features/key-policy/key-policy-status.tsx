import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Badge } from '../../components';
import { RotateIcon, ShieldAlertIcon } from '../../components/icons';
import { formatInstant } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { RelativeTime } from '../api-keys/key-parts';
import { describePolicy, type KeyPolicyStatus, policyBadges } from './policy-display';
import './key-policy.css';

/** How close an idle deactivation must be before the key's page warns about it. */
const IDLE_WARNING_MS = 14 * 86_400_000;

/**
 * "Out of policy" and "Rotation due" (§10) beside a key's status: labelled badges in the key's
 * header, small icons in the dense keys table (`compact`). The reason is in the accessible name
 * and the tooltip either way.
 */
export function KeyPolicyBadges({
  status,
  compact = false,
}: {
  status: KeyPolicyStatus;
  compact?: boolean;
}): ReactNode {
  const badges = policyBadges(status);
  if (badges.length === 0) return null;
  if (compact) {
    return (
      <span className="policy-flags">
        {badges.map((badge) => (
          <span
            key={badge.label}
            className={`policy-flag policy-flag--${badge.tone}`}
            role="img"
            aria-label={`${badge.label}: ${badge.title}`}
            title={`${badge.label}: ${badge.title}`}
          >
            {badge.label === 'Rotation due' ? <RotateIcon size={13} /> : <ShieldAlertIcon size={13} />}
          </span>
        ))}
      </span>
    );
  }
  return (
    <span className="policy-badges">
      {badges.map((badge) => (
        <span key={badge.label} title={badge.title}>
          <Badge tone={badge.tone}>
            {badge.label}
            <span className="sr-only">: {badge.title}</span>
          </Badge>
        </span>
      ))}
    </span>
  );
}

/**
 * On the key's page: what its space's key policy says about it — the rules it breaks (it keeps
 * working), whether it is due for rotation, and an idle deactivation coming within two weeks.
 */
export function KeyPolicyNotice({
  status,
  lastUsedAt,
  now,
}: {
  status: KeyPolicyStatus;
  lastUsedAt: string | null;
  now: number;
}): ReactNode {
  const idleSoon =
    status.idleDeactivationAt !== null && Date.parse(status.idleDeactivationAt) - now < IDLE_WARNING_MS;
  if (status.violations.length === 0 && !status.dueForRotation && !idleSoon) return null;
  return (
    <div className="stack stack--sm">
      {status.violations.length > 0 ? (
        <Alert tone="warning" title="Out of policy">
          <ul className="policy-notice__list">
            {status.violations.map((violation) => (
              <li key={violation.rule}>{violation.message}.</li>
            ))}
          </ul>
          The key keeps working. Its next change of that setting, or a roll, must follow the policy.
        </Alert>
      ) : null}
      {status.dueForRotation && status.rotationDueAt ? (
        <Alert tone="info" title="Due for rotation">
          This key is older than its space's rotation period (due since{' '}
          <RelativeTime iso={status.rotationDueAt} now={now} />
          ). Roll it to give its consumer a replacement; the old key keeps working through the grace period.
        </Alert>
      ) : null}
      {idleSoon && status.idleDeactivationAt ? (
        <Alert
          tone="warning"
          title={`Deactivated on ${formatInstant(status.idleDeactivationAt)} unless used`}
        >
          {lastUsedAt ? 'It has not been used since ' : 'It has never been used; '}
          {lastUsedAt ? <RelativeTime iso={lastUsedAt} now={now} /> : null}
          {lastUsedAt ? '. ' : ''}
          Its space's key policy deactivates idle keys; any successful call resets the clock.
        </Alert>
      ) : null}
    </div>
  );
}

/**
 * In the key form: the rules of the chosen space's key policy, before they refuse anything.
 * Nothing while loading, on error, or without rules: the server still has the last word.
 */
export function KeyPolicyHint({ orgId, spaceId }: { orgId: string; spaceId: string }): ReactNode {
  const policies = useQuery({
    ...trpc.keyPolicy.get.queryOptions({ orgId, spaceId }),
    enabled: spaceId !== '',
    staleTime: 30_000,
  });
  const rules = policies.data ? describePolicy(policies.data.effective) : [];
  if (spaceId === '' || rules.length === 0) return null;
  return (
    <Alert tone="info" title="This space's key policy" className="policy-hint">
      {rules.join(' · ')}.
    </Alert>
  );
}
