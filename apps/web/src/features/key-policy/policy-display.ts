import {
  isValidPolicyDays,
  type KeyPolicy,
  type LeakResponse,
  looserThanOrganization,
  POLICY_DAYS_MAX,
  POLICY_PREVIEW_HORIZON_DAYS,
} from '@keysmith/domain';
import type { BadgeTone } from '../../components';
import { dateTimeFormat } from '../../lib/format';
import type { RouterOutputs } from '../../lib/trpc';

/**
 * How key policies (§10) and the leak response (§11) read in the admin, and the policy form's
 * state. Validation uses the domain's own rules (`isValidPolicyDays`, `looserThanOrganization`),
 * so the form refuses exactly what the server refuses. Pure, so it is tested.
 */

export type KeyPolicies = RouterOutputs['keyPolicy']['get'];
export type PolicyPreview = RouterOutputs['keyPolicy']['preview'];
export type PreviewKey = PolicyPreview['keys'][number];
export type PreviewConsequence = PreviewKey['consequences'][number];
export type KeyPolicyStatus = RouterOutputs['key']['byId']['policy'];

/** The "days" rules, in the order the editor shows them. */
export type DaysRule = 'maxLifetimeDays' | 'idleDeactivateDays' | 'rotationReminderDays';

export interface PolicyFormValues {
  requireExpiry: boolean;
  maxLifetimeDays: string;
  requireIpAllowlistForLive: boolean;
  idleDeactivateDays: string;
  rotationReminderDays: string;
}

export type PolicyFormErrors = Partial<Record<DaysRule, string>>;

const DAYS_RULES: readonly DaysRule[] = ['maxLifetimeDays', 'idleDeactivateDays', 'rotationReminderDays'];

export function formFromPolicy(policy: KeyPolicy): PolicyFormValues {
  const days = (value: number | null) => (value === null ? '' : String(value));
  return {
    requireExpiry: policy.requireExpiry,
    maxLifetimeDays: days(policy.maxLifetimeDays),
    requireIpAllowlistForLive: policy.requireIpAllowlistForLive,
    idleDeactivateDays: days(policy.idleDeactivateDays),
    rotationReminderDays: days(policy.rotationReminderDays),
  };
}

