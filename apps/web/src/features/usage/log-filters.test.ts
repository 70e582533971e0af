import { describe, expect, it } from 'vitest';
import { timeRange } from '../../lib/time-range';
import { initialLogFilters, isLogFiltered, logQueryFilters } from './log-filters';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

describe('logQueryFilters', () => {
  it('sends nothing for the initial state', () => {
    expect(logQueryFilters(initialLogFilters(NOW))).toEqual({});
    expect(isLogFiltered(initialLogFilters(NOW))).toBe(false);
  });

  it('sends each chosen filter, typed, and trims text', () => {
    const state = {
      status: '401',
      code: 'QUOTA_EXCEEDED',
      ip: ' 203.0.113.7 ',
      endpoint: '/v1/rate-limit ',
      range: timeRange('24h', NOW),
    };
    expect(logQueryFilters(state)).toEqual({
      status: 401,
      code: 'QUOTA_EXCEEDED',
      ip: '203.0.113.7',
      endpoint: '/v1/rate-limit',
      from: '2026-11-21T12:00:00.000Z',
    });
    expect(isLogFiltered(state)).toBe(true);
  });

  it('ignores an unknown code and waits for a valid custom range', () => {
    expect(logQueryFilters({ ...initialLogFilters(NOW), code: 'NOPE' })).toEqual({});
    const custom = {
      ...timeRange('custom', NOW),
      customFrom: '2026-11-22T10:00',
      customTo: '2026-11-22T09:00',
    };
    expect(logQueryFilters({ ...initialLogFilters(NOW), range: custom })).toBeNull();
  });
});
