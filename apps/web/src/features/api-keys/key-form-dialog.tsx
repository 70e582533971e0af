import type { Plan } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useCallback, useId, useMemo } from 'react';
import { Alert, Button, ButtonLink, Dialog } from '../../components';
import { trpc, trpcClient } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { KeyPolicyHint } from '../key-policy/key-policy-status';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import {
  emptyKeyForm,
  FIELD_ORDER,
  formFromRecord,
  type KeyFormField,
  type KeyFormValues,
  mapServerFieldErrors,
  toCreateInput,
  toPatch,
  validateKeyForm,
} from './key-form';
import { ExpirySection } from './key-form/expiry-section';
import { IdentitySection } from './key-form/identity-section';
import { LimitsSection } from './key-form/limits-section';
import { NetworkSection } from './key-form/network-section';
import { ScopesSection } from './key-form/scopes-section';
import { canCreateIn } from './key-permissions';
import type { IssuedKey } from './key-reveal-dialog';
import type { KeyRecord, SpaceSummary } from './key-types';

type KeyFormDialogProps =
  | {
      mode: 'create';
      open: boolean;
      onClose: () => void;
      spaces: readonly SpaceSummary[];
      /** Receives the new key (to show once) and its record. */
      onCreated: (issued: IssuedKey) => void;
    }
  | {
      mode: 'edit';
      open: boolean;
      onClose: () => void;
      record: KeyRecord;
      /** The key's space's catalog, or `null` when unknown (the server still checks). */
      scopeCatalog: readonly string[] | null;
      onSaved: (record: KeyRecord) => void;
    };

/**
 * Create a key with every §2 field, or edit the fields §2.2 allows; inline validation on every
 * field. The form is `useForm` over `key-form.ts`, shown in the sections under `key-form/`.
 */
export function KeyFormDialog(props: KeyFormDialogProps): ReactNode {
  if (!props.open) return null;
  return <KeyFormDialogBody {...props} />;
}

function KeyFormDialogBody(props: KeyFormDialogProps): ReactNode {
  const { organization } = useCurrentOrganization();
  const plan = organization.plan as Plan;
  const formId = useId();
  const record = props.mode === 'edit' ? props.record : null;

  const creatableSpaces = useMemo(
    () =>
      props.mode === 'create' ? props.spaces.filter((space) => canCreateIn(organization.role, space)) : [],
    [props, organization.role],
  );
  const catalogOf = useCallback(
    (spaceId: string) => creatableSpaces.find((space) => space.id === spaceId)?.scopeCatalog ?? null,
    [creatableSpaces],
  );
  // Scopes the new space's catalog does not offer are dropped, not silently kept.
  const derive = useCallback(
    (next: KeyFormValues, changed: keyof KeyFormValues) =>
      changed === 'spaceId' && props.mode === 'create'
        ? { ...next, scopes: next.scopes.filter((scope) => (catalogOf(next.spaceId) ?? []).includes(scope)) }
        : next,
    [props.mode, catalogOf],
  );
  const validate = useCallback(
    (values: KeyFormValues) =>
      validateKeyForm(values, {
        mode: props.mode,
        plan,
        scopeCatalog: props.mode === 'edit' ? props.scopeCatalog : catalogOf(values.spaceId),
        now: Date.now(),
      }),
    [props, plan, catalogOf],
  );
  const form = useForm<KeyFormField, KeyFormValues>(
    record
      ? formFromRecord(record)
      : emptyKeyForm(creatableSpaces.length === 1 ? (creatableSpaces[0]?.id ?? '') : ''),
    validate,
    { derive, revalidate: 'form', fieldOrder: FIELD_ORDER, serverErrors: mapServerFieldErrors },
  );
  const { values } = form;

  const create = useMutation({
    // The full key goes straight to the caller's state; the mutation cache keeps only the record.
    mutationFn: async (input: ReturnType<typeof toCreateInput>) => {
      const { key, record } = await trpcClient.key.create.mutate({ orgId: organization.id, ...input });
      if (props.mode === 'create') props.onCreated({ key, record });
      return record;
    },
  });
  const update = useMutation(trpc.key.update.mutationOptions());
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit(async (valid) => {
    const now = Date.now();
    if (!record) return create.mutateAsync(toCreateInput(valid, now));
    const patch = toPatch(record, valid, now);
    if (Object.keys(patch).length === 0) return props.onClose();
    if (props.mode === 'edit') {
      props.onSaved(await update.mutateAsync({ orgId: organization.id, keyId: record.id, patch }));
    }
  });

  const noSpaces = props.mode === 'create' && creatableSpaces.length === 0;

  return (
    <Dialog
      open
      onClose={props.onClose}
      dismissible={!pending}
      size="lg"
      className="key-form-dialog"
      title={record ? `Edit ${record.name}` : 'New API key'}
      description={
        record
          ? 'Changes apply to the key at once, on every API node.'
          : 'The full key is shown once, right after you create it.'
      }
      footer={
        <>
          <Button variant="secondary" onClick={props.onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={pending} disabled={noSpaces}>
            {record ? 'Save changes' : 'Create key'}
          </Button>
        </>
      }
    >
      {noSpaces ? (
        <Alert
          tone="info"
          title="Create a space first"
          action={
            <ButtonLink to={organizationPath(organization.slug, 'spaces')} size="sm" onClick={props.onClose}>
              Go to spaces
            </ButtonLink>
          }
        >
          Every key belongs to a space, which defines the scopes it may hold. There is no space you can issue
          keys in yet.
        </Alert>
      ) : (
        <form
          id={formId}
          onSubmit={pending ? (event) => event.preventDefault() : submit}
          noValidate
          className="key-form"
        >
          <KeyPolicyHint orgId={organization.id} spaceId={record ? record.space.id : values.spaceId} />
          <IdentitySection
            id={`${formId}-basics`}
            form={form}
            keyPrefix={organization.keyPrefix}
            spaces={record ? null : creatableSpaces}
            record={record}
          />
          <ScopesSection
            id={`${formId}-scopes`}
            form={form}
            catalog={props.mode === 'edit' ? props.scopeCatalog : catalogOf(values.spaceId)}
          />
          <ExpirySection
            id={`${formId}-expiry`}
            form={form}
            plan={plan}
            currentExpiry={record?.expiresAt ?? null}
          />
          <LimitsSection id={`${formId}-limits`} form={form} plan={plan} />
          <NetworkSection id={`${formId}-network`} form={form} />
          {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        </form>
      )}
    </Dialog>
  );
}
