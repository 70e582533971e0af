import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Badge, Button, Card, CardHeader, ConfirmDialog, Person, Table, useToast } from '../../components';
import { MailIcon, UserPlusIcon, XIcon } from '../../components/icons';
import { queryClient, trpc } from '../../lib/trpc';
import { CardLoading, InlineEmpty } from '../organization/card-states';
import { CardLoadError } from '../organization/load-error';
import { formatDate } from '../organization/organization-labels';
import {
  INVITATION_STATUS_LABEL,
  INVITATION_STATUS_TONE,
  type Invitation,
  invitationTimeline,
  sortInvitations,
} from './invitation-display';
import { OrgRoleBadge } from './role-badge';

/**
 * Invitations of the organization (owners and admins): pending ones with their expiry and a
 * revoke action; accepted, expired and revoked ones on request.
 */
export function InvitationsCard({ orgId, onInvite }: { orgId: string; onInvite: () => void }): ReactNode {
  const toast = useToast();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ orgId }));
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions());
  const [showPast, setShowPast] = useState(false);
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const all = sortInvitations(invitations.data ?? []);
  const pending = all.filter((invitation) => invitation.status === 'pending');
  const past = all.filter((invitation) => invitation.status !== 'pending');
  const rows = showPast ? all : pending;
  const now = Date.now();

  return (
    <Card>
      <CardHeader
        title="Invitations"
        description="Each link works once, for the invited email address, and expires after 7 days."
        actions={
          past.length > 0 ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => setShowPast((value) => !value)}
              aria-pressed={showPast}
            >
              {showPast ? 'Hide past invitations' : `Show past invitations (${past.length})`}
            </Button>
          ) : null
        }
      />
      {invitations.isPending ? (
        <CardLoading label="Loading invitations…" rows={2} widths={['30%', '12%', '18%']} />
      ) : invitations.isError ? (
        <CardLoadError title="Invitations could not be loaded" query={invitations} />
      ) : rows.length === 0 ? (
        <InlineEmpty
          icon={<MailIcon size={18} />}
          title="No pending invitations"
          description="Invite teammates by email; they join with the role you choose."
          action={
            <Button icon={<UserPlusIcon size={16} />} onClick={onInvite}>
              Invite member
            </Button>
          }
        />
      ) : (
        <div className="card-table">
          <Table caption="Invitations" className="table--flush">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>Email</Table.HeaderCell>
                <Table.HeaderCell>Role</Table.HeaderCell>
                <Table.HeaderCell>Status</Table.HeaderCell>
                <Table.HeaderCell>Invited by</Table.HeaderCell>
                <Table.HeaderCell>Expiry</Table.HeaderCell>
                <Table.ActionsHeader />
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {rows.map((invitation) => (
                <Table.Row
                  key={invitation.id}
                  className={invitation.status === 'pending' ? undefined : 'table__row--muted'}
                >
                  <Table.Cell>
                    <Person
                      avatar={
                        <span className="mail-avatar" aria-hidden="true">
                          <MailIcon size={15} />
                        </span>
                      }
                      name={invitation.email}
                      detail={<>Sent {formatDate(invitation.createdAt)}</>}
                    />
                  </Table.Cell>
                  <Table.Cell>
                    <OrgRoleBadge role={invitation.role} />
                  </Table.Cell>
                  <Table.Cell>
                    <Badge tone={INVITATION_STATUS_TONE[invitation.status]} dot>
                      {INVITATION_STATUS_LABEL[invitation.status]}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell muted>{invitation.invitedBy?.displayName ?? 'A former member'}</Table.Cell>
                  <Table.Cell muted>
                    <span title={formatDate(invitation.expiresAt)}>
                      {invitationTimeline(invitation, now)}
                    </span>
                  </Table.Cell>
                  <Table.Cell align="end">
                    {invitation.status === 'pending' ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        icon={<XIcon size={14} />}
                        onClick={() => setRevoking(invitation)}
                        aria-label={`Revoke invitation for ${invitation.email}`}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this invitation?"
        description={
          revoking
            ? `The link sent to ${revoking.email} stops working at once. You can invite them again later.`
            : ''
        }
        confirmLabel="Revoke invitation"
        onConfirm={async () => {
          if (!revoking) return;
          await revoke.mutateAsync({ orgId, invitationId: revoking.id });
          await queryClient.invalidateQueries(trpc.invitation.list.queryFilter({ orgId }));
          toast({
            title: 'Invitation revoked',
            description: `The link for ${revoking.email} no longer works.`,
          });
        }}
      />
    </Card>
  );
}
