import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Button,
  Card,
  CardHeader,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  Logo,
  Person,
  PersonAvatar,
  Table,
} from '../../components';
import { LockIcon, LogOutIcon, UserMinusIcon, UserPlusIcon } from '../../components/icons';
import { Link } from '../../lib/router';
import { type OrgRole, trpc } from '../../lib/trpc';
import { CardLoading } from '../organization/card-states';
import { CardLoadError } from '../organization/load-error';
import { orgAbilities } from '../organization/org-permissions';
import { useCurrentOrganization } from '../organization/organization-context';
import { formatDate, ROLE_LABEL } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { PageIntro } from '../shell/page';
import { SPACE_ROLE_LABEL } from '../spaces/space-permissions';
import { InvitationsCard } from './invitations-card';
import { InviteMemberDialog } from './invite-member-dialog';
import { leaveBlockedReason, memberRowActions } from './member-actions';
import { MemberActionsMenu } from './member-actions-menu';
import { ChangeRoleDialog, LeaveOrganizationDialog, type Member, RemoveMemberDialog } from './member-dialogs';
import { OrgRoleBadge } from './role-badge';
import '../organization/tenancy.css';
import './members.css';

const SPACES_SHOWN = 3;

/**
 * The organization's people: who they are, their role, their spaces; invitations below.
 * Owners and admins invite, change roles and remove; everyone may leave (but the last owner).
 */
