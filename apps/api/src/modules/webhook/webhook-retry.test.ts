import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, RETRY_OFFSETS_SECONDS, retryDelayMs } from './webhook-retry.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('retry schedule', () => {
  it('tries at least 8 times over about a day, then gives up', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBeGreaterThanOrEqual(8);
    const middle = () => 0.5;
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      delays.push(retryDelayMs(attempt, 1, middle) ?? Number.NaN);
    }
    expect(delays).toEqual([1, 4, 10, 45, 120, 180, 360, 720].map((m) => m * MINUTE));
    const span = delays.reduce((a, b) => a + b, 0);
    expect(span).toBe(24 * HOUR);
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS, 1, middle)).toBeNull();
    expect(RETRY_OFFSETS_SECONDS.at(-1)).toBe(86_400);
  });

  it('grows: each wait at least as long as the one before', () => {
    for (let attempt = 2; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(retryDelayMs(attempt, 1, () => 0.5) ?? 0).toBeGreaterThanOrEqual(
        retryDelayMs(attempt - 1, 1, () => 0.5) ?? 0,
      );
    }
  });

  it('jitters each wait by at most ±10%', () => {
    for (const r of [0, 0.25, 0.999999]) {
      const delay = retryDelayMs(1, 1, () => r) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(0.9 * MINUTE);
      expect(delay).toBeLessThanOrEqual(1.1 * MINUTE);
    }
    expect(retryDelayMs(1, 1, () => 0)).toBe(54_000);
  });

  it('scales for tests and never answers nonsense', () => {
    expect(retryDelayMs(1, 0.001, () => 0.5)).toBe(60);
    expect(retryDelayMs(0)).toBeNull();
    expect(retryDelayMs(-1)).toBeNull();
    expect(retryDelayMs(1.5)).toBeNull();
    expect(retryDelayMs(1, 1e-9, () => 0)).toBe(1);
  });
});
