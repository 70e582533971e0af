import type { Plan } from '@keysmith/domain';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  ButtonLink,
  Card,
  CardHeader,
  CopyButton,
  DetailRow,
  Skeleton,
  useToast,
} from '../../components';
import { RotateIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { useDocumentTitle } from '../../lib/document-title';
import { formatCount, formatInstant } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { KeyPolicyBadges, KeyPolicyNotice } from '../key-policy/key-policy-status';
import { RetryButton } from '../organization/load-error';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { BackLink, DetailLoading, DetailNotFound } from '../shell/detail-states';
import { KeyRequestLogs, KeyUsage } from '../usage/key-usage';
import { prefetchKeyUsage } from '../usage/key-usage-queries';
import { KeyActions } from './key-actions';
import { categoryLabel, isInGrace, keyDisplayName, WINDOW_ORDER } from './key-display';
import { KeyFormDialog } from './key-form-dialog';
import {
  EnvironmentBadge,
  type KeyStateProps,
  OwnerLabel,
  RelativeTime,
  RolledNote,
  SpaceLabel,
  StatusBadge,
  useNow,
} from './key-parts';
import { canManageKey } from './key-permissions';
import { type IssuedKey, KeyRevealDialog } from './key-reveal-dialog';
import type { KeyRecord } from './key-types';
import { RollKeyDialog } from './roll-key-dialog';
import { spaceRoleOf, useKeyCacheUpdates, useSpaces } from './use-key-data';

/** `/o/:slug/keys/:keyId`: one key's settings, limits and lifecycle actions. */
export function KeyDetailPage({ keyId }: { keyId: string }): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const orgId = organization.id;
  const listPath = organizationPath(organization.slug, 'keys');
  const query = useQuery(trpc.key.byId.queryOptions({ orgId, keyId }));
  const spaces = useSpaces(orgId);
  // With the key, not after it: one batched request instead of two round trips in a row.
  useEffect(() => prefetchKeyUsage(orgId, keyId), [orgId, keyId]);
  const now = useNow();
  const toast = useToast();
  const { storeRecord, refreshAll } = useKeyCacheUpdates(orgId);
  const [open, setOpen] = useState<'edit' | 'roll' | null>(null);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  useDocumentTitle(query.data ? keyDisplayName(query.data) : 'API key', organization.name);

  const back = <BackLink to={listPath}>API keys</BackLink>;

  if (query.isPending) {
    return (
      <DetailLoading back={back} label="Loading the key…">
        <Card className="key-header">
          <Skeleton width={240} height={22} />
          <Skeleton width={320} height={14} />
        </Card>
        <Skeleton height={160} radius={12} />
        <Skeleton height={320} radius={12} />
      </DetailLoading>
    );
  }

  if (query.isError) {
    const described = describeError(query.error);
    const notFound = described.code === 'NOT_FOUND' || described.code === 'BAD_REQUEST';
    return (
      <DetailNotFound
        back={back}
        title={notFound ? 'API key not found' : 'Could not load this key'}
        description={
          notFound
            ? `There is no key ${keyId} in ${organization.name} that you can see. It may have been deleted, or belong to another organization.`
            : described.message
        }
        actions={
          notFound ? (
            <ButtonLink to={listPath} variant="primary">
              All API keys
            </ButtonLink>
          ) : (
            <RetryButton query={query} variant="primary" />
          )
        }
      />
    );
  }

  const record = query.data;
  const name = keyDisplayName(record);
  const spaceRole = spaceRoleOf(spaces.data, record.space.id);
  const canManage = spaceRole !== undefined && canManageKey(organization.role, spaceRole, record, user.id);
  const catalog = spaces.data?.find((space) => space.id === record.space.id)?.scopeCatalog ?? null;
  const revoked = record.status === 'revoked';

  return (
    <div className="stack stack--lg key-detail">
      {back}
      <Card className="key-header">
        <div className="key-header__main">
          <div className="key-header__title-row">
            <h2 className="key-header__title">{name}</h2>
            <StatusBadge status={record.status} />
            <EnvironmentBadge environment={record.environment} />
            <RolledNote record={record} now={now} orgSlug={organization.slug} />
            <KeyPolicyBadges status={record.policy} />
          </div>
          <div className="key-header__meta">
            <span className="key-header__preview">
              <code className="key-preview">{record.preview}</code>
              <CopyButton value={record.preview} label="Copy masked preview" />
            </span>
            <span className="key-header__sep" aria-hidden="true">
              ·
            </span>
            <SpaceLabel space={record.space} />
            <span className="key-header__sep" aria-hidden="true">
              ·
            </span>
            <span className="text-muted">
              Created <RelativeTime iso={record.createdAt} now={now} />
            </span>
          </div>
          {record.description ? <p className="key-header__description">{record.description}</p> : null}
        </div>
        <div className="key-header__actions">
          {canManage && !revoked && !record.rolledToId ? (
            <Button icon={<RotateIcon size={16} />} onClick={() => setOpen('roll')}>
              Roll key
            </Button>
          ) : null}
          <KeyActions
            orgId={orgId}
            orgSlug={organization.slug}
            record={record}
            canManage={canManage}
            onOpen={setOpen}
          />
        </div>
      </Card>

      <LifecycleNotice record={record} now={now} orgSlug={organization.slug} />
      <KeyPolicyNotice status={record.policy} lastUsedAt={record.lastUsedAt} now={now} />

      <KeyUsage orgId={orgId} record={record} plan={organization.plan as Plan} now={now} />
      <SettingsCard record={record} now={now} onEdit={canManage && !revoked ? () => setOpen('edit') : null} />
      <KeyRequestLogs orgId={orgId} orgSlug={organization.slug} keyId={record.id} />

      <KeyFormDialog
        mode="edit"
        open={open === 'edit'}
        onClose={() => setOpen(null)}
        record={record}
        scopeCatalog={catalog}
        onSaved={(saved) => {
          storeRecord(saved);
          void refreshAll();
          setOpen(null);
          toast({ title: 'Changes saved', description: `${keyDisplayName(saved)} is updated.` });
        }}
      />
      <RollKeyDialog
        open={open === 'roll'}
        orgId={orgId}
        record={record}
        onClose={() => setOpen(null)}
        onRolled={(rolled) => {
          setOpen(null);
          if (rolled.replaces) storeRecord(rolled.replaces);
          void refreshAll();
          setIssued(rolled);
        }}
      />
      <KeyRevealDialog
        issued={issued}
        onClose={() => {
          // After a roll's one-time reveal, the new key's page: that is the key in use now.
          const next = issued?.replaces ? issued.record.id : null;
          setIssued(null);
          if (next) navigate(organizationPath(organization.slug, `keys/${next}`));
        }}
      />
    </div>
  );
}

