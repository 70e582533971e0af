/**
 * The time-range filter shared by the monitoring screens (request logs, audit log): a relative
 * preset ("last 24 hours") or a custom range typed in the browser's local time. Pure, so the
 * arithmetic is tested once.
 *
 * A relative preset is anchored when it is chosen (or refreshed): its lower bound is fixed at
 * `anchor - span`, so the query key stays stable between renders, and it has no upper bound,
 * so rows that arrive later still show on a refetch.
 */

export const TIME_RANGE_PRESETS = ['1h', '24h', '7d', '30d', 'all', 'custom'] as const;
export type TimeRangePreset = (typeof TIME_RANGE_PRESETS)[number];

const SPAN_MS: Record<Exclude<TimeRangePreset, 'all' | 'custom'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const TIME_RANGE_LABEL: Record<TimeRangePreset, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'Any time',
  custom: 'Custom range…',
};

export interface TimeRange {
  preset: TimeRangePreset;
  /** When a relative preset was chosen (epoch ms). */
  anchor: number;
  /** `datetime-local` values (`2026-11-22T14:05`) in the browser's time zone; custom ranges only. */
  customFrom: string;
  customTo: string;
}

export function timeRange(preset: TimeRangePreset, anchor: number): TimeRange {
  return { preset, anchor, customFrom: '', customTo: '' };
}

/** Bounds as ISO instants: `from` inclusive, `to` exclusive; either may be absent. */
export interface TimeBounds {
  from?: string;
  to?: string;
}

export type ResolvedTimeRange = { ok: true; bounds: TimeBounds } | { ok: false; error: string };

/** A `datetime-local` value as an ISO instant, or `null` when it is empty or not a date. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone (minutes precision). */
export function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The bounds a list query should use, or why the custom range cannot be used. */
export function resolveTimeRange(range: TimeRange): ResolvedTimeRange {
  if (range.preset === 'all') return { ok: true, bounds: {} };
  if (range.preset !== 'custom') {
    return { ok: true, bounds: { from: new Date(range.anchor - SPAN_MS[range.preset]).toISOString() } };
  }
  const from = localInputToIso(range.customFrom);
  const to = localInputToIso(range.customTo);
  if (range.customFrom && !from) return { ok: false, error: 'Enter a valid start' };
  if (range.customTo && !to) return { ok: false, error: 'Enter a valid end' };
  if (from && to && from >= to) return { ok: false, error: 'The end must be after the start' };
  const bounds: TimeBounds = {};
  if (from) bounds.from = from;
  if (to) bounds.to = to;
  return { ok: true, bounds };
}

/**
 * The explicit range an export names (exports always state what they cover): relative presets
 * end now, "any time" starts at the Unix epoch, and an open custom end is now.
 */
export function exportBounds(range: TimeRange, now: number): { from: string; to: string } | null {
  const resolved = resolveTimeRange(range.preset === 'custom' ? range : { ...range, anchor: now });
  if (!resolved.ok) return null;
  const to = resolved.bounds.to ?? new Date(now).toISOString();
  const from = resolved.bounds.from ?? new Date(0).toISOString();
  return from < to ? { from, to } : null;
}
