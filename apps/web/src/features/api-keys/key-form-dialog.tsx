import { ADMIN_SCOPE, BUILTIN_CATEGORIES, PLAN_LIMITS, type Plan, parseScope } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Alert, Button, ButtonLink, Dialog, Select, TextField } from '../../components';
import { PlusIcon, XIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { classNames } from '../../lib/class-names';
import { formatCount, formatDay } from '../../lib/format';
import { trpc, trpcClient } from '../../lib/trpc';
import { KeyPolicyHint } from '../key-policy/key-policy-status';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { CheckboxField, SegmentedField, TextAreaField } from './form-controls';
import { CATEGORY_LABEL } from './key-display';
import {
  type CategoryChoice,
  type ExpiryChoice,
  emptyKeyForm,
  FIELD_ORDER,
  formFromRecord,
  type KeyFormErrors,
  type KeyFormValues,
  mapServerFieldErrors,
  toCreateInput,
  toPatch,
  validateKeyForm,
} from './key-form';
import { EnvironmentBadge, SpaceLabel } from './key-parts';
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

/** Create a key with every §2 field, or edit the fields §2.2 allows; inline validation on every field. */
export function KeyFormDialog(props: KeyFormDialogProps): ReactNode {
  if (!props.open) return null;
  return <KeyFormDialogBody {...props} />;
}

function KeyFormDialogBody(props: KeyFormDialogProps): ReactNode {
  const { organization } = useCurrentOrganization();
  const plan = organization.plan as Plan;
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  const creatableSpaces = useMemo(
    () =>
      props.mode === 'create' ? props.spaces.filter((space) => canCreateIn(organization.role, space)) : [],
    [props, organization.role],
  );
  const [values, setValues] = useState<KeyFormValues>(() =>
    props.mode === 'edit'
      ? formFromRecord(props.record)
      : emptyKeyForm(creatableSpaces.length === 1 ? (creatableSpaces[0]?.id ?? '') : ''),
  );
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);

  const scopeCatalog =
    props.mode === 'edit'
      ? props.scopeCatalog
      : (creatableSpaces.find((space) => space.id === values.spaceId)?.scopeCatalog ?? null);
  const validationContext = { mode: props.mode, plan, scopeCatalog, now: Date.now() };

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

  const set = <F extends keyof KeyFormValues>(field: F, value: KeyFormValues[F]) => {
    setValues((current) => {
      const next = { ...current, [field]: value };
      if (field === 'spaceId' && props.mode === 'create') {
        // Scopes the new space's catalog does not offer are dropped, not silently kept.
        const catalog = creatableSpaces.find((space) => space.id === value)?.scopeCatalog ?? [];
        next.scopes = current.scopes.filter((scope) => catalog.includes(scope));
      }
      if (submitted) setErrors(validateKeyForm(next, { ...validationContext, now: Date.now() }));
      return next;
    });
  };

  const focusFirstError = (found: KeyFormErrors) => {
    const first = FIELD_ORDER.find((field) => found[field]);
    if (!first) return;
    window.requestAnimationFrame(() => {
      const target = formRef.current?.querySelector<HTMLElement>(
        `[data-field="${first}"] [aria-invalid="true"], [data-field="${first}"] input, [data-field="${first}"] select, [data-field="${first}"] textarea, [data-field="${first}"] button`,
      );
      target?.focus();
    });
  };

  const showServerError = (error: unknown) => {
    const described = describeError(error);
    const { errors: fieldErrors, other } = mapServerFieldErrors(described.fields);
    setErrors(fieldErrors);
    const shownUnderField = Object.values(fieldErrors).includes(described.message);
    setFormError(other[0] ?? (shownUnderField ? null : described.message));
    focusFirstError(fieldErrors);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    setSubmitted(true);
    setFormError(null);
    const now = Date.now();
    const found = validateKeyForm(values, { ...validationContext, now });
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError(found);
      return;
    }
    if (props.mode === 'create') {
      create.mutate(toCreateInput(values, now), { onError: showServerError });
      return;
    }
    const patch = toPatch(props.record, values, now);
    if (Object.keys(patch).length === 0) {
      props.onClose();
      return;
    }
    update.mutate(
      { orgId: organization.id, keyId: props.record.id, patch },
      { onSuccess: (record) => props.onSaved(record), onError: showServerError },
    );
  };

  const limits = PLAN_LIMITS[plan];
  const noSpaces = props.mode === 'create' && creatableSpaces.length === 0;
  const expiryOptions: Array<{ value: ExpiryChoice; label: string }> = [
    ...(props.mode === 'edit' && props.record.expiresAt
      ? [{ value: 'keep' as const, label: `Keep (${formatDay(props.record.expiresAt)})` }]
      : []),
    { value: 'never', label: 'Never' },
    { value: '30d', label: '30 days' },
    { value: '90d', label: '90 days' },
    { value: 'custom', label: 'Custom' },
  ];

  return (
    <Dialog
      open
      onClose={props.onClose}
      dismissible={!pending}
      size="lg"
      className="key-form-dialog"
      title={props.mode === 'create' ? 'New API key' : `Edit ${props.record.name}`}
      description={
        props.mode === 'create'
          ? 'The full key is shown once, right after you create it.'
          : 'Changes apply to the key at once, on every API node.'
      }
      footer={
        <>
          <Button variant="secondary" onClick={props.onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={pending} disabled={noSpaces}>
            {props.mode === 'create' ? 'Create key' : 'Save changes'}
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
        <form id={formId} ref={formRef} onSubmit={submit} noValidate className="key-form">
          <KeyPolicyHint
            orgId={organization.id}
            spaceId={props.mode === 'create' ? values.spaceId : props.record.space.id}
          />
          <section className="form-section" aria-labelledby={`${formId}-basics`}>
            <h3 className="form-section__title" id={`${formId}-basics`}>
              Key
            </h3>
            <div className="form-grid">
              <div data-field="spaceId">
                {props.mode === 'create' ? (
                  <Select
                    label="Space"
                    value={values.spaceId}
                    placeholder="Choose a space…"
                    options={creatableSpaces.map((space) => ({ value: space.id, label: space.name }))}
                    onChange={(event) => set('spaceId', event.target.value)}
                    error={errors.spaceId}
                    hint="The space's catalog lists the scopes this key may hold."
                  />
                ) : (
                  <ReadOnlyField label="Space">
                    <SpaceLabel space={props.record.space} />
                  </ReadOnlyField>
                )}
              </div>
              <div data-field="environment">
                {props.mode === 'create' ? (
                  <SegmentedField
                    legend="Environment"
                    name="environment"
                    value={values.environment}
                    options={[
                      { value: 'live', label: 'Live' },
                      { value: 'test', label: 'Test' },
                    ]}
                    onChange={(value) => set('environment', value)}
                    hint={
                      <>
                        Keys start with{' '}
                        <code>
                          {organization.keyPrefix}_{values.environment}_
                        </code>
                      </>
                    }
                    error={errors.environment}
                  />
                ) : (
                  <ReadOnlyField label="Environment">
                    <EnvironmentBadge environment={props.record.environment} />
                  </ReadOnlyField>
                )}
              </div>
            </div>
            <div data-field="name">
              <TextField
                label="Name"
                value={values.name}
                onChange={(event) => set('name', event.target.value)}
                error={errors.name}
                placeholder="e.g. Checkout backend"
                autoComplete="off"
                maxLength={200}
                hint="Unique in the organization. Shown in the table and the audit log."
              />
            </div>
            <div data-field="description">
              <TextAreaField
                label="Description"
                optional
                rows={2}
                value={values.description}
                onChange={(event) => set('description', event.target.value)}
                error={errors.description}
                placeholder="Who uses this key, and for what"
              />
            </div>
            <div className="form-grid" data-field="category">
              <Select
                label="Category"
                value={values.categoryChoice}
                options={[
                  ...BUILTIN_CATEGORIES.map((category) => ({
                    value: category,
                    label: CATEGORY_LABEL[category],
                  })),
                  { value: 'custom', label: 'Custom label…' },
                ]}
                onChange={(event) => set('categoryChoice', event.target.value as CategoryChoice)}
                error={values.categoryChoice === 'custom' ? undefined : errors.category}
              />
              {values.categoryChoice === 'custom' ? (
                <TextField
                  label="Custom category"
                  value={values.customCategory}
                  onChange={(event) => set('customCategory', event.target.value)}
                  error={errors.category}
                  placeholder="partner-api"
                  autoComplete="off"
                  spellCheck={false}
                  hint="Lowercase letters, digits and dashes."
                />
              ) : null}
            </div>
          </section>

          <section className="form-section" data-field="scopes" aria-labelledby={`${formId}-scopes`}>
            <h3 className="form-section__title" id={`${formId}-scopes`}>
              Scopes
            </h3>
            <ScopePicker
              catalog={scopeCatalog}
              value={values.scopes}
              onChange={(scopes) => set('scopes', scopes)}
              error={errors.scopes}
              spaceChosen={Boolean(values.spaceId)}
            />
          </section>

          <section className="form-section" aria-labelledby={`${formId}-expiry`}>
            <h3 className="form-section__title" id={`${formId}-expiry`}>
              Expiry
            </h3>
            <div className="expiry-row" data-field="expiresAt">
              <SegmentedField
                legend="Expires"
                name="expiry"
                value={values.expiry}
                options={expiryOptions}
                onChange={(value) => set('expiry', value)}
                error={values.expiry === 'custom' ? undefined : errors.expiresAt}
              />
              {values.expiry === 'custom' ? (
                <TextField
                  label="Expires at"
                  type="datetime-local"
                  value={values.customExpiry}
                  onChange={(event) => set('customExpiry', event.target.value)}
                  error={errors.expiresAt}
                  hint="In your time zone."
                />
              ) : null}
            </div>
            <div data-field="autoRenew">
              <CheckboxField
                label="Renew automatically"
                checked={values.autoRenew}
                onChange={(checked) => set('autoRenew', checked)}
                disabled={!limits.autoRenew}
                error={errors.autoRenew}
                description={
                  limits.autoRenew
                    ? '7 days before expiry, the expiry moves forward by the key’s original lifetime.'
                    : 'Available on the Enterprise plan.'
                }
              />
            </div>
          </section>

          <section className="form-section" aria-labelledby={`${formId}-limits`}>
            <h3 className="form-section__title" id={`${formId}-limits`}>
              Quotas and rate limit
            </h3>
            <p className="form-section__text">
              Quotas count credits over rolling windows. Leave a box empty for no limit.
            </p>
            <div className="form-grid form-grid--4">
              {(
                [
                  ['quotaTotal', 'Total', 'All time'],
                  ['quotaDaily', 'Daily', 'Last 24 h'],
                  ['quotaWeekly', 'Weekly', 'Last 7 days'],
                  ['quotaMonthly', 'Monthly', 'Last 30 days'],
                ] as const
              ).map(([field, label, hint]) => (
                <div key={field} data-field={field}>
                  <TextField
                    label={label}
                    inputMode="numeric"
                    value={values[field]}
                    onChange={(event) => set(field, event.target.value)}
                    error={errors[field]}
                    placeholder="No limit"
                    hint={hint}
                    autoComplete="off"
                  />
                </div>
              ))}
            </div>
            <div className="form-grid">
              <div data-field="rateLimitPerSecond">
                <TextField
                  label="Per second"
                  inputMode="numeric"
                  value={values.rateLimitPerSecond}
                  onChange={(event) => set('rateLimitPerSecond', event.target.value)}
                  error={errors.rateLimitPerSecond}
                  placeholder={`Plan: ${formatCount(limits.perSecond)}`}
                  hint={`Requests per second for this key; at most the plan's ${formatCount(limits.perSecond)}.`}
                  autoComplete="off"
                />
              </div>
              <div data-field="rateLimitPerMinute">
                <TextField
                  label="Per minute"
                  inputMode="numeric"
                  value={values.rateLimitPerMinute}
                  onChange={(event) => set('rateLimitPerMinute', event.target.value)}
                  error={errors.rateLimitPerMinute}
                  placeholder={`Plan: ${formatCount(limits.perMinute)}`}
                  hint={`Requests per minute; at most the plan's ${formatCount(limits.perMinute)}.`}
                  autoComplete="off"
                />
              </div>
            </div>
          </section>

          <section className="form-section" aria-labelledby={`${formId}-network`}>
            <h3 className="form-section__title" id={`${formId}-network`}>
              Network
            </h3>
            <div data-field="ipAllowlist">
              <TextAreaField
                label="IP allowlist"
                optional
                rows={3}
                className="mono"
                spellCheck={false}
                value={values.ipAllowlist}
                onChange={(event) => set('ipAllowlist', event.target.value)}
                error={errors.ipAllowlist}
                placeholder={'203.0.113.7\n10.0.0.0/8\n2001:db8::/32'}
                hint="One IP address or CIDR range per line. Empty: calls from any IP are accepted."
              />
            </div>
          </section>

          {formError ? <Alert tone="danger">{formError}</Alert> : null}
        </form>
      )}
    </Dialog>
  );
}

