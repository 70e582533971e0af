import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnsafeText, isSafeText, sanitizeText, unsafeTextReason } from './text.js';

describe('unsafeTextReason', () => {
  it.each([
    ['plain name', {}, null],
    ['Café 😀 日本', {}, null],
    ['', {}, null],
    ['nul\u0000', {}, 'control'],
    ['bell\u0007', {}, 'control'],
    ['del\u007f', {}, 'control'],
    ['c1\u0085', {}, 'control'],
    ['tab\there', {}, 'control'],
    ['two\nlines', {}, 'control'],
    ['two\nlines\r\nand\ttab', { multiline: true }, null],
    ['nul\u0000', { multiline: true }, 'control'],
    ['esc\u001b[31m', { multiline: true }, 'control'],
    ['lone low \udc00', {}, 'surrogate'],
    ['lone high \ud800 then text', {}, 'surrogate'],
    ['high at end \ud83d', {}, 'surrogate'],
    ['swapped \ude00\ud83d', {}, 'surrogate'],
    ['pair \ud83d\ude00', {}, null],
  ] as const)('%j %j → %s', (text, options, expected) => {
    expect(unsafeTextReason(text, options)).toBe(expected);
  });

  it('agrees with the platform: a string without controls is safe iff it is well-formed UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters on purpose
        const withoutControls = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
        // TextEncoder turns each lone surrogate into U+FFFD: the round trip is exact iff well-formed.
        const wellFormed =
          new TextDecoder().decode(new TextEncoder().encode(withoutControls)) === withoutControls;
        expect(isSafeText(withoutControls)).toBe(wellFormed);
      }),
    );
  });
});

describe('sanitizeText', () => {
  it('returns safe text unchanged, as the same string', () => {
    const text = 'GET /v1/things?x=1';
    expect(sanitizeText(text)).toBe(text);
  });

  it('replaces controls and lone surrogates with U+FFFD, keeping pairs', () => {
    expect(sanitizeText('GET /x\u0000\ud83d\ude00\udc00\n')).toBe('GET /x\ufffd\ud83d\ude00\ufffd\ufffd');
  });

  it('always yields safe text that encodes to UTF-8 and back unchanged, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const clean = sanitizeText(s);
        expect(isSafeText(clean)).toBe(true);
        expect(new TextDecoder().decode(new TextEncoder().encode(clean))).toBe(clean);
        expect(sanitizeText(clean)).toBe(clean);
        // One replacement per refused code point: nothing is dropped or merged.
        expect([...clean].length).toBe([...s].length);
      }),
    );
  });
});

describe('findUnsafeText', () => {
  it('finds NUL and lone surrogates anywhere, with the path to them', () => {
    expect(findUnsafeText({ name: 'ok', nested: [{ a: 'x' }, { b: 'bad\u0000' }] })).toEqual({
      path: ['nested', 1, 'b'],
      reason: 'control',
    });
    expect(findUnsafeText(['fine', 'lone \udc00'])).toEqual({ path: [1], reason: 'surrogate' });
    expect(findUnsafeText({ 'key\u0000': 1 })).toEqual({ path: ['key\u0000'], reason: 'control' });
    expect(findUnsafeText('top\u0000')).toEqual({ path: [], reason: 'control' });
  });

  it('passes other controls (refused per field) and ordinary values', () => {
    expect(findUnsafeText({ description: 'line\nbreak', n: 1, b: true, z: null })).toBeNull();
    expect(findUnsafeText(undefined)).toBeNull();
  });

  it('refuses every control character with allControls (path parameters, query strings)', () => {
    expect(findUnsafeText({ id: 'key_\u0001' }, { allControls: true })).toEqual({
      path: ['id'],
      reason: 'control',
    });
    expect(findUnsafeText({ id: 'key_\u0001' })).toBeNull();
  });

  it('refuses nesting deeper than the limit instead of recursing without end', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findUnsafeText(deep, { maxDepth: 32 })?.path).toHaveLength(32);
  });

  it('finds a NUL placed at any position of any JSON document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), (doc, before, after) => {
        expect(findUnsafeText(doc)).toBeNull();
        const poisoned = { doc, field: `${before}\u0000${after}` };
        expect(findUnsafeText(poisoned)?.path).toEqual(['field']);
      }),
    );
  });
});
