/**
 * Number and time formats every screen shares, so a count or an instant reads the same on the
 * keys table, the logs, the audit trail and the security tabs.
 */

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

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An `Intl.DateTimeFormat` for these arguments, made once: building one costs far more than
 * formatting with it, and the keys table, logs and charts format many instants per screen on
 * the first screen's critical path. Made on first use (a test that sets the time zone first
 * still sees it).
 */
export function dateTimeFormat(
  locale: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** "Nov 22, 2026". */
export function formatDay(iso: string): string {
  return dateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));
}

/** "Nov 22" this year, "Nov 22, 2025" before: a short date for narrow table columns. */
export function formatShortDay(iso: string, now: number): string {
  const date = new Date(iso);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return dateTimeFormat(undefined, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

/** "Nov 22, 2026, 14:05:09 UTC": the exact instant, for hovers and the detail page. */
export function formatInstant(iso: string): string {
  return dateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' }).format(new Date(iso));
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