function ReadOnlyField({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="field">
      <div className="field__label-row">
        <span className="field__label">{label}</span>
      </div>
      <div className="read-only-field">{children}</div>
      <p className="field__hint">Fixed when the key was created.</p>
    </div>
  );
}

function wildcardTitle(scope: string): string | undefined {
  const parsed = parseScope(scope);
  if (!parsed?.wildcard) return undefined;
  return scope === 'admin:*' ? 'Grants every scope' : `Grants every ${parsed.resource} action`;
}

/**
 * Scopes as chips from the space's catalog (wildcards marked). When the catalog holds a
 * resource wildcard, narrower scopes it grants can be typed in too (`orders:*` allows
 * `orders:refund`); `admin:*` is not one.
 */
function ScopePicker({
  catalog,
  value,
  onChange,
  error,
  spaceChosen,
}: {
  catalog: readonly string[] | null;
  value: readonly string[];
  onChange: (scopes: string[]) => void;
  error: string | undefined;
  spaceChosen: boolean;
}): ReactNode {
  const [draft, setDraft] = useState('');
  const id = useId();
  const listed = catalog ?? [];
  const extra = value.filter((scope) => !listed.includes(scope));
  // `admin:*` in a catalog allows only itself (§4), so it opens no box for other scopes.
  const allowsCustom = listed.some((scope) => scope !== ADMIN_SCOPE && parseScope(scope)?.wildcard);
  const toggle = (scope: string) =>
    onChange(value.includes(scope) ? value.filter((s) => s !== scope) : [...value, scope]);
  const addDraft = () => {
    const scope = draft.trim();
    if (!scope) return;
    if (!value.includes(scope)) onChange([...value, scope]);
    setDraft('');
  };

  useEffect(() => {
    if (!spaceChosen) setDraft('');
  }, [spaceChosen]);

  return (
    <fieldset
      className={classNames('field', 'scope-picker', error && 'field--invalid')}
      aria-describedby={error ? `${id}-error` : `${id}-hint`}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field__label">
        Scopes <span className="field__optional">{value.length} selected</span>
      </legend>
      {!spaceChosen ? (
        <p className="scope-picker__empty">Choose a space to see the scopes its keys may hold.</p>
      ) : catalog === null ? (
        <p className="scope-picker__empty">Loading the space's scope catalog…</p>
      ) : (
        <div className="scope-picker__chips">
          {[...listed, ...extra].map((scope) => {
            const selected = value.includes(scope);
            const wildcard = parseScope(scope)?.wildcard ?? false;
            return (
              <button
                key={scope}
                type="button"
                className={classNames('scope-chip', wildcard && 'scope-chip--wildcard')}
                aria-pressed={selected}
                title={wildcardTitle(scope)}
                onClick={() => toggle(scope)}
              >
                {selected ? (
                  <XIcon size={12} className="scope-chip__icon" />
                ) : (
                  <PlusIcon size={12} className="scope-chip__icon" />
                )}
                <span>{scope}</span>
              </button>
            );
          })}
        </div>
      )}
      {spaceChosen && allowsCustom ? (
        <div className="scope-picker__add">
          <TextField
            label="Add a scope the catalog's wildcards allow"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addDraft();
              }
            }}
            placeholder="orders:refund"
            autoComplete="off"
            spellCheck={false}
            className="mono"
          />
          <Button size="md" onClick={addDraft} disabled={!draft.trim()}>
            Add
          </Button>
        </div>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          A key with no scopes can still be verified, but passes no scope check. Wildcards (
          <code>orders:*</code>) grant every action of a resource.
        </p>
      )}
    </fieldset>
  );
}
