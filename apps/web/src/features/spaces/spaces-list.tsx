import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Badge, Button, EmptyState, Skeleton, useToast } from '../../components';
import { ArchiveIcon, KeyIcon, LayersIcon, PlusIcon, TagIcon, UsersIcon } from '../../components/icons';
import { Link, navigate } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { LoadError } from '../organization/load-error';
import { orgAbilities } from '../organization/org-permissions';
import { useCurrentOrganization } from '../organization/organization-context';
import { formatDate } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';
import { CreateSpaceDialog } from './create-space-dialog';
import { customScopes } from './scope-catalog';
import { SpaceLogo } from './space-logo';
import { SPACE_ROLE_LABEL, type Space, sortSpaces } from './space-permissions';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The organization's spaces as cards: logo, name, counts, the caller's role; "New space" for owners and admins. */
export function SpacesList(): ReactNode {
  const { organization } = useCurrentOrganization();
  const abilities = orgAbilities(organization.role);
  const toast = useToast();
  const spaces = useQuery(trpc.space.list.queryOptions({ orgId: organization.id }));
  const [creating, setCreating] = useState(false);
  const list = sortSpaces(spaces.data ?? []);

  const newSpaceButton = abilities.manageSpaces ? (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
      New space
    </Button>
  ) : null;

  return (
    <div className="stack stack--lg">
      <PageIntro
        description={
          abilities.manageSpaces
            ? 'A space groups the keys of one API, with its own scope catalog, logo and members.'
            : 'The spaces you have a role in. Each groups the keys of one API.'
        }
        actions={list.length > 0 ? newSpaceButton : null}
      />
      {spaces.isPending ? (
        <ul className="space-grid" aria-busy="true" aria-label="Loading spaces">
          {[0, 1, 2].map((i) => (
            <li key={i} className="space-card space-card--skeleton">
              <Skeleton width={44} height={44} radius={11} />
              <Skeleton width="60%" height={16} />
              <Skeleton width="40%" />
            </li>
          ))}
        </ul>
      ) : spaces.isError ? (
        <LoadError title="Spaces could not be loaded" query={spaces} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={<LayersIcon size={22} />}
          title="No spaces yet"
          description={
            abilities.manageSpaces
              ? 'Create a space for each API you protect. Keys are issued from a space and may hold only the scopes of its catalog.'
              : 'You have not been added to a space yet. Ask an owner or admin of the organization to give you a role in one.'
          }
          actions={
            abilities.manageSpaces ? (
              <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
                Create your first space
              </Button>
            ) : null
          }
        >
          <ul className="feature-list">
            <li>
              <span className="feature-list__icon">
                <TagIcon size={16} />
              </span>
              <span>
                <strong>Scope catalog</strong>
                <span>
                  The permissions its keys may hold, such as <span className="mono">orders:read</span>.
                </span>
              </span>
            </li>
            <li>
              <span className="feature-list__icon">
                <UsersIcon size={16} />
              </span>
              <span>
                <strong>Space roles</strong>
                <span>Admins, developers and viewers, apart from organization roles.</span>
              </span>
            </li>
          </ul>
        </EmptyState>
      ) : (
        <ul className="space-grid" aria-label="Spaces">
          {list.map((space) => (
            <SpaceCard key={space.id} space={space} orgSlug={organization.slug} />
          ))}
          {abilities.manageSpaces ? <NewSpaceTile onClick={() => setCreating(true)} /> : null}
        </ul>
      )}
      <CreateSpaceDialog
        open={creating}
        onClose={() => setCreating(false)}
        orgId={organization.id}
        onCreated={(space) => {
          setCreating(false);
          toast({
            title: `${space.name} is ready`,
            description: 'Add scopes to its catalog and give your team roles.',
          });
          navigate(organizationPath(organization.slug, `spaces/${space.id}`));
        }}
      />
    </div>
  );
}

const SCOPES_SHOWN = 3;

function SpaceCard({ space, orgSlug }: { space: Space; orgSlug: string }): ReactNode {
  const scopes = customScopes(space.scopeCatalog);
  return (
    <li className="space-card" data-archived={space.archived || undefined}>
      <Link to={organizationPath(orgSlug, `spaces/${space.id}`)} className="space-card__link">
        <div className="space-card__head">
          <SpaceLogo space={space} size="lg" />
          <div className="space-card__title">
            <span className="space-card__name">{space.name}</span>
            <span className="space-card__slug mono">{space.slug}</span>
          </div>
          {space.archived ? (
            <Badge tone="warning">
              <ArchiveIcon size={12} /> Archived
            </Badge>
          ) : space.myRole ? (
            <Badge tone="accent">{SPACE_ROLE_LABEL[space.myRole]}</Badge>
          ) : null}
        </div>
        <div className="space-card__scopes">
          {scopes.length > 0 ? (
            <>
              {scopes.slice(0, SCOPES_SHOWN).map((scope) => (
                <span key={scope} className="space-card__scope mono">
                  {scope}
                </span>
              ))}
              {scopes.length > SCOPES_SHOWN ? (
                <span className="space-card__scope-more">+{scopes.length - SCOPES_SHOWN}</span>
              ) : null}
            </>
          ) : (
            <span className="space-card__scope-none">No scopes of its own yet</span>
          )}
        </div>
        <dl className="space-card__stats">
          <div>
            <dt className="sr-only">Keys</dt>
            <dd>
              <KeyIcon size={14} /> {plural(space.keyCount, 'key')}
            </dd>
          </div>
          <div>
            <dt className="sr-only">Members</dt>
            <dd>
              <UsersIcon size={14} /> {plural(space.memberCount, 'member')}
            </dd>
          </div>
          <div className="space-card__created">
            <dt className="sr-only">Created</dt>
            <dd>{formatDate(space.createdAt)}</dd>
          </div>
        </dl>
      </Link>
    </li>
  );
}

/** The grid's last tile for owners and admins: the same action as the header button, where the eye lands. */
function NewSpaceTile({ onClick }: { onClick: () => void }): ReactNode {
  return (
    <li className="space-card space-card--new">
      <button type="button" className="space-card__new" onClick={onClick}>
        <span className="space-card__new-icon">
          <PlusIcon size={18} />
        </span>
        <span className="space-card__new-title">Create a space</span>
        <span className="space-card__new-text">One per API, with its own scopes and members</span>
      </button>
    </li>
  );
}
