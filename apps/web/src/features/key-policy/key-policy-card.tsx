import { type KeyPolicy, LEAK_RESPONSES, type LeakResponse, NO_KEY_POLICY } from '@keysmith/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Alert, Button, DetailRow, LoadFailedState, Skeleton, TextField, useToast } from '../../components';
import { describeError } from '../../lib/api-errors';
import { queryClient, trpc } from '../../lib/trpc';
import { CheckboxField, SegmentedField } from '../api-keys/form-controls';
import { SettingsCard } from '../settings/settings-card';
import {
  type DaysRule,
  describePolicy,
  formFromPolicy,
  type KeyPolicies,
  LEAK_RESPONSE_INFO,
  type PolicyFormErrors,
  type PolicyFormValues,
  policyFromForm,
  samePolicy,
  validatePolicyForm,
} from './policy-display';
import { PolicyPreviewDialog } from './policy-preview-dialog';
import './key-policy.css';

export interface KeyPolicyCardProps {
  orgId: string;
  orgSlug: string;
  /** A space's own rules; without it, the organization's defaults and leak response. */
  spaceId?: string;
  /** Whether the signed-in user may change these rules; otherwise they are shown read-only. */
  editable: boolean;
  /** Why the rules are read-only, shown in the footer. */
  readOnlyNote?: string;
}

/**
 * Key policy (§10) of the organization (defaults, and the leak response of §11) or of one space
 * (which may only tighten them). Saving goes through a review of what the rules do to existing
 * keys and when, so tightening a policy never silently breaks a key.
 */
export function KeyPolicyCard(props: KeyPolicyCardProps): ReactNode {
  const { orgId, spaceId } = props;
  const policies = useQuery(trpc.keyPolicy.get.queryOptions({ orgId, ...(spaceId ? { spaceId } : {}) }));
  const title = 'Key policy';
  const description = spaceId
    ? "Rules for this space's keys, on top of the organization's. A space can only make them stricter."
    : 'Rules for every key this organization issues, in every space. Spaces may tighten them.';
  if (policies.isPending) {
    return (
      <SettingsCard title={title} description={description}>
        <div className="stack stack--sm" aria-busy="true">
          <span className="sr-only" role="status">
            Loading the key policy
          </span>
          <Skeleton width="60%" />
          <Skeleton width="45%" />
          <Skeleton width="52%" />
        </div>
      </SettingsCard>
    );
  }
  if (policies.isError) {
    return (
      <SettingsCard title={title} description={description}>
        <LoadFailedState
          title="Couldn't load the key policy"
          description={describeError(policies.error).message}
          retrying={policies.isFetching}
          onRetry={() => void policies.refetch()}
          headingLevel={3}
        />
      </SettingsCard>
    );
  }
  const data = policies.data;
  const own = spaceId ? (data.space ?? NO_KEY_POLICY) : data.organization;
  if (!props.editable) {
    return <KeyPolicyFacts {...props} data={data} title={title} description={description} />;
  }
  return (
    <KeyPolicyForm
      // A saved policy remounts the form with the stored values.
      key={JSON.stringify([own, data.leakResponse])}
      {...props}
      data={data}
      own={own}
      title={title}
      description={description}
    />
  );
}

interface CardBodyProps extends KeyPolicyCardProps {
  data: KeyPolicies;
  title: string;
  description: string;
}

