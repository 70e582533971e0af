import { PLAN_LIMITS, type Plan } from '@keysmith/domain';
import type { ReactNode } from 'react';
import { TextField } from '../../../components';
import { formatCount } from '../../../lib/format';
import { FormSection, type KeyForm } from './form-section';

/** The form's limit boxes: whole numbers typed as text, empty for no limit. */
type LimitField =
  | 'quotaTotal'
  | 'quotaDaily'
  | 'quotaWeekly'
  | 'quotaMonthly'
  | 'rateLimitPerSecond'
  | 'rateLimitPerMinute';

const QUOTA_BOXES: ReadonlyArray<readonly [LimitField, string, string]> = [
  ['quotaTotal', 'Total', 'All time'],
  ['quotaDaily', 'Daily', 'Last 24 h'],
  ['quotaWeekly', 'Weekly', 'Last 7 days'],
  ['quotaMonthly', 'Monthly', 'Last 30 days'],
];

/** The "Quotas and rate limit" section: one box a window, empty for no limit; rate limits capped by the plan. */
export function LimitsSection({ id, form, plan }: { id: string; form: KeyForm; plan: Plan }): ReactNode {
  const limits = PLAN_LIMITS[plan];
  const perSecond = formatCount(limits.perSecond);
  const perMinute = formatCount(limits.perMinute);
  return (
    <FormSection
      id={id}
      title="Quotas and rate limit"
      text="Quotas count credits over rolling windows. Leave a box empty for no limit."
    >
      <div className="form-grid form-grid--4">
        {QUOTA_BOXES.map(([field, label, hint]) => (
          <LimitBox key={field} form={form} field={field} label={label} hint={hint} placeholder="No limit" />
        ))}
      </div>
      <div className="form-grid">
        <LimitBox
          form={form}
          field="rateLimitPerSecond"
          label="Per second"
          placeholder={`Plan: ${perSecond}`}
          hint={`Requests per second for this key; at most the plan's ${perSecond}.`}
        />
        <LimitBox
          form={form}
          field="rateLimitPerMinute"
          label="Per minute"
          placeholder={`Plan: ${perMinute}`}
          hint={`Requests per minute; at most the plan's ${perMinute}.`}
        />
      </div>
    </FormSection>
  );
}

function LimitBox({
  form,
  field,
  label,
  hint,
  placeholder,
}: {
  form: KeyForm;
  field: LimitField;
  label: string;
  hint: string;
  placeholder: string;
}): ReactNode {
  return (
    <div data-field={field}>
      <TextField
        label={label}
        inputMode="numeric"
        {...form.field(field)}
        placeholder={placeholder}
        hint={hint}
        autoComplete="off"
      />
    </div>
  );
}
