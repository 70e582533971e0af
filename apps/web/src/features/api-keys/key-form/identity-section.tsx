import { BUILTIN_CATEGORIES } from '@keysmith/domain';
import type { ReactNode } from 'react';
import { Select, TextField } from '../../../components';
import { SegmentedField, TextAreaField } from '../form-controls';
import { CATEGORY_LABEL } from '../key-display';
import type { CategoryChoice, KeyFormField } from '../key-form';
import { EnvironmentBadge, SpaceLabel } from '../key-parts';
import type { KeyRecord, SpaceSummary } from '../key-types';
import { FormSection, type KeyForm } from './form-section';

const ENVIRONMENTS = [
  { value: 'live', label: 'Live' },
  { value: 'test', label: 'Test' },
] as const;

const CATEGORY_OPTIONS = [
  ...BUILTIN_CATEGORIES.map((category) => ({ value: category, label: CATEGORY_LABEL[category] })),
  { value: 'custom', label: 'Custom label…' },
];

/**
 * The "Key" section: space and environment (chosen when creating, fixed after), name,
 * description and category.
 */
export function IdentitySection({
  id,
  form,
  keyPrefix,
  spaces,
  record,
}: {
  id: string;
  form: KeyForm;
  keyPrefix: string;
  /** The spaces a key can be created in; `null` when editing `record`. */
  spaces: readonly SpaceSummary[] | null;
  record: KeyRecord | null;
}): ReactNode {
  const { values, errors, setValue } = form;
  return (
    <FormSection id={id} title="Key">
      <div className="form-grid">
        <FixedOnEdit field="spaceId" label="Space" fixed={record && <SpaceLabel space={record.space} />}>
          <Select
            label="Space"
            value={values.spaceId}
            placeholder="Choose a space…"
            options={(spaces ?? []).map((space) => ({ value: space.id, label: space.name }))}
            onChange={(event) => setValue('spaceId', event.target.value)}
            error={errors.spaceId}
            hint="The space's catalog lists the scopes this key may hold."
          />
        </FixedOnEdit>
        <FixedOnEdit
          field="environment"
          label="Environment"
          fixed={record && <EnvironmentBadge environment={record.environment} />}
        >
          <SegmentedField
            legend="Environment"
            name="environment"
            value={values.environment}
            options={ENVIRONMENTS}
            onChange={(value) => setValue('environment', value)}
            hint={
              <>
                Keys start with{' '}
                <code>
                  {keyPrefix}_{values.environment}_
                </code>
              </>
            }
            error={errors.environment}
          />
        </FixedOnEdit>
      </div>
      <div data-field="name">
        <TextField
          label="Name"
          {...form.field('name')}
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
          {...form.field('description')}
          placeholder="Who uses this key, and for what"
        />
      </div>
      <div className="form-grid" data-field="category">
        <Select
          label="Category"
          value={values.categoryChoice}
          options={CATEGORY_OPTIONS}
          onChange={(event) => setValue('categoryChoice', event.target.value as CategoryChoice)}
          error={values.categoryChoice === 'custom' ? undefined : errors.category}
        />
        {values.categoryChoice === 'custom' ? (
          <TextField
            label="Custom category"
            value={values.customCategory}
            onChange={(event) => setValue('customCategory', event.target.value)}
            error={errors.category}
            placeholder="partner-api"
            autoComplete="off"
            spellCheck={false}
            hint="Lowercase letters, digits and dashes."
          />
        ) : null}
      </div>
    </FormSection>
  );
}

/** A field chosen when the key is created: its control then, and a read-only `fixed` value once `fixed` is given. */
function FixedOnEdit({
  field,
  label,
  fixed,
  children,
}: {
  field: KeyFormField;
  label: string;
  fixed: ReactNode;
  children: ReactNode;
}): ReactNode {
  return (
    <div data-field={field}>
      {fixed ? (
        <div className="field">
          <div className="field__label-row">
            <span className="field__label">{label}</span>
          </div>
          <div className="read-only-field">{fixed}</div>
          <p className="field__hint">Fixed when the key was created.</p>
        </div>
      ) : (
        children
      )}
    </div>
  );
}
