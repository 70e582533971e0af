import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('formatCountdown', () => {
  it.each([
    [-1000, 'now'],
    [0, 'now'],
    [400, 'in 1 s'],
    [42_000, 'in 42 s'],
    [60_000, 'in 1 min'],
    [61_000, 'in 2 min'],
    [3_600_000, 'in 1 h'],
    [86_340_000, 'in 23 h 59 min'],
    [86_400_000, 'in 24 h'],
    [3 * 86_400_000 + 5 * 3_600_000, 'in 3 days 5 h'],
    [7 * 86_400_000, 'in 7 days'],
  ])('%d ms ahead reads "%s"', (ms, text) => {
    expect(formatCountdown(at(ms), NOW)).toBe(text);
  });
});
