import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeServerDate, serverNow } from './server-clock';

describe('server clock', () => {
  afterEach(() => {
    observeServerDate(new Date(Date.now()).toUTCString(), Date.now(), Date.now());
    vi.useRealTimers();
  });

  it('follows a server whose clock is ahead, so a fresh last use is never in the future', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-05T12:00:00.000Z') });
    observeServerDate('Sat, 05 Dec 2026 12:05:00 GMT', Date.now() - 40, Date.now());
    expect(serverNow() - Date.now()).toBeGreaterThan(299_000);
    expect(serverNow() - Date.now()).toBeLessThan(301_000);
  });

  it('ignores the header’s one-second resolution', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-05T12:00:00.700Z') });
    observeServerDate('Sat, 05 Dec 2026 12:00:00 GMT', Date.now() - 10, Date.now());
    expect(serverNow()).toBe(Date.now());
  });

  it('keeps the last offset when the header is missing or not a date', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-05T12:00:00.000Z') });
    observeServerDate('Sat, 05 Dec 2026 11:50:00 GMT', Date.now(), Date.now());
    const behind = serverNow() - Date.now();
    observeServerDate(null, Date.now(), Date.now());
    observeServerDate('yesterday', Date.now(), Date.now());
    expect(serverNow() - Date.now()).toBe(behind);
    expect(behind).toBeLessThan(-590_000);
  });
});
