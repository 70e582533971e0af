import { PLAN_LIMITS, type Plan } from '@keysmith/domain';
import type { ReactNode } from 'react';
import { TextField } from '../../../components';
import { formatDay } from '../../../lib/format';
import { CheckboxField, SegmentedField } from '../form-controls';
import type { ExpiryChoice } from '../key-form';
import { FormSection, type KeyForm } from './form-section';

/** The "Expiry" section: when the key expires (`Keep` when editing a key that has an expiry), and auto-renew. */
export function ExpirySection({
  id,
  form,
  plan,
  currentExpiry,
}: {
  id: string;
  form: KeyForm;
  plan: Plan;
  /** The edited key's expiry, offered as `Keep`. */
  currentExpiry: string | null;
}): ReactNode {
  const { values, errors, setValue } = form;
  const autoRenew = PLAN_LIMITS[plan].autoRenew;
  const options: Array<{ value: ExpiryChoice; label: string }> = [
    ...(currentExpiry ? [{ value: 'keep' as const, label: `Keep (${formatDay(currentExpiry)})` }] : []),
    { value: 'never', label: 'Never' },
    { value: '30d', label: '30 days' },
    { value: '90d', label: '90 days' },
    { value: 'custom', label: 'Custom' },
  ];
  return (
    <FormSection id={id} title="Expiry">
      <div className="expiry-row" data-field="expiresAt">
        <SegmentedField
          legend="Expires"
          name="expiry"
          value={values.expiry}
          options={options}
          onChange={(value) => setValue('expiry', value)}
          error={values.expiry === 'custom' ? undefined : errors.expiresAt}
        />
        {values.expiry === 'custom' ? (
          <TextField
            label="Expires at"
            type="datetime-local"
            value={values.customExpiry}
            onChange={(event) => setValue('customExpiry', event.target.value)}
            error={errors.expiresAt}
            hint="In your time zone."
          />
        ) : null}
      </div>
      <div data-field="autoRenew">
        <CheckboxField
          label="Renew automatically"
          checked={values.autoRenew}
          onChange={(checked) => setValue('autoRenew', checked)}
          disabled={!autoRenew}
          error={errors.autoRenew}
          description={
            autoRenew
              ? '7 days before expiry, the expiry moves forward by the key’s original lifetime.'
              : 'Available on the Enterprise plan.'
          }
        />
      </div>
    </FormSection>
  );
}
