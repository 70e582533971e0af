import { PASSWORD_MIN_LENGTH } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Button, PasswordField, TextField } from '../../components';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, navigate, safeRedirectPath, useSearchParams } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateEmail, validateNewPassword, validateRequired } from '../../lib/validation';
import { AuthLayout } from './auth-layout';
import { refreshMe } from './session';

type SignUpField = 'displayName' | 'email' | 'password';

const validate = (values: Record<SignUpField, string>) =>
  collectErrors<SignUpField>({
    displayName: validateRequired(values.displayName, 'Enter your name'),
    email: validateEmail(values.email),
    password: validateNewPassword(values.password),
  });

const INITIAL: Record<SignUpField, string> = { displayName: '', email: '', password: '' };

export function SignUpPage(): ReactNode {
  useDocumentTitle('Create your account');
  const params = useSearchParams();
  const next = params.get('next');
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  // An invitation link sends people here with the invited address filled in (`?email=`).
  const form = useForm({ ...INITIAL, email: params.get('email') ?? '' }, validate);

  const onSubmit = form.handleSubmit(async (values) => {
    await signUp.mutateAsync({
      displayName: values.displayName.trim(),
      email: values.email.trim(),
      password: values.password,
    });
    const me = await refreshMe();
    // A brand-new account has no organization yet (unless an invitation brought it here).
    const destination =
      me && me.organizations.length === 0 && !next ? '/organizations/new' : safeRedirectPath(next);
    navigate(destination, { replace: true });
  });

  const signInLink = next ? `/sign-in?next=${encodeURIComponent(safeRedirectPath(next))}` : '/sign-in';

  return (
    <AuthLayout
      title="Create your Keysmith account"
      subtitle="Start issuing API keys in minutes. No credit card required."
      footer={
        <>
          Already have an account? <Link to={signInLink}>Sign in</Link>
        </>
      }
    >
      <form className="stack stack--lg" onSubmit={onSubmit} noValidate aria-label="Create account">
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <TextField
          {...form.field('displayName')}
          label="Full name"
          autoComplete="name"
          placeholder="Ada Lovelace"
          maxLength={128}
          autoFocus
        />
        <TextField
          {...form.field('email')}
          label="Work email"
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder="you@company.com"
        />
        <PasswordField
          {...form.field('password')}
          label="Password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase is easiest to remember.`}
        />
        <Button type="submit" variant="primary" size="lg" block loading={signUp.isPending}>
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}
