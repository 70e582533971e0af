import { PLAN_LIMITS, PLANS } from '@keysmith/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Badge, Button, ConfirmDialog, useToast } from '../../components';
import { CheckIcon, InfoIcon, XIcon } from '../../components/icons';
import { classNames } from '../../lib/class-names';
import { type Organization, type Plan, trpc } from '../../lib/trpc';
import { storeOrganization } from '../organization/organization-cache';
import { PLAN_LABEL } from '../organization/organization-labels';
import { SettingsCard } from './settings-card';

const PLAN_TAGLINE: Record<Plan, string> = {
  free: 'Explore Keysmith and set up your spaces',
  pro: 'Your first API in production',
  team: 'Several APIs and a growing team',
  enterprise: 'High-volume APIs with keys that renew themselves',
};

const number = new Intl.NumberFormat('en-US');

function rank(plan: Plan): number {
  return PLANS.indexOf(plan);
}

/** What switching from one plan to another means, for the confirmation (the table shows the numbers). */
function switchConsequences(from: Plan, to: Plan): string {
  const now = 'The new limits apply to every key of the organization as soon as you confirm.';
  if (!PLAN_LIMITS[to].apiKeys) {
    return `${now} The Free plan does not include API keys: nobody can issue new keys until you upgrade again. Existing keys keep working.`;
  }
  if (PLAN_LIMITS[from].autoRenew && !PLAN_LIMITS[to].autoRenew) {
    return `${now} Auto-renewing keys are an Enterprise feature.`;
  }
  return `${now} There is no payment step.`;
}

function Feature({ included, children }: { included: boolean; children: ReactNode }): ReactNode {
  return (
    <li className={classNames('plan-tile__feature', !included && 'plan-tile__feature--off')}>
      {included ? <CheckIcon size={14} /> : <XIcon size={14} />}
      <span>{children}</span>
      <span className="sr-only">{included ? '(included)' : '(not included)'}</span>
    </li>
  );
}

function yesNo(value: boolean): string {
  return value ? 'Included' : 'Not included';
}

/** The confirmation's body: what changes, row by row. */
function PlanComparison({ from, to }: { from: Plan; to: Plan }): ReactNode {
  const a = PLAN_LIMITS[from];
  const b = PLAN_LIMITS[to];
  const rows: Array<[string, string, string]> = [
    ['Requests per second', number.format(a.perSecond), number.format(b.perSecond)],
    ['Requests per minute', number.format(a.perMinute), number.format(b.perMinute)],
    ['API keys', yesNo(a.apiKeys), yesNo(b.apiKeys)],
    ['Auto-renewing keys', yesNo(a.autoRenew), yesNo(b.autoRenew)],
  ];
  return (
    <table className="plan-compare">
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Limit</span>
          </th>
          <th scope="col">{PLAN_LABEL[from]}</th>
          <th scope="col">{PLAN_LABEL[to]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, before, after]) => (
          <tr key={label} data-changed={before !== after || undefined}>
            <th scope="row">{label}</th>
            <td>{before}</td>
            <td>{after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The four plans of §3 side by side, the current one marked. Owners switch plans (after a
 * confirmation); everyone else is told who can.
 */
export function PlanCard({ organization }: { organization: Organization }): ReactNode {
  const toast = useToast();
  const canChange = organization.role === 'owner';
  const [target, setTarget] = useState<Plan | null>(null);
  const changePlan = useMutation(trpc.organization.changePlan.mutationOptions());
  const members = useQuery({
    ...trpc.member.list.queryOptions({ orgId: organization.id }),
    enabled: !canChange,
  });
  const owners = (members.data ?? []).filter((member) => member.role === 'owner').map((m) => m.displayName);

  return (
    <SettingsCard
      id="plan"
      title="Plan"
      description="Rate limits apply across all keys of the organization; a key may carry a stricter limit of its own."
      aside={<Badge tone="accent">{PLAN_LABEL[organization.plan]} plan</Badge>}
      footerNote={
        canChange ? (
          'Plans switch at once; there is no payment step in this installation.'
        ) : (
          <span className="inline-flex">
            <InfoIcon size={14} />
            <span>
              Only owners can change the plan.{' '}
              {owners.length > 0
                ? `Ask an owner: ${owners.join(', ')}.`
                : 'Ask an owner of the organization.'}
            </span>
          </span>
        )
      }
    >
      <ul className="plan-grid" aria-label="Plans">
        {PLANS.map((plan) => {
          const limits = PLAN_LIMITS[plan];
          const current = plan === organization.plan;
          const upgrade = rank(plan) > rank(organization.plan);
          return (
            <li
              key={plan}
              className={classNames('plan-tile', current && 'plan-tile--current')}
              aria-current={current || undefined}
              aria-label={`${PLAN_LABEL[plan]} plan${current ? ' (current)' : ''}`}
            >
              <div className="plan-tile__head">
                <h3 className="plan-tile__name">{PLAN_LABEL[plan]}</h3>
                {current ? (
                  <Badge tone="accent">
                    <CheckIcon size={12} /> Current
                  </Badge>
                ) : null}
              </div>
              <p className="plan-tile__tagline">{PLAN_TAGLINE[plan]}</p>
              <dl className="plan-tile__limits">
                <div>
                  <dt>per second</dt>
                  <dd className="tabular">{number.format(limits.perSecond)}</dd>
                </div>
                <div>
                  <dt>per minute</dt>
                  <dd className="tabular">{number.format(limits.perMinute)}</dd>
                </div>
              </dl>
              <ul className="plan-tile__features">
                <Feature included={limits.apiKeys}>API keys</Feature>
                <Feature included={limits.autoRenew}>Auto-renewing keys</Feature>
              </ul>
              {canChange && !current ? (
                <Button
                  variant="secondary"
                  block
                  className="plan-tile__action"
                  onClick={() => setTarget(plan)}
                >
                  {upgrade ? `Upgrade to ${PLAN_LABEL[plan]}` : `Switch to ${PLAN_LABEL[plan]}`}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={target !== null}
        onClose={() => setTarget(null)}
        title={target ? `Switch ${organization.name} to ${PLAN_LABEL[target]}?` : ''}
        description={target ? switchConsequences(organization.plan, target) : ''}
        confirmLabel={target ? `Switch to ${PLAN_LABEL[target]}` : 'Switch'}
        tone={target && rank(target) > rank(organization.plan) ? 'primary' : 'danger'}
        onConfirm={async () => {
          if (!target) return;
          const saved = await changePlan.mutateAsync({ orgId: organization.id, plan: target });
          storeOrganization(saved);
          toast({ title: `You're on the ${PLAN_LABEL[saved.plan]} plan` });
        }}
      >
        {target ? <PlanComparison from={organization.plan} to={target} /> : null}
      </ConfirmDialog>
    </SettingsCard>
  );
}