function parseDays(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/** The policy the form describes (call after {@link validatePolicyForm} found nothing). */
export function policyFromForm(values: PolicyFormValues): KeyPolicy {
  return {
    maxLifetimeDays: parseDays(values.maxLifetimeDays),
    requireExpiry: values.requireExpiry,
    idleDeactivateDays: parseDays(values.idleDeactivateDays),
    rotationReminderDays: parseDays(values.rotationReminderDays),
    requireIpAllowlistForLive: values.requireIpAllowlistForLive,
  };
}

/**
 * Field errors of the form: a whole number of days in bounds (or empty for "no rule"), and, for
 * a space, no rule looser than the organization's (`organization` given).
 */
export function validatePolicyForm(
  values: PolicyFormValues,
  organization: KeyPolicy | null,
): PolicyFormErrors {
  const errors: PolicyFormErrors = {};
  for (const rule of DAYS_RULES) {
    const days = parseDays(values[rule]);
    if (days !== null && !isValidPolicyDays(days)) {
      errors[rule] = `Enter a whole number of days from 1 to ${POLICY_DAYS_MAX}, or leave it empty`;
    }
  }
  if (organization && Object.keys(errors).length === 0) {
    for (const looser of looserThanOrganization(organization, policyFromForm(values))) {
      if (
        looser.field === 'maxLifetimeDays' ||
        looser.field === 'idleDeactivateDays' ||
        looser.field === 'rotationReminderDays'
      ) {
        errors[looser.field] = looser.message;
      }
    }
  }
  return errors;
}

export function samePolicy(a: KeyPolicy, b: KeyPolicy): boolean {
  return (
    a.maxLifetimeDays === b.maxLifetimeDays &&
    a.requireExpiry === b.requireExpiry &&
    a.idleDeactivateDays === b.idleDeactivateDays &&
    a.rotationReminderDays === b.rotationReminderDays &&
    a.requireIpAllowlistForLive === b.requireIpAllowlistForLive
  );
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** The rules of a policy as short sentences, strictest first; empty when it has none. */
export function describePolicy(policy: KeyPolicy): string[] {
  const lines: string[] = [];
  if (policy.maxLifetimeDays !== null) lines.push(`Keys must expire within ${days(policy.maxLifetimeDays)}`);
  else if (policy.requireExpiry) lines.push('Keys must have an expiry date');
  if (policy.requireIpAllowlistForLive) lines.push('Live keys must have an IP allowlist');
  if (policy.idleDeactivateDays !== null)
    lines.push(`Keys unused for ${days(policy.idleDeactivateDays)} are deactivated`);
  if (policy.rotationReminderDays !== null)
    lines.push(`Keys older than ${days(policy.rotationReminderDays)} are due for rotation`);
  return lines;
}

export const LEAK_RESPONSE_INFO: Record<LeakResponse, { label: string; description: string }> = {
  revoke: {
    label: 'Revoke',
    description: 'The key stops working for good within a second. Recommended: a leaked key is compromised.',
  },
  deactivate: {
    label: 'Deactivate',
    description: 'The key stops working within a second; an admin can reactivate it after checking.',
  },
  notify: {
    label: 'Notify only',
    description: 'The key keeps working; you are notified and decide. Only for keys you cannot cut off.',
  },
};

/** The key statuses a policy adds in lists and on the detail page. */
export interface PolicyBadge {
  label: string;
  tone: BadgeTone;
  /** The reason, for the tooltip and for screen readers. */
  title: string;
}

export function policyBadges(status: KeyPolicyStatus): PolicyBadge[] {
  const badges: PolicyBadge[] = [];
  if (status.violations.length > 0) {
    badges.push({
      label: 'Out of policy',
      tone: 'warning',
      title: `${status.violations.map((v) => v.message).join('. ')}. The key keeps working; its next change of that setting, or a roll, must comply.`,
    });
  }
  if (status.dueForRotation) {
    badges.push({
      label: 'Rotation due',
      tone: 'info',
      title: 'Older than the rotation period of its key policy: roll it to issue a replacement.',
    });
  }
  return badges;
}

const dayFormat = (timeZone: string | undefined) =>
  dateTimeFormat('en-US', { dateStyle: 'medium', timeZone });

/**
 * One consequence of a proposed policy for one key, in words: what happens and when. An
 * instant at or before the preview's `now` happens at the scheduler's next run after saving.
 */
export function describeConsequence(
  consequence: PreviewConsequence,
  now: string,
  timeZone: string | undefined = undefined,
): { text: string; when: string; tone: 'danger' | 'warning' | 'info' } {
  const at = consequence.at;
  const immediate = at !== null && Date.parse(at) <= Date.parse(now);
  const when =
    at === null
      ? 'Keeps working'
      : immediate
        ? 'When you save'
        : `On ${dayFormat(timeZone).format(new Date(at))}`;
  switch (consequence.kind) {
    case 'deactivate':
      return {
        text: immediate
          ? 'Deactivated: unused for longer than the idle period'
          : 'Deactivated unless used before then',
        when,
        tone: immediate ? 'danger' : 'warning',
      };
    case 'rotationReminder':
      return { text: 'Rotation reminder (notification and webhook)', when, tone: 'info' };
    case 'violation':
      return { text: `Out of policy: ${consequence.message ?? 'breaks a rule'}`, when, tone: 'warning' };
  }
}

/** The headline of a preview: how many keys are affected, and how. */
export function summarisePreview(preview: PolicyPreview): { title: string; lines: string[] } {
  const { counts, affected, keysChecked } = preview;
  if (affected === 0) {
    return {
      title: `No existing key is affected (${keysChecked} checked)`,
      lines: ['The rules apply to keys created, edited or rolled from now on.'],
    };
  }
  const lines: string[] = [];
  const keys = (n: number) => `${n} key${n === 1 ? '' : 's'}`;
  if (counts.deactivateNow > 0) lines.push(`${keys(counts.deactivateNow)} will be deactivated when you save`);
  if (counts.deactivateLater > 0)
    lines.push(
      `${keys(counts.deactivateLater)} will be deactivated within ${POLICY_PREVIEW_HORIZON_DAYS} days unless used`,
    );
  if (counts.remindNow > 0) lines.push(`${keys(counts.remindNow)} will be reminded to rotate when you save`);
  if (counts.remindLater > 0)
    lines.push(
      `${keys(counts.remindLater)} will be reminded to rotate within ${POLICY_PREVIEW_HORIZON_DAYS} days`,
    );
  if (counts.violations > 0)
    lines.push(
      `${counts.violations} rule${counts.violations === 1 ? '' : 's'} broken by existing keys, which keep working; the next change of that setting, or a roll, must comply`,
    );
  return { title: `${keys(affected)} of ${keysChecked} affected`, lines };
}
