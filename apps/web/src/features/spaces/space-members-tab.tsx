import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  CardHeader,
  ConfirmDialog,
  Dialog,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  Person,
  PersonAvatar,
  Select,
  Table,
  useToast,
} from '../../components';
import { UserMinusIcon, UserPlusIcon, UsersIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { queryClient, trpc } from '../../lib/trpc';
import { MemberActionsMenu } from '../members/member-actions-menu';
import { RoleRadioGroup } from '../members/role-radio-group';
import { CardLoading, InlineEmpty } from '../organization/card-states';
import { CardLoadError } from '../organization/load-error';
import { useCurrentOrganization } from '../organization/organization-context';
import { formatDate, ROLE_LABEL } from '../organization/organization-labels';
import { refreshSpaceLists } from './space-cache';
import {
  SPACE_ROLE_DESCRIPTION,
  SPACE_ROLE_LABEL,
  SPACE_ROLE_ORDER,
  type Space,
  type SpaceAbilities,
  type SpaceMember,
  type SpaceRole,
} from './space-permissions';

async function refreshSpaceMembers(orgId: string, spaceId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries(trpc.space.members.list.queryFilter({ orgId, spaceId })),
    queryClient.invalidateQueries(trpc.space.byId.queryFilter({ orgId, spaceId })),
    refreshSpaceLists(orgId),
  ]);
}

/**
 * Who has a role in the space. Space admins and org owners/admins add organization members
 * with a space role, change it and take it away.
 */
