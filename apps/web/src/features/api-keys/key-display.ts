import { type BUILTIN_CATEGORIES, QUOTA_WINDOW_NAMES, type QuotaWindowName } from '@keysmith/domain';
import type { BadgeTone } from '../../components';
import { formatCount } from '../../lib/format';
import type { KeyEnvironment, KeyRecord, KeyStatus } from './key-types';

/**
 * How keys are named and shown across the keys screens: labels, badge tones, and the number
 * and time formats. Pure, so the wording is tested once and every screen says the same.
 */

export const STATUS_LABEL: Record<KeyStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  revoked: 'Revoked',
};

export const STATUS_TONE: Record<KeyStatus, BadgeTone> = {
  active: 'success',
  inactive: 'neutral',
  expired: 'warning',
  revoked: 'danger',
};

export const ENVIRONMENT_LABEL: Record<KeyEnvironment, string> = { live: 'Live', test: 'Test' };

export const CATEGORY_LABEL: Record<(typeof BUILTIN_CATEGORIES)[number], string> = {
  production: 'Production',
  development: 'Development',
  staging: 'Staging',
};

/** "Production" for built-in categories; custom labels are shown as typed. */
export function categoryLabel(category: string): string {
  return (CATEGORY_LABEL as Record<string, string>)[category] ?? category;
}

export const QUOTA_WINDOW_LABEL: Record<QuotaWindowName, string> = {
  total: 'Total',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

/** "rolling 24 h" etc.: quotas roll, they are not calendar periods (§3). */
export const QUOTA_WINDOW_SPAN: Record<QuotaWindowName, string> = {
  total: 'all time',
  daily: 'last 24 hours',
  weekly: 'last 7 days',
  monthly: 'last 30 days',
};

/** "1 hour", "24 hours", "7 days", "90 seconds": a grace period or duration in words. */
export function formatDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds === 0) return 'no grace period';
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return plural(seconds / 86_400, 'day');
  if (seconds % 3_600 === 0) return plural(seconds / 3_600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/**
 * A rolled key keeps its record under a name the server makes unique (`Name (rolled, key_…)`);
 * the screens show the original name and say "Rolled" with a badge instead.
 */
export function keyDisplayName(key: Pick<KeyRecord, 'name' | 'id' | 'rolledToId'>): string {
  const suffix = ` (rolled, ${key.id})`;
  if (key.rolledToId && key.name.endsWith(suffix)) return key.name.slice(0, -suffix.length);
  return key.name;
}

/** Whether a rolled key is still in its grace period at `now` (it works until `graceEndsAt`). */
export function isInGrace(key: Pick<KeyRecord, 'graceEndsAt' | 'status'>, now: number): boolean {
  return key.graceEndsAt !== null && key.status !== 'revoked' && new Date(key.graceEndsAt).getTime() > now;
}

export interface ConfiguredQuota {
  window: QuotaWindowName;
  limit: number;
}

/** The key's configured quotas, tightest window first (daily, weekly, monthly, then total). */
export function configuredQuotas(quotas: KeyRecord['quotas']): ConfiguredQuota[] {
  const order: QuotaWindowName[] = ['daily', 'weekly', 'monthly', 'total'];
  const result: ConfiguredQuota[] = [];
  for (const window of order) {
    const limit = quotas[window];
    if (limit !== null) result.push({ window, limit });
  }
  return result;
}

/** The §3 window order (total, daily, weekly, monthly), for tables that list every window. */
export const WINDOW_ORDER: readonly QuotaWindowName[] = QUOTA_WINDOW_NAMES;

/** The first `length` characters of a key's id part after the environment: `sk_live_7Hq2…`. */
export function maskedKeyLabel(prefix: string, environment: KeyEnvironment, id16: string): string {
  return `${prefix}_${environment}_${id16.slice(0, 4)}…`;
}

/** The quick-start `curl` that verifies a key of this organization (`prefix`) against `origin`. */
export function verifySnippet(origin: string, prefix: string): string {
  return [
    `curl -X POST ${origin}/v1/keys/verify \\`,
    `  -H "Authorization: Bearer $KEYSMITH_ROOT_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"key": "${prefix}_live_…", "scopes": ["orders:read"]}'`,
  ].join('\n');
}
