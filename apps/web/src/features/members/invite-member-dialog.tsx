import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { Alert, Button, CopyButton, Dialog, TextField } from '../../components';
import { CheckCircleIcon, ClockIcon } from '../../components/icons';
import { type OrgRole, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateEmail } from '../../lib/validation';
import { formatDate, ROLE_LABEL } from '../organization/organization-labels';
import { relativeSpan } from './invitation-display';
import { ORG_ROLE_ORDER, ROLE_DESCRIPTION } from './member-actions';
import { RoleRadioGroup } from './role-radio-group';

type InviteField = 'email' | 'role';
type CreatedInvitation = RouterOutputs['invitation']['create'];

const INITIAL: Record<InviteField, string> = { email: '', role: 'member' };

const validate = (values: Record<InviteField, string>) =>
  collectErrors<InviteField>({
    email: values.email.trim() === '' ? 'Enter the email address to invite' : validateEmail(values.email),
    role: values.role ? null : 'Choose a role',
  });

function isOrgRole(value: string): value is OrgRole {
  return (ORG_ROLE_ORDER as readonly string[]).includes(value);
}

export interface InviteMemberDialogProps {
  open: boolean;
  onClose: () => void;
  orgId: string;
  organizationName: string;
  /** Whether the caller may invite owners (owners only). */
  canInviteOwners: boolean;
}

/**
 * "Invite member": email and role, then the invitation link, shown this once to copy (only
 * its hash is stored). The link works once, for that email address, for 7 days.
 */
export function InviteMemberDialog(props: InviteMemberDialogProps): ReactNode {
  // Mounted only while open, so each opening starts with an empty form and no old link.
  return props.open ? <InviteFlow {...props} /> : null;
}

function InviteFlow({
  onClose,
  orgId,
  organizationName,
  canInviteOwners,
}: InviteMemberDialogProps): ReactNode {
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  if (created) {
    return (
      <InvitationLink
        created={created}
        organizationName={organizationName}
        onClose={onClose}
        onInviteAnother={() => setCreated(null)}
      />
    );
  }
  return (
    <InviteForm onClose={onClose} orgId={orgId} canInviteOwners={canInviteOwners} onCreated={setCreated} />
  );
}

function InviteForm({
  onClose,
  orgId,
  canInviteOwners,
  onCreated,
}: {
  onClose: () => void;
  orgId: string;
  canInviteOwners: boolean;
  onCreated: (created: CreatedInvitation) => void;
}): ReactNode {
  const formId = useId();
  const create = useMutation(trpc.invitation.create.mutationOptions());
  const form = useForm(INITIAL, validate);
  // Least access first: the usual choice on top, the powerful one last.
  const roles = [...ORG_ROLE_ORDER].reverse().filter((role) => role !== 'owner' || canInviteOwners);

  const onSubmit = form.handleSubmit(async (values) => {
    if (!isOrgRole(values.role)) return;
    const result = await create.mutateAsync({ orgId, email: values.email.trim(), role: values.role });
    await queryClient.invalidateQueries(trpc.invitation.list.queryFilter({ orgId }));
    onCreated(result);
  });

  return (
    <Dialog
      open
      onClose={onClose}
      title="Invite a member"
      description="They get a link to join with the role you choose. You send the link yourself: Keysmith shows it once."
      dismissible={!create.isPending}
      footer={
        <>
          <Button onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={create.isPending}>
            Create invitation
          </Button>
        </>
      }
    >
      <form id={formId} className="stack stack--lg" onSubmit={onSubmit} noValidate aria-label="Invite member">
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <TextField
          {...form.field('email')}
          label="Email address"
          type="email"
          inputMode="email"
          autoComplete="off"
          placeholder="teammate@company.com"
          hint="Only someone signed in with this address can accept."
        />
        <RoleRadioGroup
          legend="Role"
          name="role"
          value={form.values.role}
          error={form.errors.role}
          onChange={(role) => form.setValue('role', role)}
          options={roles.map((role) => ({
            value: role,
            label: ROLE_LABEL[role],
            description: ROLE_DESCRIPTION[role],
          }))}
        />
      </form>
    </Dialog>
  );
}

function InvitationLink({
  created,
  organizationName,
  onClose,
  onInviteAnother,
}: {
  created: CreatedInvitation;
  organizationName: string;
  onClose: () => void;
  onInviteAnother: () => void;
}): ReactNode {
  const { invitation, link } = created;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Invitation created"
      description={`Send this link to ${invitation.email} to join ${organizationName} as ${ROLE_LABEL[invitation.role].toLowerCase()}.`}
      footer={
        <>
          <Button onClick={onInviteAnother}>Invite another</Button>
          <Button variant="primary" onClick={onClose} data-autofocus>
            Done
          </Button>
        </>
      }
    >
      <div className="stack stack--md">
        <div className="invite-link">
          <div className="invite-link__head">
            <span className="invite-link__title">
              <CheckCircleIcon size={16} /> Invitation link
            </span>
            <span className="invite-link__expiry">
              <ClockIcon size={13} /> Expires {relativeSpan(invitation.expiresAt, Date.now())} ·{' '}
              {formatDate(invitation.expiresAt)}
            </span>
          </div>
          <TextField
            label={<span className="sr-only">Invitation link</span>}
            value={link}
            readOnly
            className="mono"
            fieldClassName="field--label-hidden"
            onFocus={(event) => event.currentTarget.select()}
            suffix={<CopyButton value={link} label="Copy invitation link" showText variant="secondary" />}
          />
        </div>
        <Alert tone="warning" title="Copy it now: the link is shown only once">
          Keysmith keeps only a fingerprint of the link. If it gets lost, revoke the invitation and create a
          new one. It works once, for {invitation.email}.
        </Alert>
      </div>
    </Dialog>
  );
}