/** Says what is special about the key's state right now: rolled, revoked, expired, inactive. */
function LifecycleNotice({ record, now, orgSlug }: KeyStateProps): ReactNode {
  const newKeyLink = record.rolledToId ? (
    <Link to={organizationPath(orgSlug, `keys/${record.rolledToId}`)}>View the new key</Link>
  ) : null;
  if (record.rolledToId && record.graceEndsAt) {
    return isInGrace(record, now) ? (
      <Alert
        tone="warning"
        title={`Rolled — stops working at ${formatInstant(record.graceEndsAt)}`}
        action={newKeyLink}
      >
        A replacement was issued. This key keeps working until the grace period ends (
        <RelativeTime iso={record.graceEndsAt} now={now} />) and is then revoked automatically.
      </Alert>
    ) : (
      <Alert
        tone="danger"
        title={`Rolled — stopped working at ${formatInstant(record.graceEndsAt)}`}
        action={newKeyLink}
      >
        This key was replaced and its grace period is over: it answers 401 Revoked API Key.
      </Alert>
    );
  }
  if (record.status === 'revoked') {
    return (
      <Alert
        tone="danger"
        title={`Revoked${record.revokedAt ? ` on ${formatInstant(record.revokedAt)}` : ''}`}
      >
        This key answers 401 Revoked API Key. Its settings and history are kept for the record.
      </Alert>
    );
  }
  if (record.status === 'expired' && record.expiresAt) {
    return (
      <Alert tone="warning" title={`Expired on ${formatInstant(record.expiresAt)}`}>
        Calls answer 401 Expired API Key. Edit the key to set a later expiry.
      </Alert>
    );
  }
  if (record.status === 'inactive') {
    return (
      <Alert tone="info" title="Deactivated">
        Calls answer 401 Inactive API Key until the key is reactivated from the actions menu.
      </Alert>
    );
  }
  if (record.rolledFromId) {
    return (
      <p className="key-detail__lineage">
        Replaces{' '}
        <Link to={organizationPath(orgSlug, `keys/${record.rolledFromId}`)}>{record.rolledFromId}</Link>.
      </p>
    );
  }
  return null;
}

