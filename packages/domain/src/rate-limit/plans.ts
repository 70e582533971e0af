/** The subscription plans (§1), from smallest to largest. */
export const PLANS = ['free', 'pro', 'team', 'enterprise'] as const;
/** `free`, `pro`, `team` or `enterprise`. */
export type Plan = (typeof PLANS)[number];

/** What a plan allows (§3): account-wide rate caps and plan features. */
export interface PlanLimits {
  /** At most this many requests admitted in any 1-second span, across all keys of the organization. */
  readonly perSecond: number;
  /** At most this many requests admitted in any 60-second span, across all keys of the organization. */
  readonly perMinute: number;
  /** Whether the plan includes API keys; when not, the admin shows an upgrade prompt. */
  readonly apiKeys: boolean;
  /** Whether keys may auto-renew before expiry (§2.2). */
  readonly autoRenew: boolean;
}

/** The defaults of §3, per plan. A key's own override may only be stricter. */
export const PLAN_LIMITS: { readonly [P in Plan]: PlanLimits } = {
  free: { perSecond: 5, perMinute: 60, apiKeys: false, autoRenew: false },
  pro: { perSecond: 20, perMinute: 300, apiKeys: true, autoRenew: false },
  team: { perSecond: 50, perMinute: 600, apiKeys: true, autoRenew: false },
  enterprise: { perSecond: 200, perMinute: 3000, apiKeys: true, autoRenew: true },
};

/** Whether `value` names a plan (for parsing stored or submitted values). */
export function isPlan(value: string): value is Plan {
  return (PLANS as readonly string[]).includes(value);
}
