import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AVATAR_PALETTE,
  avatarColorFor,
  BUILTIN_CATEGORIES,
  CATEGORY_REGEX,
  DEFAULT_KEY_PREFIX,
  initialsOf,
  isValidCategory,
  isValidKeyDescription,
  isValidKeyName,
  isValidKeyPrefix,
  isValidPasswordLength,
  isValidSlug,
  SLUG_MAX_LENGTH,
  SLUG_REGEX,
  slugify,
} from './names.js';

describe('key names and descriptions', () => {
  it.each([
    ['a', true],
    ['Production backend', true],
    ['x'.repeat(128), true],
    ['😀'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['   ', false],
    [' padded ', true],
  ])('isValidKeyName(%j) is %s', (name, expected) => {
    expect(isValidKeyName(name)).toBe(expected);
  });

  it('limits descriptions to 1024 code points', () => {
    expect(isValidKeyDescription('')).toBe(true);
    expect(isValidKeyDescription('é'.repeat(1024))).toBe(true);
    expect(isValidKeyDescription('é'.repeat(1025))).toBe(false);
  });
});

describe('categories', () => {
  it('accepts the built-ins and custom labels', () => {
    expect(BUILTIN_CATEGORIES).toEqual(['production', 'development', 'staging']);
    for (const category of BUILTIN_CATEGORIES) expect(isValidCategory(category)).toBe(true);
    expect(isValidCategory('ci-2')).toBe(true);
    expect(isValidCategory('a'.repeat(32))).toBe(true);
  });

  it.each(['', 'a'.repeat(33), 'Prod', 'ci_2', 'ci 2', 'ci\n'])('rejects %j', (category) => {
    expect(isValidCategory(category)).toBe(false);
  });

  it('publishes an anchored regex', () => {
    expect(CATEGORY_REGEX.source).toBe('^[a-z0-9-]{1,32}$');
  });
});

describe('key prefixes', () => {
  it.each([
    ['sk', true],
    ['acme2024', true],
    [DEFAULT_KEY_PREFIX, true],
    ['s', false],
    ['acme20245', false],
    ['2k', false],
    ['Sk', false],
    ['s_k', false],
    ['', false],
  ])('isValidKeyPrefix(%j) is %s', (prefix, expected) => {
    expect(isValidKeyPrefix(prefix)).toBe(expected);
  });
});

describe('slugs', () => {
  it.each([
    ['ab', true],
    ['acme-corp', true],
    ['a1-b2-c3', true],
    ['a'.repeat(48), true],
    ['a'.repeat(49), false],
    ['a', false],
    ['-ab', false],
    ['ab-', false],
    ['a--b', false],
    ['Acme', false],
    ['a_b', false],
  ])('isValidSlug(%j) is %s', (slug, expected) => {
    expect(isValidSlug(slug)).toBe(expected);
  });

  it.each([
    ['Acme Corp', 'acme-corp'],
    ['  Café Übersee  ', 'cafe-ubersee'],
    ['ACME, Inc.', 'acme-inc'],
    ['a -- b', 'a-b'],
    ['日本', ''],
    ['A', 'a'],
    ['word '.repeat(20), 'word-word-word-word-word-word-word-word-word'],
    ['b'.repeat(60), 'b'.repeat(48)],
    [`${'b'.repeat(47)} cd`, 'b'.repeat(47)],
    [`${'b'.repeat(10)} ${'c'.repeat(50)}`, `${'b'.repeat(10)}-${'c'.repeat(37)}`],
  ])('slugify(%j) = %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('always yields the empty string or a slug-shaped string of at most 48 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (name) => {
        const slug = slugify(name);
        expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
        if (slug !== '') expect(slug).toMatch(SLUG_REGEX);
      }),
    );
  });
});

describe('passwords', () => {
  it.each([
    ['1234567', false],
    ['12345678', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
  ])('isValidPasswordLength(%j) is %s', (password, expected) => {
    expect(isValidPasswordLength(password)).toBe(expected);
  });
});

describe('initialsOf', () => {
  it.each([
    ['Ada Lovelace', 'AL'],
    ['ada', 'A'],
    ['Keysmith', 'K'],
    ['mary-jane watson', 'MW'],
    ['  Grace   Brewster Hopper ', 'GH'],
    ['acme_corp', 'AC'],
    ['émile zola', 'ÉZ'],
    ['😀 smile', '😀S'],
    ['', '?'],
    ['   ', '?'],
    ['---', '?'],
  ])('%j → %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});

describe('avatarColorFor', () => {
  it('is deterministic and always from the palette', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        expect(AVATAR_PALETTE).toContain(avatarColorFor(seed));
        expect(avatarColorFor(seed)).toBe(avatarColorFor(seed));
      }),
    );
  });

  it('is stable across releases (pinned values)', () => {
    expect(['', 'a', 'user_123', 'ada@example.com'].map(avatarColorFor)).toMatchInlineSnapshot(`
      [
        "#1D4ED8",
        "#6D28D9",
        "#0F766E",
        "#B45309",
      ]
    `);
  });

  it('uses every colour of the palette', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => avatarColorFor(`user_${i}`)));
    expect(used.size).toBe(AVATAR_PALETTE.length);
  });

  it('keeps white initials readable on every colour (WCAG contrast ≥ 4.5)', () => {
    const luminance = (hex: string): number => {
      const channel = (i: number): number => {
        const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    };
    expect(AVATAR_PALETTE).toHaveLength(8);
    expect(new Set(AVATAR_PALETTE).size).toBe(8);
    for (const color of AVATAR_PALETTE) {
      expect(color).toMatch(/^#[0-9A-F]{6}$/);
      expect(1.05 / (luminance(color) + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