function KeyPolicyFacts({ data, spaceId, readOnlyNote, title, description }: CardBodyProps): ReactNode {
  const rules = describePolicy(data.effective);
  return (
    <SettingsCard
      title={title}
      description={description}
      footerNote={
        readOnlyNote ?? 'Only owners and admins (and space admins, for a space) can change the key policy.'
      }
      flush
    >
      <dl className="detail-list">
        <div className="detail-list__row">
          <dt>{spaceId ? 'Rules in this space' : 'Rules'}</dt>
          <dd>
            {rules.length === 0 ? (
              <span className="text-muted">No rules: keys may live forever and need no allowlist.</span>
            ) : (
              <ul className="policy-rules">
                {rules.map((rule) => (
                  <li key={rule}>{rule}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {spaceId ? null : (
          <DetailRow label="Leaked keys">
            {LEAK_RESPONSE_INFO[data.leakResponse].label}
            <span className="text-muted"> — {LEAK_RESPONSE_INFO[data.leakResponse].description}</span>
          </DetailRow>
        )}
      </dl>
    </SettingsCard>
  );
}

/** A "days" rule: empty for no rule; for a space, the organization's value as the hint. */
function DaysField({
  rule,
  label,
  values,
  errors,
  organization,
  hint,
  onChange,
}: {
  rule: DaysRule;
  label: string;
  values: PolicyFormValues;
  errors: PolicyFormErrors;
  organization: KeyPolicy | null;
  hint: string;
  onChange: (value: string) => void;
}): ReactNode {
  return (
    <TextField
      label={label}
      optional
      name={rule}
      inputMode="numeric"
      value={values[rule]}
      onChange={(event) => onChange(event.target.value)}
      error={errors[rule]}
      suffix={<span className="text-muted">days</span>}
      hint={organization ? inheritedHint(organization, rule) : hint}
    />
  );
}

function inheritedHint(organization: KeyPolicy, rule: DaysRule): string {
  const value = organization[rule];
  return value === null
    ? 'Organization: no rule'
    : `Organization: ${value} days; only fewer are allowed here`;
}

function KeyPolicyForm({
  orgId,
  orgSlug,
  spaceId,
  data,
  own,
  title,
  description,
}: CardBodyProps & { own: KeyPolicy }): ReactNode {
  const toast = useToast();
  const [values, setValues] = useState<PolicyFormValues>(() => formFromPolicy(own));
  const [leakResponse, setLeakResponse] = useState<LeakResponse>(data.leakResponse);
  const [errors, setErrors] = useState<PolicyFormErrors>({});
  const [reviewing, setReviewing] = useState<KeyPolicy | null>(null);
  const organization = spaceId ? data.organization : null;
  const saveOrganization = useMutation(trpc.keyPolicy.updateOrganization.mutationOptions());
  const saveSpace = useMutation(trpc.keyPolicy.updateSpace.mutationOptions());
  const saving = saveOrganization.isPending || saveSpace.isPending;
  const saveError = saveOrganization.error ?? saveSpace.error;

  const candidate =
    Object.keys(validatePolicyForm(values, organization)).length === 0 ? policyFromForm(values) : null;
  const dirty =
    candidate === null || !samePolicy(candidate, own) || (!spaceId && leakResponse !== data.leakResponse);

  const set = <F extends keyof PolicyFormValues>(field: F, value: PolicyFormValues[F]) => {
    const next = { ...values, [field]: value };
    setValues(next);
    // Once errors are shown, they follow the edits.
    if (Object.keys(errors).length > 0) setErrors(validatePolicyForm(next, organization));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validatePolicyForm(values, organization);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    saveOrganization.reset();
    saveSpace.reset();
    setReviewing(policyFromForm(values));
  };

  const save = async () => {
    if (!reviewing) return;
    try {
      const saved = spaceId
        ? await saveSpace.mutateAsync({ orgId, spaceId, policy: reviewing })
        : await saveOrganization.mutateAsync({ orgId, policy: reviewing, leakResponse });
      queryClient.setQueryData(
        trpc.keyPolicy.get.queryKey({ orgId, ...(spaceId ? { spaceId } : {}) }),
        saved,
      );
      // Other cards and the keys' statuses depend on it.
      await queryClient.invalidateQueries({ queryKey: trpc.keyPolicy.get.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.key.pathKey() });
      setReviewing(null);
      toast({ title: 'Key policy saved', description: 'It applies to every key of the scope from now on.' });
    } catch (error) {
      const fields = describeError(error).fields;
      const fromServer: PolicyFormErrors = {};
      for (const rule of ['maxLifetimeDays', 'idleDeactivateDays', 'rotationReminderDays'] as const) {
        const message = fields[`policy.${rule}`];
        if (message) fromServer[rule] = message;
      }
      if (Object.keys(fromServer).length > 0) {
        setErrors(fromServer);
        setReviewing(null);
      }
    }
  };

  const inheritedExpiry = organization?.requireExpiry === true;
  const inheritedAllowlist = organization?.requireIpAllowlistForLive === true;

  return (
    <>
      <form
        onSubmit={onSubmit}
        noValidate
        aria-label={spaceId ? 'Space key policy' : 'Organization key policy'}
      >
        <SettingsCard
          title={title}
          description={description}
          footerNote="Nothing changes for existing keys until you have reviewed what the new rules do to them."
          footerActions={
            <>
              {dirty ? (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setValues(formFromPolicy(own));
                    setLeakResponse(data.leakResponse);
                    setErrors({});
                  }}
                  disabled={saving}
                >
                  Cancel
                </Button>
              ) : null}
              <Button type="submit" variant="primary" disabled={!dirty}>
                Review and save
              </Button>
            </>
          }
        >
          <div className="stack stack--lg">
            {data.looser.length > 0 ? (
              <Alert tone="info" title="The organization's policy is stricter">
                {data.looser.map((l) => l.message).join('. ')}. Its rule applies here.
              </Alert>
            ) : null}
            <div className="policy-grid">
              <section className="policy-rule" aria-labelledby="policy-expiry">
                <h4 id="policy-expiry" className="policy-rule__title">
                  Expiry
                </h4>
                <CheckboxField
                  label="Require an expiry date"
                  description={
                    inheritedExpiry ? 'Required by the organization.' : 'Keys without an expiry are refused.'
                  }
                  checked={values.requireExpiry || inheritedExpiry}
                  disabled={inheritedExpiry}
                  onChange={(checked) => set('requireExpiry', checked)}
                />
                <DaysField
                  rule="maxLifetimeDays"
                  label="Longest lifetime"
                  values={values}
                  errors={errors}
                  organization={organization}
                  hint="Every key must expire at most this far ahead (implies an expiry)."
                  onChange={(value) => set('maxLifetimeDays', value)}
                />
              </section>
              <section className="policy-rule" aria-labelledby="policy-allowlist">
                <h4 id="policy-allowlist" className="policy-rule__title">
                  IP allowlist
                </h4>
                <CheckboxField
                  label="Live keys must have an IP allowlist"
                  description={
                    inheritedAllowlist
                      ? 'Required by the organization.'
                      : 'Test keys are exempt. Keys without an allowlist are refused.'
                  }
                  checked={values.requireIpAllowlistForLive || inheritedAllowlist}
                  disabled={inheritedAllowlist}
                  onChange={(checked) => set('requireIpAllowlistForLive', checked)}
                />
              </section>
              <section className="policy-rule" aria-labelledby="policy-idle">
                <h4 id="policy-idle" className="policy-rule__title">
                  Idle keys
                </h4>
                <DaysField
                  rule="idleDeactivateDays"
                  label="Deactivate keys unused for"
                  values={values}
                  errors={errors}
                  organization={organization}
                  hint="Counted from the last use (or creation, or reactivation). Reversible."
                  onChange={(value) => set('idleDeactivateDays', value)}
                />
              </section>
              <section className="policy-rule" aria-labelledby="policy-rotation">
                <h4 id="policy-rotation" className="policy-rule__title">
                  Rotation
                </h4>
                <DaysField
                  rule="rotationReminderDays"
                  label="Remind to rotate keys older than"
                  values={values}
                  errors={errors}
                  organization={organization}
                  hint="A notification and key.rotation_due webhook, once per period (e.g. 90)."
                  onChange={(value) => set('rotationReminderDays', value)}
                />
              </section>
            </div>
            {spaceId ? null : (
              <SegmentedField<LeakResponse>
                legend="When a key is found in public"
                name="leakResponse"
                value={leakResponse}
                onChange={setLeakResponse}
                options={LEAK_RESPONSES.map((value) => ({ value, label: LEAK_RESPONSE_INFO[value].label }))}
                hint={LEAK_RESPONSE_INFO[leakResponse].description}
              />
            )}
          </div>
        </SettingsCard>
      </form>
      {reviewing ? (
        <PolicyPreviewDialog
          open
          orgId={orgId}
          orgSlug={orgSlug}
          spaceId={spaceId}
          policy={reviewing}
          saving={saving}
          saveError={saveError}
          onSave={() => void save()}
          onClose={() => setReviewing(null)}
        />
      ) : null}
    </>
  );
}