export function SpaceMembersTab({
  space,
  abilities,
}: {
  space: Space;
  abilities: SpaceAbilities;
}): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const toast = useToast();
  const orgId = organization.id;
  const members = useQuery(trpc.space.members.list.queryOptions({ orgId, spaceId: space.id }));
  // An org owner or admin manages every space whatever their space role: show the stronger role.
  const orgMembers = useQuery({ ...trpc.member.list.queryOptions({ orgId }), staleTime: 60_000 });
  const orgRoleOf = new Map((orgMembers.data ?? []).map((m) => [m.userId, m.role]));
  const changeRole = useMutation(trpc.space.members.changeRole.mutationOptions());
  const remove = useMutation(trpc.space.members.remove.mutationOptions());
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<SpaceMember | null>(null);
  const list = members.data ?? [];

  const setRole = async (member: SpaceMember, role: SpaceRole) => {
    try {
      await changeRole.mutateAsync({ orgId, spaceId: space.id, userId: member.userId, role });
      await refreshSpaceMembers(orgId, space.id);
      toast({
        title: `${member.displayName} is now ${SPACE_ROLE_LABEL[role].toLowerCase()} of ${space.name}`,
      });
    } catch (error) {
      toast({ title: 'The role was not changed', description: describeError(error).message, tone: 'danger' });
    }
  };

  const addButton = abilities.manageMembers ? (
    <Button variant="primary" size="sm" icon={<UserPlusIcon size={16} />} onClick={() => setAdding(true)}>
      Add member
    </Button>
  ) : null;

  return (
    <Card>
      <CardHeader
        title="Space members"
        description="Organization members with a role in this space. Organization owners and admins manage every space without one."
        actions={list.length > 0 ? addButton : null}
      />
      {members.isPending ? (
        <CardLoading label="Loading space members…" rows={2} widths={['30%', '14%']} />
      ) : members.isError ? (
        <CardLoadError title="Space members could not be loaded" query={members} />
      ) : list.length === 0 ? (
        <InlineEmpty
          icon={<UsersIcon size={18} />}
          title="Nobody has a role in this space yet"
          description={
            abilities.manageMembers
              ? 'Add organization members as admins, developers or viewers of this space.'
              : 'Organization owners and admins can still manage it.'
          }
          action={addButton}
        />
      ) : (
        <div className="card-table">
          <Table caption={`Members of ${space.name}`} className="table--flush">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Member</Table.HeaderCell>
                <Table.HeaderCell>Space role</Table.HeaderCell>
                <Table.HeaderCell>Added</Table.HeaderCell>
                <Table.ActionsHeader />
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {list.map((member) => (
                <Table.Row key={member.userId}>
                  <Table.Cell>
                    <Person
                      avatar={<PersonAvatar person={member} size="md" />}
                      name={member.displayName}
                      detail={member.email}
                      isSelf={member.userId === user.id}
                    />
                  </Table.Cell>
                  <Table.Cell>
                    <SpaceRoleCell role={member.role} orgRole={orgRoleOf.get(member.userId)} />
                  </Table.Cell>
                  <Table.Cell muted className="nowrap">
                    {formatDate(member.addedAt)}
                  </Table.Cell>
                  <Table.Cell align="end">
                    {abilities.manageMembers ? (
                      <MemberActionsMenu name={member.displayName} width={240}>
                        <DropdownMenuLabel>Space role</DropdownMenuLabel>
                        {SPACE_ROLE_ORDER.map((role) => (
                          <DropdownMenuItem
                            key={role}
                            checked={member.role === role}
                            onSelect={() => {
                              if (member.role !== role) void setRole(member, role);
                            }}
                          >
                            {SPACE_ROLE_LABEL[role]}
                          </DropdownMenuItem>
                        ))}
                        <DropdownMenuSeparator />
                        <DropdownMenuItem
                          danger
                          icon={<UserMinusIcon size={16} />}
                          onSelect={() => setRemoving(member)}
                        >
                          Remove from space
                        </DropdownMenuItem>
                      </MemberActionsMenu>
                    ) : null}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
      {adding ? (
        <AddSpaceMemberDialog
          space={space}
          existing={new Set(list.map((member) => member.userId))}
          onClose={() => setAdding(false)}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing ? `Remove ${removing.displayName} from ${space.name}?` : ''}
        description={
          removing
            ? `They lose their ${SPACE_ROLE_LABEL[removing.role].toLowerCase()} role in this space at once${
                removing.userId === user.id ? ', and you may no longer see it' : ''
              }. They stay a member of ${organization.name}, and keys they created keep working.`
            : ''
        }
        confirmLabel="Remove from space"
        onConfirm={async () => {
          if (!removing) return;
          await remove.mutateAsync({ orgId, spaceId: space.id, userId: removing.userId });
          await refreshSpaceMembers(orgId, space.id);
          toast({ title: `${removing.displayName} was removed from ${space.name}` });
        }}
      />
    </Card>
  );
}

function AddSpaceMemberDialog({
  space,
  existing,
  onClose,
}: {
  space: Space;
  existing: ReadonlySet<string>;
  onClose: () => void;
}): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const toast = useToast();
  const formId = useId();
  const orgMembers = useQuery(trpc.member.list.queryOptions({ orgId }));
  const add = useMutation(trpc.space.members.add.mutationOptions());
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<SpaceRole>('developer');
  const [errors, setErrors] = useState<{ userId?: string; role?: string; form?: string }>({});
  const candidates = (orgMembers.data ?? []).filter((member) => !existing.has(member.userId));
  const chosen = candidates.find((member) => member.userId === userId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setErrors({ userId: 'Choose the organization member to add' });
      return;
    }
    setErrors({});
    try {
      await add.mutateAsync({ orgId, spaceId: space.id, userId: chosen.userId, role });
      await refreshSpaceMembers(orgId, space.id);
      toast({
        title: `${chosen.displayName} is now ${SPACE_ROLE_LABEL[role].toLowerCase()} of ${space.name}`,
      });
      onClose();
    } catch (error) {
      const described = describeError(error);
      const fieldErrors: { userId?: string; role?: string; form?: string } = {};
      if (described.fields.userId) fieldErrors.userId = described.fields.userId;
      if (described.fields.role) fieldErrors.role = described.fields.role;
      if (!fieldErrors.userId && !fieldErrors.role) fieldErrors.form = described.message;
      setErrors(fieldErrors);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Add a member to ${space.name}`}
      description="Give an organization member a role in this space. To add someone new, invite them to the organization first."
      dismissible={!add.isPending}
      footer={
        <>
          <Button onClick={onClose} disabled={add.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            loading={add.isPending}
            disabled={orgMembers.isSuccess && candidates.length === 0}
          >
            Add to space
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={submit}
        className="stack stack--lg"
        noValidate
        aria-label="Add space member"
      >
        {errors.form ? <Alert tone="danger">{errors.form}</Alert> : null}
        {orgMembers.isError ? <Alert tone="danger">{describeError(orgMembers.error).message}</Alert> : null}
        {orgMembers.isSuccess && candidates.length === 0 ? (
          <Alert tone="info" title="Everyone already has a role here">
            Every member of {organization.name} already has a role in this space. Invite someone to the
            organization from the Members page to add them.
          </Alert>
        ) : (
          <Select
            label="Organization member"
            value={userId}
            onChange={(event) => {
              setUserId(event.target.value);
              setErrors({});
            }}
            placeholder={orgMembers.isPending ? 'Loading members…' : 'Choose a member…'}
            disabled={orgMembers.isPending}
            error={errors.userId}
            hint={
              chosen && chosen.role !== 'member'
                ? `As an organization ${ROLE_LABEL[chosen.role].toLowerCase()}, ${chosen.displayName} can already manage every space.`
                : undefined
            }
            options={candidates.map((member) => ({
              value: member.userId,
              label: `${member.displayName} · ${member.email}`,
            }))}
          />
        )}
        <RoleRadioGroup
          legend="Space role"
          name="spaceRole"
          value={role}
          error={errors.role}
          onChange={setRole}
          options={SPACE_ROLE_ORDER.map((value) => ({
            value,
            label: SPACE_ROLE_LABEL[value],
            description: SPACE_ROLE_DESCRIPTION[value],
          }))}
        />
      </form>
    </Dialog>
  );
}

/**
 * A member's role in the space, or their organization role when it is stronger (an owner or
 * admin manages every space, whatever space role they were also given).
 */
function SpaceRoleCell({
  role,
  orgRole,
}: {
  role: keyof typeof SPACE_ROLE_LABEL;
  orgRole: keyof typeof ROLE_LABEL | undefined;
}): ReactNode {
  if (orgRole === 'owner' || orgRole === 'admin') {
    return (
      <span className="role-cell">
        <Badge tone="accent">{`Organization ${ROLE_LABEL[orgRole].toLowerCase()}`}</Badge>
        <span className="role-cell__description">
          Manages every space (also {SPACE_ROLE_LABEL[role].toLowerCase()} here)
        </span>
      </span>
    );
  }
  return (
    <span className="role-cell">
      <Badge tone={role === 'admin' ? 'accent' : role === 'developer' ? 'info' : 'neutral'}>
        {SPACE_ROLE_LABEL[role]}
      </Badge>
      <span className="role-cell__description">{SPACE_ROLE_DESCRIPTION[role]}</span>
    </span>
  );
}
