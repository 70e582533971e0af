import { PASSWORD_MIN_LENGTH } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Alert, Button, Dialog, PasswordField, useToast } from '../../components';
import { trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateExistingPassword, validateNewPassword } from '../../lib/validation';

type PasswordFieldName = 'currentPassword' | 'newPassword' | 'confirmPassword';

const INITIAL: Record<PasswordFieldName, string> = {
  currentPassword: '',
  newPassword: '',
  confirmPassword: '',
};

const validate = (values: Record<PasswordFieldName, string>) =>
  collectErrors<PasswordFieldName>({
    currentPassword: validateExistingPassword(values.currentPassword, 'Enter your current password'),
    newPassword:
      validateNewPassword(values.newPassword) ??
      (values.newPassword === values.currentPassword
        ? 'Choose a password different from the current one'
        : null),
    confirmPassword:
      values.confirmPassword.length === 0
        ? 'Repeat the new password'
        : values.confirmPassword !== values.newPassword
          ? 'The passwords do not match'
          : null,
  });

export interface ChangePasswordDialogProps {
  open: boolean;
  onClose: () => void;
  /** The account's email, for password managers. */
  email: string;
}

/** Changes the password; the server signs out every other session, this one continues. */
export function ChangePasswordDialog({ open, onClose, email }: ChangePasswordDialogProps): ReactNode {
  // Mounted only while open, so every opening starts with an empty form.
  return open ? <ChangePasswordForm onClose={onClose} email={email} /> : null;
}

function ChangePasswordForm({ onClose, email }: { onClose: () => void; email: string }): ReactNode {
  const toast = useToast();
  const formId = useId();
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const form = useForm(INITIAL, validate);

  const onSubmit = form.handleSubmit(async (values) => {
    await change.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    toast({ title: 'Password changed', description: 'Your other sessions have been signed out.' });
    onClose();
  });

  return (
    <Dialog
      open
      onClose={onClose}
      title="Change password"
      description="Your other sessions will be signed out; this one stays signed in."
      dismissible={!change.isPending}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={change.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={change.isPending}>
            Update password
          </Button>
        </>
      }
    >
      <form
        id={formId}
        className="stack stack--md"
        onSubmit={onSubmit}
        noValidate
        aria-label="Change password"
      >
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        {/* Lets password managers attach the change to the right account. */}
        <input type="email" name="username" autoComplete="username" value={email} hidden readOnly />
        <PasswordField
          {...form.field('currentPassword')}
          label="Current password"
          autoComplete="current-password"
        />
        <PasswordField
          {...form.field('newPassword')}
          label="New password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        />
        <PasswordField
          {...form.field('confirmPassword')}
          label="Confirm new password"
          autoComplete="new-password"
        />
      </form>
    </Dialog>
  );
}
