import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, DetailRow, TextField, useToast } from '../../components';
import { ArrowRightIcon } from '../../components/icons';
import { type Organization, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors } from '../../lib/validation';
import { storeOrganization } from '../organization/organization-cache';
import { SaveActions, SettingsCard } from './settings-card';
import { keyPreview, validateKeyPrefix } from './settings-form';

type PrefixField = 'keyPrefix';

const validate = (values: Record<PrefixField, string>) =>
  collectErrors<PrefixField>({ keyPrefix: validateKeyPrefix(values.keyPrefix) });

/**
 * The first segment of every key the organization issues. Changing it affects new keys only:
 * existing keys keep the prefix they were issued with, and keep working.
 */
export function KeyPrefixCard({
  organization,
  editable,
}: {
  organization: Organization;
  editable: boolean;
}): ReactNode {
  if (!editable) return <KeyPrefixFacts organization={organization} />;
  return <KeyPrefixForm key={organization.keyPrefix} organization={organization} />;
}

function KeyPrefixFacts({ organization }: { organization: Organization }): ReactNode {
  return (
    <SettingsCard
      title="API key prefix"
      description="The first part of every key this organization issues, so you and your customers can tell its keys apart at a glance."
      footerNote="Only owners and admins can change the prefix."
      flush
    >
      <dl className="detail-list">
        <div className="detail-list__row">
          <dt>Prefix</dt>
          <dd className="mono">{organization.keyPrefix}</dd>
        </div>
        <DetailRow label="Keys look like">
          <span className="mono">{keyPreview(organization.keyPrefix)}</span>
          <span className="text-muted"> or </span>
          <span className="mono">{keyPreview(organization.keyPrefix, 'test')}</span>
        </DetailRow>
      </dl>
    </SettingsCard>
  );
}

function KeyPrefixForm({ organization }: { organization: Organization }): ReactNode {
  const toast = useToast();
  const update = useMutation(trpc.organization.update.mutationOptions());
  const form = useForm<PrefixField>({ keyPrefix: organization.keyPrefix }, validate);
  const prefix = form.values.keyPrefix.trim();
  const dirty = prefix !== organization.keyPrefix;
  // Checked on every keystroke, so the preview says at once why a prefix cannot be used.
  const problem = validateKeyPrefix(prefix);
  const valid = problem === null;

  const onSubmit = form.handleSubmit(async () => {
    const saved = await update.mutateAsync({ orgId: organization.id, keyPrefix: prefix });
    storeOrganization(saved);
    toast({ title: 'Key prefix changed', description: `New keys start with ${keyPreview(saved.keyPrefix)}` });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-label="API key prefix">
      <SettingsCard
        title="API key prefix"
        description="The first part of every key this organization issues, so you and your customers can tell its keys apart at a glance."
        footerNote="2–8 lowercase letters or digits, starting with a letter."
        footerActions={
          <SaveActions
            dirty={dirty}
            pending={update.isPending}
            label="Save prefix"
            onCancel={() => form.setValue('keyPrefix', organization.keyPrefix)}
          />
        }
      >
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <div className="settings-grid">
          <TextField
            {...form.field('keyPrefix')}
            onChange={(event) => form.setValue('keyPrefix', event.target.value.toLowerCase())}
            label="Prefix"
            className="mono"
            maxLength={8}
            autoComplete="off"
            spellCheck={false}
            suffix={<span className="mono text-muted">_live_…</span>}
          />
          <div className="prefix-preview" aria-live="polite">
            <span className="prefix-preview__label">New keys will look like</span>
            <span className="prefix-preview__keys">
              {dirty && valid ? (
                <>
                  <code className="prefix-preview__key prefix-preview__key--old">
                    {keyPreview(organization.keyPrefix)}
                  </code>
                  <ArrowRightIcon size={14} className="prefix-preview__arrow" />
                  <code className="prefix-preview__key prefix-preview__key--new">{keyPreview(prefix)}</code>
                </>
              ) : (
                <code className="prefix-preview__key">{keyPreview(organization.keyPrefix)}</code>
              )}
            </span>
            {dirty && problem ? <span className="prefix-preview__problem">{problem}</span> : null}
          </div>
        </div>
        {dirty && valid ? (
          <Alert tone="warning" title="Existing keys keep their prefix">
            Keys issued before this change still start with{' '}
            <span className="mono">{organization.keyPrefix}_</span> and keep working. Only keys created
            afterwards start with <span className="mono">{prefix}_</span>.
          </Alert>
        ) : null}
      </SettingsCard>
    </form>
  );
}
