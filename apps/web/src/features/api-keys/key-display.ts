import { type BUILTIN_CATEGORIES, QUOTA_WINDOW_NAMES, type QuotaWindowName } from '@keysmith/domain';
import type { BadgeTone } from '../../components';
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

const numberFormat = new Intl.NumberFormat('en-US');

/** `1,234` (grouped the same way for everyone, like the API's docs). */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** `950`, `9,500`, `50K`, `2M`: big limits kept short for table cells (the exact value goes in a title). */
export function formatCompactCount(value: number): string {
  return value < 10_000 ? numberFormat.format(value) : compactFormat.format(value);
}

/** "Nov 22, 2026". */
export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));
}

/** "Nov 22, 2026, 14:05:09 UTC": the exact instant, for hovers and the detail page. */
export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'long',
  }).format(new Date(iso));
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "just now", "5 minutes ago", "in 3 days", "yesterday": for last-used and expiry columns. */
export function formatRelative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return diff <= 0 ? 'just now' : 'in a few seconds';
  for (const [unit, ms] of UNITS) {
    if (abs >= ms || unit === 'minute') {
      return relativeFormat.format(Math.round(diff / ms), unit);
    }
  }
  return relativeFormat.format(Math.round(diff / 60_000), 'minute');
}

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
