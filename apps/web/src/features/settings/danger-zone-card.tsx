import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Alert, Button, ConfirmDialog, Dialog, PersonAvatar, Select, useToast } from '../../components';
import { ArrowLeftRightIcon, TrashIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { navigate } from '../../lib/router';
import { type Organization, queryClient, trpc } from '../../lib/trpc';
import { forgetOrganization, storeOrganization } from '../organization/organization-cache';
import { ROLE_LABEL } from '../organization/organization-labels';
import { SettingsCard } from './settings-card';

/**
 * The owner's irreversible actions: hand the organization to another member, or delete it.
 * Each is behind its own confirmation; deleting asks for the slug to be typed.
 */
export function DangerZoneCard({
  organization,
  userId,
}: {
  organization: Organization;
  userId: string;
}): ReactNode {
  const [transferring, setTransferring] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const toast = useToast();
  const remove = useMutation(trpc.organization.delete.mutationOptions());

  return (
    <SettingsCard
      title="Danger zone"
      description="Actions that change who controls this organization, or remove it for good."
      tone="danger"
    >
      <div className="danger-row">
        <div className="danger-row__text">
          <p className="danger-row__title">Transfer ownership</p>
          <p className="danger-row__description">
            Make another member the owner of {organization.name}. You stay on as an admin.
          </p>
        </div>
        <Button icon={<ArrowLeftRightIcon size={16} />} onClick={() => setTransferring(true)}>
          Transfer ownership
        </Button>
      </div>
      <div className="danger-row">
        <div className="danger-row__text">
          <p className="danger-row__title">Delete organization</p>
          <p className="danger-row__description">
            Permanently delete {organization.name} with its spaces, API keys, members and invitations. Its
            keys stop working at once. This cannot be undone.
          </p>
        </div>
        <Button variant="danger" icon={<TrashIcon size={16} />} onClick={() => setDeleting(true)}>
          Delete organization
        </Button>
      </div>

      {transferring ? (
        <TransferOwnershipDialog
          organization={organization}
          userId={userId}
          onClose={() => setTransferring(false)}
        />
      ) : null}
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${organization.name}?`}
        description="Every space, API key, member and invitation of this organization is deleted, and its keys stop working immediately. The audit log is kept for the record."
        confirmLabel="Delete organization"
        confirmText={organization.slug}
        onConfirm={async () => {
          await remove.mutateAsync({ orgId: organization.id, confirmSlug: organization.slug });
          toast({ title: `${organization.name} was deleted` });
          forgetOrganization(organization.id);
          navigate('/', { replace: true });
        }}
      />
    </SettingsCard>
  );
}

function TransferOwnershipDialog({
  organization,
  userId,
  onClose,
}: {
  organization: Organization;
  userId: string;
  onClose: () => void;
}): ReactNode {
  const toast = useToast();
  const formId = useId();
  const members = useQuery(trpc.member.list.queryOptions({ orgId: organization.id }));
  const transfer = useMutation(trpc.organization.transferOwnership.mutationOptions());
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const candidates = (members.data ?? []).filter((member) => member.userId !== userId);
  const chosen = candidates.find((member) => member.userId === choice);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setError('Choose the member who becomes the owner');
      return;
    }
    setError(null);
    try {
      const saved = await transfer.mutateAsync({ orgId: organization.id, userId: chosen.userId });
      storeOrganization(saved);
      await queryClient.invalidateQueries(trpc.member.list.queryFilter({ orgId: organization.id }));
      toast({
        title: `${chosen.displayName} is now an owner`,
        description: 'You are an admin of the organization.',
      });
      onClose();
    } catch (caught) {
      setError(describeError(caught).message);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      role="alertdialog"
      title="Transfer ownership"
      description={`The member you choose becomes an owner of ${organization.name}, and you become an admin. Only an owner can make you an owner again.`}
      dismissible={!transfer.isPending}
      footer={
        <>
          <Button onClick={onClose} disabled={transfer.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="danger"
            loading={transfer.isPending}
            disabled={candidates.length === 0}
          >
            Transfer ownership
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="stack stack--md" noValidate>
        {members.isError ? <Alert tone="danger">{describeError(members.error).message}</Alert> : null}
        {members.isSuccess && candidates.length === 0 ? (
          <Alert tone="info" title="Nobody to transfer to yet">
            Invite a teammate from the Members page first; once they have joined you can make them the owner.
          </Alert>
        ) : (
          <Select
            label="New owner"
            value={choice}
            onChange={(event) => {
              setChoice(event.target.value);
              setError(null);
            }}
            placeholder={members.isPending ? 'Loading members…' : 'Choose a member…'}
            disabled={members.isPending}
            error={error}
            options={candidates.map((member) => ({
              value: member.userId,
              label: `${member.displayName} (${member.email}) · ${ROLE_LABEL[member.role]}`,
            }))}
          />
        )}
        {chosen ? (
          <div className="transfer-preview">
            <PersonAvatar person={chosen} size="md" />
            <div className="transfer-preview__text">
              <span className="transfer-preview__name">{chosen.displayName}</span>
              <span className="transfer-preview__meta">
                {ROLE_LABEL[chosen.role]} → <strong>Owner</strong>
              </span>
            </div>
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
