import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Avatar, Button, ButtonLink, ConfirmDialog, Dialog, useToast } from '../../components';
import { ArrowRightIcon } from '../../components/icons';
import { navigate } from '../../lib/router';
import { type Organization, type OrgRole, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { forgetOrganization } from '../organization/organization-cache';
import { ROLE_LABEL } from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { ROLE_CAPABILITY } from './member-actions';
import { OrgRoleBadge } from './role-badge';

export type Member = RouterOutputs['member']['list'][number];

function refreshMembers(orgId: string): Promise<void> {
  return queryClient.invalidateQueries(trpc.member.list.queryFilter({ orgId }));
}

/** "Make Grace an admin?": says what the new role may do before it takes effect. */
export function ChangeRoleDialog({
  orgId,
  member,
  role,
  onClose,
}: {
  orgId: string;
  member: Member | null;
  role: OrgRole | null;
  onClose: () => void;
}): ReactNode {
  const toast = useToast();
  const change = useMutation(trpc.member.changeRole.mutationOptions());
  const open = member !== null && role !== null;
  const article = role === 'admin' || role === 'owner' ? 'an' : 'a';
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      tone={role === 'owner' || member?.role === 'owner' ? 'danger' : 'primary'}
      title={member && role ? `Make ${member.displayName} ${article} ${ROLE_LABEL[role].toLowerCase()}?` : ''}
      description={
        member && role
          ? `As ${article} ${ROLE_LABEL[role].toLowerCase()}, ${member.displayName.split(' ')[0] ?? member.displayName} ${ROLE_CAPABILITY[role]}. The change applies at once, also in sessions already open.`
          : ''
      }
      confirmLabel={role ? `Make ${ROLE_LABEL[role].toLowerCase()}` : 'Change role'}
      onConfirm={async () => {
        if (!member || !role) return;
        await change.mutateAsync({ orgId, userId: member.userId, role });
        await refreshMembers(orgId);
        toast({ title: `${member.displayName} is now ${article} ${ROLE_LABEL[role].toLowerCase()}` });
      }}
    >
      {member && role ? (
        <div className="role-change">
          <Avatar name={member.displayName} initials={member.initials} color={member.avatarColor} size="md" />
          <span className="role-change__name">{member.displayName}</span>
          <span className="role-change__roles">
            <OrgRoleBadge role={member.role} />
            <ArrowRightIcon size={14} />
            <OrgRoleBadge role={role} />
          </span>
        </div>
      ) : null}
    </ConfirmDialog>
  );
}

/** Removing a member ends their access at once, their space roles included. */
export function RemoveMemberDialog({
  organization,
  member,
  onClose,
}: {
  organization: Organization;
  member: Member | null;
  onClose: () => void;
}): ReactNode {
  const toast = useToast();
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const spaces = member?.spaces.length ?? 0;
  return (
    <ConfirmDialog
      open={member !== null}
      onClose={onClose}
      title={member ? `Remove ${member.displayName} from ${organization.name}?` : ''}
      description={
        member
          ? `${member.email} loses access at once, including sessions already open${spaces > 0 ? `, and their roles in ${spaces} space${spaces === 1 ? '' : 's'} are removed` : ''}. API keys they created stay with the organization. To bring them back, invite them again.`
          : ''
      }
      confirmLabel="Remove member"
      onConfirm={async () => {
        if (!member) return;
        await remove.mutateAsync({ orgId: organization.id, userId: member.userId });
        await refreshMembers(organization.id);
        toast({
          title: `${member.displayName} was removed`,
          description: `They no longer have access to ${organization.name}.`,
        });
      }}
    />
  );
}

/**
 * Leaving: confirmed, then the user lands in another organization (or onboarding). The last
 * owner is stopped with the reason and the way out instead.
 */
export function LeaveOrganizationDialog({
  organization,
  open,
  blockedReason,
  onClose,
}: {
  organization: Organization;
  open: boolean;
  blockedReason: string | null;
  onClose: () => void;
}): ReactNode {
  const toast = useToast();
  const leave = useMutation(trpc.member.leave.mutationOptions());

  if (blockedReason) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        title={`You can't leave ${organization.name} yet`}
        description="An organization always keeps at least one owner."
        size="sm"
        footer={
          <>
            <Button onClick={onClose}>Close</Button>
            <ButtonLink
              to={`${organizationPath(organization.slug, 'settings')}`}
              variant="primary"
              icon={<ArrowRightIcon size={16} />}
              onClick={onClose}
            >
              Transfer ownership
            </ButtonLink>
          </>
        }
      >
        <Alert tone="warning">{blockedReason}</Alert>
      </Dialog>
    );
  }

  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title={`Leave ${organization.name}?`}
      description={`You lose access to its spaces, keys and settings at once. To come back, you need a new invitation from an ${organization.role === 'owner' ? 'owner' : 'owner or admin'}.`}
      confirmLabel="Leave organization"
      onConfirm={async () => {
        await leave.mutateAsync({ orgId: organization.id });
        toast({ title: `You left ${organization.name}` });
        forgetOrganization(organization.id);
        navigate('/', { replace: true });
      }}
    />
  );
}