export function MembersPage(): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const abilities = orgAbilities(organization.role);
  const members = useQuery(trpc.member.list.queryOptions({ orgId: organization.id }));
  const spaces = useQuery(trpc.space.list.queryOptions({ orgId: organization.id }));
  const [inviting, setInviting] = useState(false);
  const [roleChange, setRoleChange] = useState<{ member: Member; role: OrgRole } | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState(false);

  const list = members.data ?? [];
  const ownerCount = list.filter((member) => member.role === 'owner').length;
  const spaceColor = new Map((spaces.data ?? []).map((space) => [space.id, space]));
  const caller = { userId: user.id, role: organization.role };
  const sorted = [...list].sort((a, b) => {
    if (a.userId === user.id) return -1;
    if (b.userId === user.id) return 1;
    return a.displayName.localeCompare(b.displayName);
  });

  return (
    <div className="stack stack--lg">
      <PageIntro
        description={`People who can sign in to ${organization.name}, and what they may do.`}
        actions={
          abilities.manageMembers ? (
            <Button variant="primary" icon={<UserPlusIcon size={16} />} onClick={() => setInviting(true)}>
              Invite member
            </Button>
          ) : null
        }
      />

      <Card>
        <CardHeader
          title="Members"
          description={
            members.isSuccess
              ? `${list.length} ${list.length === 1 ? 'person' : 'people'} · ${ownerCount} owner${ownerCount === 1 ? '' : 's'}`
              : 'Everyone with access to this organization'
          }
        />
        {members.isPending ? (
          <CardLoading label="Loading members…" rows={3} widths={['28%', '10%', '22%']} />
        ) : members.isError ? (
          <CardLoadError title="Members could not be loaded" query={members} />
        ) : (
          <div className="card-table">
            <Table caption={`Members of ${organization.name}`} className="table--flush members-table">
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Member</Table.HeaderCell>
                  <Table.HeaderCell>Role</Table.HeaderCell>
                  <Table.HeaderCell>Spaces</Table.HeaderCell>
                  <Table.HeaderCell>Joined</Table.HeaderCell>
                  <Table.ActionsHeader />
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {sorted.map((member) => {
                  const actions = memberRowActions(caller, member);
                  const orgWide = member.role === 'owner' || member.role === 'admin';
                  return (
                    <Table.Row key={member.userId}>
                      <Table.Cell>
                        <Person
                          avatar={<PersonAvatar person={member} size="md" />}
                          name={member.displayName}
                          detail={member.email}
                          isSelf={actions.isSelf}
                        />
                      </Table.Cell>
                      <Table.Cell>
                        <OrgRoleBadge role={member.role} />
                      </Table.Cell>
                      <Table.Cell>
                        {member.spaces.length > 0 ? (
                          <ul className="space-chips" aria-label={`Spaces of ${member.displayName}`}>
                            {member.spaces.slice(0, SPACES_SHOWN).map((space) => {
                              const known = spaceColor.get(space.spaceId);
                              return (
                                <li key={space.spaceId}>
                                  <Link
                                    to={organizationPath(organization.slug, `spaces/${space.spaceId}`)}
                                    className="space-chip"
                                  >
                                    <Logo
                                      name={space.spaceName}
                                      initials={known?.initials}
                                      color={known?.logoColor}
                                      src={known?.logoUrl}
                                      seed={space.spaceId}
                                      size="xs"
                                    />
                                    <span className="space-chip__name">{space.spaceName}</span>
                                    <span className="space-chip__role">{SPACE_ROLE_LABEL[space.role]}</span>
                                  </Link>
                                </li>
                              );
                            })}
                            {member.spaces.length > SPACES_SHOWN ? (
                              <li className="space-chips__more">
                                +{member.spaces.length - SPACES_SHOWN} more
                              </li>
                            ) : null}
                          </ul>
                        ) : (
                          <span className="text-muted">{orgWide ? 'All spaces' : 'No spaces yet'}</span>
                        )}
                      </Table.Cell>
                      <Table.Cell muted className="nowrap">
                        {formatDate(member.joinedAt)}
                      </Table.Cell>
                      <Table.Cell align="end">
                        {actions.isSelf ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            icon={<LogOutIcon size={14} />}
                            onClick={() => setLeaving(true)}
                          >
                            Leave
                          </Button>
                        ) : actions.assignableRoles.length > 0 || actions.canRemove ? (
                          <MemberActionsMenu name={member.displayName} width={264}>
                            <DropdownMenuLabel>Role</DropdownMenuLabel>
                            {actions.assignableRoles.map((role) => (
                              <DropdownMenuItem
                                key={role}
                                checked={member.role === role}
                                onSelect={() => {
                                  if (member.role !== role) setRoleChange({ member, role });
                                }}
                              >
                                {ROLE_LABEL[role]}
                              </DropdownMenuItem>
                            ))}
                            {actions.canRemove ? (
                              <>
                                <DropdownMenuSeparator />
                                <DropdownMenuItem
                                  danger
                                  icon={<UserMinusIcon size={16} />}
                                  onSelect={() => setRemoving(member)}
                                >
                                  Remove from organization
                                </DropdownMenuItem>
                              </>
                            ) : null}
                          </MemberActionsMenu>
                        ) : actions.lockedReason ? (
                          <span className="lock-hint" title={actions.lockedReason}>
                            <LockIcon size={14} />
                            <span className="sr-only">{actions.lockedReason}</span>
                          </span>
                        ) : null}
                      </Table.Cell>
                    </Table.Row>
                  );
                })}
              </Table.Body>
            </Table>
          </div>
        )}
        <p className="card__footnote">
          Owners manage everything, including the plan. Admins manage members, spaces and all keys. Members
          work in the spaces they are added to, with a space role.
        </p>
      </Card>

      {abilities.manageInvitations ? (
        <InvitationsCard orgId={organization.id} onInvite={() => setInviting(true)} />
      ) : null}

      <InviteMemberDialog
        open={inviting}
        onClose={() => setInviting(false)}
        orgId={organization.id}
        organizationName={organization.name}
        canInviteOwners={abilities.manageOwners}
      />
      <ChangeRoleDialog
        orgId={organization.id}
        member={roleChange?.member ?? null}
        role={roleChange?.role ?? null}
        onClose={() => setRoleChange(null)}
      />
      <RemoveMemberDialog organization={organization} member={removing} onClose={() => setRemoving(null)} />
      <LeaveOrganizationDialog
        organization={organization}
        open={leaving}
        blockedReason={leaveBlockedReason(organization.role, ownerCount)}
        onClose={() => setLeaving(false)}
      />
    </div>
  );
}
