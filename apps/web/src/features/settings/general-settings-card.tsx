import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, CopyButton, DetailRow, Logo, TextField, useToast } from '../../components';
import { navigate } from '../../lib/router';
import { type Organization, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors, validateRequired, validateSlug } from '../../lib/validation';
import { storeOrganization } from '../organization/organization-cache';
import { formatDate, ROLE_LABEL } from '../organization/organization-labels';
import { organizationPath, rememberOrganization } from '../organization/organization-preference';
import { SaveActions, SettingsCard } from './settings-card';

type GeneralField = 'name' | 'slug';

const validate = (values: Record<GeneralField, string>) =>
  collectErrors<GeneralField>({
    name: validateRequired(values.name, 'Enter a name for the organization'),
    slug: validateSlug(values.slug),
  });

/**
 * Name and URL slug. Owners and admins edit them; members see them read-only. A new slug
 * moves the dashboard to a new URL, so the page follows it.
 */
export function GeneralSettingsCard({
  organization,
  editable,
}: {
  organization: Organization;
  editable: boolean;
}): ReactNode {
  if (!editable) return <GeneralFacts organization={organization} />;
  // Re-mounted when the saved values change, so the form starts from what the server has.
  return <GeneralForm key={`${organization.name}\n${organization.slug}`} organization={organization} />;
}

/** What members see: the same facts, as text rather than disabled fields. */
function GeneralFacts({ organization }: { organization: Organization }): ReactNode {
  const url = `${window.location.origin}/o/${organization.slug}`;
  return (
    <SettingsCard
      title="General"
      description="How the organization is named across Keysmith, and where its dashboard lives."
      footerNote="Only owners and admins can change these settings."
      flush
    >
      <dl className="detail-list">
        <DetailRow label="Name">
          <span className="inline-flex">
            <Logo name={organization.name} seed={organization.slug} size="sm" />
            {organization.name}
          </span>
        </DetailRow>
        <DetailRow label="Dashboard URL">
          <CopyableValue value={url} label="Copy dashboard URL" />
        </DetailRow>
        <DetailRow label="Organization ID">
          <CopyableValue value={organization.id} label="Copy organization ID" />
        </DetailRow>
        <DetailRow label="Created">{formatDate(organization.createdAt)}</DetailRow>
        <DetailRow label="Your role">{ROLE_LABEL[organization.role]}</DetailRow>
      </dl>
    </SettingsCard>
  );
}

function GeneralForm({ organization }: { organization: Organization }): ReactNode {
  const toast = useToast();
  const update = useMutation(trpc.organization.update.mutationOptions());
  const form = useForm<GeneralField>({ name: organization.name, slug: organization.slug }, validate);
  const name = form.values.name.trim();
  const slug = form.values.slug.trim();
  const dirty = name !== organization.name || slug !== organization.slug;
  const slugChanged = slug !== organization.slug;

  const onSubmit = form.handleSubmit(async () => {
    const saved = await update.mutateAsync({
      orgId: organization.id,
      ...(name !== organization.name ? { name } : {}),
      ...(slugChanged ? { slug } : {}),
    });
    storeOrganization(saved);
    if (saved.slug !== organization.slug) {
      rememberOrganization(saved.slug);
      navigate(organizationPath(saved.slug, 'settings'), { replace: true });
    }
    toast(
      slugChanged
        ? { title: 'Organization updated', description: `Its dashboard now lives at /o/${saved.slug}.` }
        : { title: 'Organization updated' },
    );
  });

  const origin = window.location.origin;
  const url = `${origin}/o/${slug || organization.slug}`;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="General settings">
      <SettingsCard
        title="General"
        description="How the organization is named across Keysmith, and where its dashboard lives."
        footerNote={
          slugChanged
            ? 'Links and bookmarks to the old URL will stop working.'
            : 'Your teammates see the change at once.'
        }
        footerActions={
          <SaveActions
            dirty={dirty}
            pending={update.isPending}
            onCancel={() => {
              form.setValue('name', organization.name);
              form.setValue('slug', organization.slug);
            }}
          />
        }
      >
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <div className="settings-grid">
          <TextField
            {...form.field('name')}
            label="Organization name"
            maxLength={128}
            autoComplete="organization"
            prefix={<Logo name={name || organization.name} seed={organization.slug} size="xs" />}
          />
          <TextField
            {...form.field('slug')}
            onChange={(event) => form.setValue('slug', event.target.value.toLowerCase())}
            label="URL slug"
            prefix={`${window.location.host}/o/`}
            maxLength={48}
            autoComplete="off"
            spellCheck={false}
            hint={
              <>
                Dashboard URL: <span className="mono text-strong">{url}</span>
              </>
            }
          />
        </div>
        <dl className="settings-facts">
          <div>
            <dt>Organization ID</dt>
            <dd>
              <span className="mono">{organization.id}</span>
              <CopyButton value={organization.id} label="Copy organization ID" />
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDate(organization.createdAt)}</dd>
          </div>
          <div>
            <dt>Your role</dt>
            <dd>{ROLE_LABEL[organization.role]}</dd>
          </div>
        </dl>
      </SettingsCard>
    </form>
  );
}

/** A value in monospace with a button that copies it. */
function CopyableValue({ value, label }: { value: string; label: string }): ReactNode {
  return (
    <span className="inline-flex">
      <span className="mono">{value}</span>
      <CopyButton value={value} label={label} />
    </span>
  );
}
