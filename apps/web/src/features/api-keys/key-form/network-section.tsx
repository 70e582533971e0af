import type { ReactNode } from 'react';
import { TextAreaField } from '../form-controls';
import { FormSection, type KeyForm } from './form-section';

/** The "Network" section: the IP allowlist, one address or range a line. */
export function NetworkSection({ id, form }: { id: string; form: KeyForm }): ReactNode {
  return (
    <FormSection id={id} title="Network">
      <div data-field="ipAllowlist">
        <TextAreaField
          label="IP allowlist"
          optional
          rows={3}
          className="mono"
          spellCheck={false}
          {...form.field('ipAllowlist')}
          placeholder={'203.0.113.7\n10.0.0.0/8\n2001:db8::/32'}
          hint="One IP address or CIDR range per line. Empty: calls from any IP are accepted."
        />
      </div>
    </FormSection>
  );
}
