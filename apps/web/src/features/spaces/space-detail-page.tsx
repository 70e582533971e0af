import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Badge, Button, ButtonLink, Skeleton, useToast } from '../../components';
import { ArchiveIcon, KeyIcon, UndoIcon, UsersIcon } from '../../components/icons';
import { describeError, errorCodeOf } from '../../lib/api-errors';
import { useDocumentTitle } from '../../lib/document-title';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useCurrentOrganization } from '../organization/organization-context';
import { formatDate } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { BackLink, DetailLoadError, DetailLoading, DetailNotFound } from '../shell/detail-states';
import { SpaceLogsTab } from '../usage/space-logs-tab';
import { storeSpace } from './space-cache';
import { SpaceLogo } from './space-logo';
import { SpaceMembersTab } from './space-members-tab';
import { SPACE_ROLE_LABEL, spaceAbilities } from './space-permissions';
import { SpaceSettingsTab } from './space-settings-tab';

export type SpaceTab = 'settings' | 'members' | 'logs';

/** One space: its header, an archived banner when it is, and the settings or members tab. */
export function SpaceDetailPage({ spaceId, tab }: { spaceId: string; tab: SpaceTab }): ReactNode {
  const { organization } = useCurrentOrganization();
  const toast = useToast();
  const space = useQuery(trpc.space.byId.queryOptions({ orgId: organization.id, spaceId }));
  const unarchive = useMutation(trpc.space.unarchive.mutationOptions());
  const listPath = organizationPath(organization.slug, 'spaces');
  const basePath = organizationPath(organization.slug, `spaces/${spaceId}`);
  useDocumentTitle(space.data?.name, organization.name);

  const back = <BackLink to={listPath}>All spaces</BackLink>;

  if (space.isPending) {
    return (
      <DetailLoading back={back} label="Loading space…">
        <div className="space-header">
          <Skeleton width={56} height={56} radius={14} />
          <div className="stack stack--xs" style={{ flex: 1 }}>
            <Skeleton width="30%" height={20} />
            <Skeleton width="18%" />
          </div>
        </div>
        <Skeleton height={260} radius={12} />
      </DetailLoading>
    );
  }

  if (space.isError) {
    if (errorCodeOf(space.error) === 'NOT_FOUND') {
      return (
        <DetailNotFound
          back={back}
          title="Space not found"
          description="It may have been deleted, or you do not have a role in it. Ask an owner or admin of the organization if you need access."
          actions={
            <ButtonLink to={listPath} variant="primary">
              Back to spaces
            </ButtonLink>
          }
        />
      );
    }
    return <DetailLoadError back={back} title="This space could not be loaded" query={space} />;
  }

  const data = space.data;
  const abilities = spaceAbilities(organization.role, data);

  const doUnarchive = async () => {
    try {
      const saved = await unarchive.mutateAsync({ orgId: organization.id, spaceId });
      await storeSpace(organization.id, saved);
      toast({
        title: `${saved.name} is active again`,
        description: 'Its settings and members can be changed.',
      });
    } catch (error) {
      toast({
        title: 'Could not unarchive the space',
        description: describeError(error).message,
        tone: 'danger',
      });
    }
  };

  return (
    <div className="stack stack--lg">
      {back}
      <header className="space-header">
        <SpaceLogo space={data} size="xl" />
        <div className="space-header__text">
          <h2 className="space-header__name">
            {data.name}
            {data.archived ? (
              <Badge tone="warning">
                <ArchiveIcon size={12} /> Archived
              </Badge>
            ) : null}
          </h2>
          <p className="space-header__meta">
            <span className="mono">{data.slug}</span>
            <span aria-hidden="true">·</span>
            <span>
              <KeyIcon size={13} /> {data.keyCount} {data.keyCount === 1 ? 'key' : 'keys'}
            </span>
            <span aria-hidden="true">·</span>
            <span>
              <UsersIcon size={13} /> {data.memberCount} {data.memberCount === 1 ? 'member' : 'members'}
            </span>
            <span aria-hidden="true">·</span>
            <span>Created {formatDate(data.createdAt)}</span>
          </p>
        </div>
        {data.myRole ? (
          <span className="space-header__role">
            Your role <Badge tone="accent">{SPACE_ROLE_LABEL[data.myRole]}</Badge>
          </span>
        ) : null}
      </header>

      {data.archived ? (
        <Alert
          tone="warning"
          title="This space is archived"
          action={
            abilities.unarchive ? (
              <Button
                size="sm"
                icon={<UndoIcon size={14} />}
                onClick={doUnarchive}
                loading={unarchive.isPending}
              >
                Unarchive
              </Button>
            ) : null
          }
        >
          Its {data.keyCount} {data.keyCount === 1 ? 'key keeps its' : 'keys keep their'} history, but
          settings and members cannot change until{' '}
          {abilities.unarchive ? 'you unarchive it' : 'an owner or admin unarchives it'}.
        </Alert>
      ) : null}

      <nav className="tabs" aria-label="Space sections">
        <Link to={basePath} className="tabs__tab" aria-current={tab === 'settings' ? 'page' : undefined}>
          Settings
        </Link>
        <Link
          to={`${basePath}/members`}
          className="tabs__tab"
          aria-current={tab === 'members' ? 'page' : undefined}
        >
          Members <span className="tabs__count">{data.memberCount}</span>
        </Link>
        <Link
          to={`${basePath}/logs`}
          className="tabs__tab"
          aria-current={tab === 'logs' ? 'page' : undefined}
        >
          Logs
        </Link>
      </nav>

      {tab === 'settings' ? (
        <SpaceSettingsTab space={data} abilities={abilities} />
      ) : tab === 'members' ? (
        <SpaceMembersTab space={data} abilities={abilities} />
      ) : (
        <SpaceLogsTab orgId={organization.id} orgSlug={organization.slug} spaceId={data.id} />
      )}
    </div>
  );
}
