import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Button, PasswordField, TextField } from '../../components';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, navigate, safeRedirectPath, useSearchParams } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateEmail, validateExistingPassword } from '../../lib/validation';
import { AuthLayout } from './auth-layout';
import { refreshMe } from './session';

type SignInField = 'email' | 'password';

const validate = (values: Record<SignInField, string>) =>
  collectErrors<SignInField>({
    email: validateEmail(values.email),
    password: validateExistingPassword(values.password),
  });

const INITIAL: Record<SignInField, string> = { email: '', password: '' };

export function SignInPage(): ReactNode {
  useDocumentTitle('Sign in');
  const params = useSearchParams();
  const next = safeRedirectPath(params.get('next'));
  const signIn = useMutation(trpc.auth.signIn.mutationOptions());
  // An invitation link sends people here with the invited address filled in (`?email=`).
  const form = useForm({ ...INITIAL, email: params.get('email') ?? '' }, validate);

  const onSubmit = form.handleSubmit(async (values) => {
    await signIn.mutateAsync({ email: values.email.trim(), password: values.password });
    await refreshMe();
    navigate(next, { replace: true });
  });

  const signUpLink = next === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(next)}`;

  return (
    <AuthLayout
      title="Sign in to Keysmith"
      subtitle="Welcome back. Manage your organization's keys, spaces and team."
      footer={
        <>
          New to Keysmith? <Link to={signUpLink}>Create an account</Link>
        </>
      }
    >
      <form className="stack stack--lg" onSubmit={onSubmit} noValidate aria-label="Sign in">
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <TextField
          {...form.field('email')}
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder="you@company.com"
          autoFocus
        />
        <PasswordField {...form.field('password')} label="Password" autoComplete="current-password" />
        <Button type="submit" variant="primary" size="lg" block loading={signIn.isPending}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