/** Values as code tags (scopes, IP ranges), or a muted `empty` line when there are none. */
function TagList({ items, empty }: { items: readonly string[]; empty: string }): ReactNode {
  if (items.length === 0) return <span className="text-muted">{empty}</span>;
  return (
    <span className="scope-list">
      {items.map((item) => (
        <code key={item} className="scope-tag">
          {item}
        </code>
      ))}
    </span>
  );
}

function SettingsCard({
  record,
  now,
  onEdit,
}: {
  record: KeyRecord;
  now: number;
  onEdit: (() => void) | null;
}): ReactNode {
  const quotas = WINDOW_ORDER.filter((window) => record.quotas[window] !== null);
  return (
    <Card>
      <CardHeader
        title="Settings"
        description="Everything the API checks when this key is presented."
        actions={onEdit ? <Button onClick={onEdit}>Edit</Button> : null}
      />
      <dl className="detail-list detail-list--compact">
        <DetailRow label="Key ID">
          <span className="inline-copy">
            <code>{record.id}</code>
            <CopyButton value={record.id} label="Copy key ID" />
          </span>
        </DetailRow>
        <DetailRow label="Space">
          <SpaceLabel space={record.space} />
        </DetailRow>
        <DetailRow label="Owner">
          <OwnerLabel record={record} />
        </DetailRow>
        <DetailRow label="Category">{categoryLabel(record.category)}</DetailRow>
        <DetailRow label="Environment">
          <EnvironmentBadge environment={record.environment} />
        </DetailRow>
        <DetailRow label="Scopes">
          <TagList items={record.scopes} empty="No scopes" />
        </DetailRow>
        <DetailRow label="Expires">
          {record.expiresAt ? (
            <span>
              {formatInstant(record.expiresAt)}{' '}
              <span className="text-muted">
                (<RelativeTime iso={record.expiresAt} now={now} />)
              </span>
            </span>
          ) : (
            <span className="text-muted">Never</span>
          )}
        </DetailRow>
        <DetailRow label="Auto-renew">
          {record.autoRenew ? 'On: renewed 7 days before expiry' : 'Off'}
        </DetailRow>
        <DetailRow label="Quotas">
          {quotas.length > 0 ? (
            <span className="fact-list">
              {quotas.map((window) => (
                <span key={window}>
                  {formatCount(record.quotas[window] ?? 0)} <span className="text-muted">{window}</span>
                </span>
              ))}
            </span>
          ) : (
            <span className="text-muted">None</span>
          )}
        </DetailRow>
        <DetailRow label="Rate limit override">
          {record.rateLimit.perSecond !== null || record.rateLimit.perMinute !== null ? (
            <span className="fact-list">
              {record.rateLimit.perSecond !== null ? (
                <span>{formatCount(record.rateLimit.perSecond)} per second</span>
              ) : null}
              {record.rateLimit.perMinute !== null ? (
                <span>{formatCount(record.rateLimit.perMinute)} per minute</span>
              ) : null}
            </span>
          ) : (
            <span className="text-muted">None: the plan's limits apply</span>
          )}
        </DetailRow>
        <DetailRow label="IP allowlist">
          <TagList items={record.ipAllowlist} empty="Any IP address" />
        </DetailRow>
        <DetailRow label="Description">
          {record.description ? record.description : <span className="text-muted">None</span>}
        </DetailRow>
        <DetailRow label="Created">{formatInstant(record.createdAt)}</DetailRow>
        <DetailRow label="Last updated">{formatInstant(record.updatedAt)}</DetailRow>
        <DetailRow label="Last used">
          {record.lastUsedAt ? (
            <span>
              <RelativeTime iso={record.lastUsedAt} now={now} />
              {record.lastUsedIp ? <span className="text-muted"> from {record.lastUsedIp}</span> : null}
            </span>
          ) : (
            <span className="text-muted">Never</span>
          )}
        </DetailRow>
      </dl>
    </Card>
  );
}
