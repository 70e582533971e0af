import { describe, expect, it } from 'vitest';
import { keyPreview, validateKeyPrefix } from './settings-form';

describe('validateKeyPrefix', () => {
  it.each([
    ['sk', null],
    ['acme', null],
    ['a1b2c3d4', null],
    ['', 'Enter a key prefix'],
    ['ACME', 'Use lowercase letters'],
    ['ac_me', 'The prefix cannot contain "_": it separates the parts of a key'],
    ['a', 'Prefix must be 2–8 lowercase letters or digits, starting with a letter'],
    ['1abc', 'Prefix must be 2–8 lowercase letters or digits, starting with a letter'],
    ['abcdefghi', 'Prefix must be 2–8 lowercase letters or digits, starting with a letter'],
  ])('%j → %s', (value, expected) => {
    expect(validateKeyPrefix(value)).toBe(expected);
  });
});

describe('keyPreview', () => {
  it('shows the start of a key', () => {
    expect(keyPreview('acme')).toBe('acme_live_…');
    expect(keyPreview('sk', 'test')).toBe('sk_test_…');
  });
});
