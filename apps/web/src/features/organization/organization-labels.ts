import type { BadgeTone } from '../../components';
import { dateTimeFormat } from '../../lib/format';
import type { OrgRole, Plan } from '../../lib/trpc';

export const ROLE_LABEL: Record<OrgRole, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

export const PLAN_LABEL: Record<Plan, string> = {
  free: 'Free',
  pro: 'Pro',
  team: 'Team',
  enterprise: 'Enterprise',
};

export const PLAN_TONE: Record<Plan, BadgeTone> = {
  free: 'neutral',
  pro: 'accent',
  team: 'info',
  enterprise: 'success',
};

/** Plans that include API keys (§3: the free plan shows an upgrade prompt instead). */
export function planIncludesApiKeys(plan: Plan): boolean {
  return plan !== 'free';
}

/** "Nov 22, 2026" in the user's locale. */
export function formatDate(iso: string | Date): string {
  return dateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));
}
