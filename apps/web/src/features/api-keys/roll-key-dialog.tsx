import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Alert, Button, Dialog, Select, TextField } from '../../components';
import { describeError } from '../../lib/api-errors';
import { formatInstant } from '../../lib/format';
import { trpcClient } from '../../lib/trpc';
import { SegmentedField } from './form-controls';
import { type CustomGraceUnit, GRACE_PRESETS, type GraceChoice, graceSeconds } from './grace-period';
import { formatDuration } from './key-display';
import type { IssuedKey } from './key-reveal-dialog';
import type { KeyRecord } from './key-types';

export interface RollKeyDialogProps {
  open: boolean;
  orgId: string;
  record: KeyRecord;
  onClose: () => void;
  /** Receives the replacement (to show once) and the old key's record; never cached. */
  onRolled: (issued: IssuedKey) => void;
}

/** Issues a replacement key; the current one keeps working for the chosen grace period. */
export function RollKeyDialog(props: RollKeyDialogProps): ReactNode {
  if (!props.open) return null;
  return <RollKeyDialogBody {...props} />;
}

function RollKeyDialogBody({ orgId, record, onClose, onRolled }: RollKeyDialogProps): ReactNode {
  const formId = useId();
  const [choice, setChoice] = useState<GraceChoice>('24h');
  const [amount, setAmount] = useState('12');
  const [unit, setUnit] = useState<CustomGraceUnit>('hours');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);

  const roll = useMutation({
    mutationFn: async (gracePeriodSeconds: number) => {
      const { key, record: replacement } = await trpcClient.key.roll.mutate({
        orgId,
        keyId: record.id,
        gracePeriodSeconds,
      });
      const old = await trpcClient.key.byId.query({ orgId, keyId: record.id }).catch(() => record);
      onRolled({ key, record: replacement, replaces: old });
      return replacement;
    },
  });

  const grace = graceSeconds(choice, amount, unit);
  const endsAt = grace.ok ? new Date(Date.now() + grace.seconds * 1000).toISOString() : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!grace.ok) {
      setFieldError(grace.message);
      return;
    }
    setFieldError(undefined);
    roll.mutate(grace.seconds, {
      onError: (caught) => {
        const described = describeError(caught);
        const message = described.fields.gracePeriodSeconds;
        if (message) setFieldError(message);
        else setError(described.message);
      },
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!roll.isPending}
      title={`Roll ${record.name}`}
      description="Issue a new key with the same space, category, environment, scopes, quotas, rate limit and IP allowlist."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={roll.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={roll.isPending}>
            Roll key
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="stack stack--md">
        <SegmentedField
          legend="Keep the current key working for"
          name="grace"
          value={choice}
          options={[
            ...GRACE_PRESETS.map((preset) => ({ value: preset.choice, label: preset.label })),
            { value: 'custom' as const, label: 'Custom' },
          ]}
          onChange={(value) => {
            setChoice(value);
            setFieldError(undefined);
          }}
          hint="24 hours is the default; at most 7 days."
        />
        {choice === 'custom' ? (
          <div className="grace-custom">
            <TextField
              label="Grace period"
              inputMode="decimal"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              error={fieldError}
              autoComplete="off"
            />
            <Select
              label="Unit"
              value={unit}
              onChange={(event) => setUnit(event.target.value as CustomGraceUnit)}
              options={[
                { value: 'minutes', label: 'Minutes' },
                { value: 'hours', label: 'Hours' },
                { value: 'days', label: 'Days' },
              ]}
            />
          </div>
        ) : null}
        <Alert tone={grace.ok && grace.seconds === 0 ? 'warning' : 'info'}>
          {grace.ok ? (
            grace.seconds === 0 ? (
              <>The current key stops working as soon as the new one is issued.</>
            ) : (
              <>
                The current key <code className="key-preview">{record.preview}</code> keeps working for{' '}
                {formatDuration(grace.seconds)}, until about {endsAt ? formatInstant(endsAt) : ''}, and is
                then revoked automatically.
              </>
            )
          ) : (
            <>Choose a grace period of up to 7 days.</>
          )}
        </Alert>
        {error ? <Alert tone="danger">{error}</Alert> : null}
      </form>
    </Dialog>
  );
}
