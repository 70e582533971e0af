import { describe, expect, it } from 'vitest';
import { describeError, errorCodeOf, fieldErrorsOf, formatWait } from './api-errors';

describe('describeError', () => {
  it('reads the server formatter shape', () => {
    const error = {
      message: 'This slug is already taken',
      data: { code: 'CONFLICT', fields: { slug: 'This slug is already taken' } },
    };
    expect(describeError(error)).toEqual({
      message: 'This slug is already taken',
      fields: { slug: 'This slug is already taken' },
      code: 'CONFLICT',
      retryAfterSeconds: null,
    });
  });

  it('states how long to wait after a 429', () => {
    const error = {
      message: 'Too many sign-in attempts. Try again in a few minutes.',
      data: { code: 'TOO_MANY_REQUESTS', fields: null, retryAfterSeconds: 125 },
    };
    expect(describeError(error).message).toBe('Too many sign-in attempts. Try again in 3 minutes.');
    expect(describeError(error).retryAfterSeconds).toBe(125);
  });

  it('explains a network failure in words', () => {
    expect(describeError(new TypeError('Failed to fetch')).message).toMatch(/can't reach keysmith/i);
  });

  it('falls back to a generic sentence', () => {
    expect(describeError(undefined).message).toMatch(/something went wrong/i);
    expect(errorCodeOf('nope')).toBeNull();
  });

  it('keeps only string field messages', () => {
    expect(fieldErrorsOf({ data: { fields: { email: 'Enter a valid email address', bad: 3 } } })).toEqual({
      email: 'Enter a valid email address',
    });
  });
});

describe('formatWait', () => {
  it.each([
    [0.2, '1 second'],
    [1, '1 second'],
    [30, '30 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});
