import { slugify } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Alert, Button, Logo, PersonAvatar, TextField, useToast } from '../../components';
import { ArrowLeftIcon, LogOutIcon } from '../../components/icons';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, navigate } from '../../lib/router';
import { type Me, queryClient, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateRequired, validateSlug } from '../../lib/validation';
import { AuthLayout } from '../auth/auth-layout';
import { refreshMe, useSignOut } from '../auth/session';
import {
  organizationPath,
  pickOrganization,
  readRememberedOrganization,
  rememberOrganization,
} from './organization-preference';
import { OrganizationShowcase } from './organization-showcase';

type OrgField = 'name' | 'slug';

const INITIAL: Record<OrgField, string> = { name: '', slug: '' };

const validate = (values: Record<OrgField, string>) =>
  collectErrors<OrgField>({
    name: validateRequired(values.name, 'Enter a name for your organization'),
    slug: validateSlug(values.slug),
  });

/**
 * "Create your organization": the onboarding step after sign-up, and the page behind the
 * switcher's "Create organization". The slug follows the name until the user edits it.
 */
export function CreateOrganizationPage({ me }: { me: Me }): ReactNode {
  const first = me.organizations.length === 0;
  useDocumentTitle(first ? 'Create your organization' : 'New organization');
  const toast = useToast();
  const create = useMutation(trpc.organization.create.mutationOptions());
  const signOut = useSignOut();
  const form = useForm(INITIAL, validate);
  const [slugEdited, setSlugEdited] = useState(false);
  const back = pickOrganization(me.organizations, readRememberedOrganization());

  const onNameChange = (name: string) => {
    form.setValue('name', name);
    if (!slugEdited) form.setValue('slug', slugify(name));
  };

  const onSubmit = form.handleSubmit(async (values) => {
    const organization = await create.mutateAsync({ name: values.name.trim(), slug: values.slug.trim() });
    rememberOrganization(organization.slug);
    await Promise.all([refreshMe(), queryClient.invalidateQueries(trpc.organization.list.queryFilter())]);
    toast({ title: `${organization.name} is ready`, description: 'You are its owner.' });
    navigate(organizationPath(organization.slug), { replace: first });
  });

  const host = window.location.host;
  const slug = form.values.slug.trim();
  const previewName = form.values.name.trim() || 'Your organization';

  return (
    <AuthLayout
      title={first ? 'Create your organization' : 'Create an organization'}
      subtitle={
        first
          ? `Welcome, ${me.user.displayName.split(' ')[0] ?? me.user.displayName}. An organization holds your spaces, API keys and team. You can invite people once it's set up.`
          : 'A separate workspace with its own spaces, keys, members and plan. You will be its owner.'
      }
      showcase={<OrganizationShowcase name={previewName} slug={slug} />}
      topRight={
        <div className="auth__account">
          <PersonAvatar person={me.user} size="sm" />
          <span className="auth__account-email">{me.user.email}</span>
          <Button
            variant="ghost"
            size="sm"
            icon={<LogOutIcon size={14} />}
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
          >
            Sign out
          </Button>
        </div>
      }
      footer={
        back && !first ? (
          <Link to={organizationPath(back.slug)} className="auth__back">
            <ArrowLeftIcon size={14} /> Back to {back.name}
          </Link>
        ) : undefined
      }
    >
      <form className="stack stack--lg" onSubmit={onSubmit} noValidate aria-label="Create organization">
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <div className="org-preview" aria-hidden="true">
          <Logo name={previewName} seed={slug || previewName} size="lg" />
          <div className="org-preview__text">
            <span className="org-preview__name">{previewName}</span>
            <span className="org-preview__meta">Free plan · Owner</span>
          </div>
        </div>
        <TextField
          {...form.field('name')}
          onChange={(event) => onNameChange(event.target.value)}
          label="Organization name"
          placeholder="Acme Inc."
          autoComplete="organization"
          maxLength={128}
          autoFocus
        />
        <TextField
          {...form.field('slug')}
          onChange={(event) => {
            setSlugEdited(true);
            form.setValue('slug', event.target.value.toLowerCase());
          }}
          label="URL slug"
          prefix={`${host}/o/`}
          placeholder="acme-inc"
          autoComplete="off"
          spellCheck={false}
          maxLength={48}
          hint={
            slug ? (
              <>
                Your dashboard will live at{' '}
                <span className="mono text-strong">
                  {window.location.origin}/o/{slug}
                </span>
              </>
            ) : (
              'Lowercase letters, digits and dashes. Shown in your dashboard URL.'
            )
          }
        />
        <Button type="submit" variant="primary" size="lg" block loading={create.isPending}>
          Create organization
        </Button>
      </form>
    </AuthLayout>
  );
}
