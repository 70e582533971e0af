import { describe, expect, it } from 'vitest';
import { exportBounds, resolveTimeRange, type TimeRange, timeRange } from './time-range';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

describe('resolveTimeRange', () => {
  it.each([
    ['1h', '2026-11-22T11:00:00.000Z'],
    ['24h', '2026-11-21T12:00:00.000Z'],
    ['7d', '2026-11-15T12:00:00.000Z'],
    ['30d', '2026-10-23T12:00:00.000Z'],
  ] as const)('anchors %s at the moment it was chosen, open-ended', (preset, from) => {
    expect(resolveTimeRange(timeRange(preset, NOW))).toEqual({ ok: true, bounds: { from } });
  });

  it('has no bounds for any time', () => {
    expect(resolveTimeRange(timeRange('all', NOW))).toEqual({ ok: true, bounds: {} });
  });

  it('converts custom local inputs and keeps open ends open', () => {
    const range: TimeRange = { ...timeRange('custom', NOW), customFrom: '2026-11-20T08:30' };
    const resolved = resolveTimeRange(range);
    expect(resolved.ok).toBe(true);
    if (resolved.ok) {
      expect(resolved.bounds.from).toBe(new Date('2026-11-20T08:30').toISOString());
      expect(resolved.bounds.to).toBeUndefined();
    }
  });

  it('refuses an end before the start, and text that is not a date', () => {
    const backwards: TimeRange = {
      ...timeRange('custom', NOW),
      customFrom: '2026-11-20T08:30',
      customTo: '2026-11-20T08:00',
    };
    expect(resolveTimeRange(backwards)).toEqual({ ok: false, error: 'The end must be after the start' });
    expect(resolveTimeRange({ ...timeRange('custom', NOW), customTo: 'yesterday' })).toEqual({
      ok: false,
      error: 'Enter a valid end',
    });
  });
});

describe('exportBounds', () => {
  it('names both ends: a relative preset ends now, any time starts at the epoch', () => {
    const later = NOW + 60_000;
    expect(exportBounds(timeRange('24h', NOW), later)).toEqual({
      from: new Date(later - 86_400_000).toISOString(),
      to: new Date(later).toISOString(),
    });
    expect(exportBounds(timeRange('all', NOW), NOW)).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
    });
  });

  it('is null for an invalid custom range', () => {
    expect(exportBounds({ ...timeRange('custom', NOW), customFrom: 'x' }, NOW)).toBeNull();
  });
});
