import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_MAX_LENGTH,
  API_KEY_MIN_LENGTH,
  type ApiKeyEnvironment,
  findApiKeysInText,
  generateApiKey,
  KEYSMITH_KEY_PATTERN,
  KEYSMITH_KEY_REGEX,
  parseApiKey,
  redactApiKey,
} from './api-key.js';
import { BASE62_ALPHABET } from './base62.js';
import { checksumBase62 } from './crc32.js';

/** Checksums computed independently (Python's zlib.crc32), pinning the wire format. */
const KNOWN_KEYS = [
  'sk_live_7Hq2mX9aBc3dEf4G.N8rTq0cYw3Lk5Zp2Vb7Xs1Jh9Gd4Ff6Q3n7tmH',
  'acme2024_test_0000000000000000.zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz09mhho',
] as const;

const prefixArb = fc.stringMatching(/^[a-z][a-z0-9]{1,7}$/);
const environmentArb = fc.constantFrom<ApiKeyEnvironment>('live', 'test');
const base62Arb = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE62_ALPHABET), minLength: length, maxLength: length });
/** A well-formed body `{prefix}_{env}_{id16}.{secret32}` with fast-check-controlled parts. */
const bodyArb = fc
  .tuple(prefixArb, environmentArb, base62Arb(16), base62Arb(32))
  .map(([prefix, env, id16, secret]) => ({
    prefix,
    env,
    id16,
    secret,
    body: `${prefix}_${env}_${id16}.${secret}`,
  }));
const validKeyArb = bodyArb.map((parts) => ({ ...parts, key: parts.body + checksumBase62(parts.body) }));

/** Every character a key may contain plus separators and look-alikes: the substitution alphabet. */
const SUBSTITUTES = `${BASE62_ALPHABET}_.-+/= \t:`;

function reasonOf(input: string): string {
  const result = parseApiKey(input);
  return result.ok ? 'OK' : result.reason;
}

describe('generateApiKey', () => {
  it('produces {prefix}_{env}_{id16}.{secret32}{crc6} with matching parts', () => {
    const generated = generateApiKey({ prefix: 'sk', environment: 'live' });
    const { key, keyId, id16, secret, preview } = generated;
    expect(key).toMatch(KEYSMITH_KEY_PATTERN);
    expect(key).toHaveLength(63);
    expect(id16).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(secret).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(keyId).toBe(`key_${id16}`);
    expect(key.startsWith(`sk_live_${id16}.${secret}`)).toBe(true);
    expect(key.slice(-6)).toBe(checksumBase62(key.slice(0, -6)));
    expect(preview).toBe(redactApiKey(key));
  });

  it('never repeats ids or secrets', () => {
    const keys = Array.from({ length: 5000 }, () => generateApiKey({ prefix: 'sk', environment: 'test' }));
    expect(new Set(keys.map((k) => k.id16)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(keys.length);
  });

  it.each(['', 's', 'Sk', '1sk', 'sk_', 'toolongpx', 'sk-x'])('rejects prefix %j', (prefix) => {
    expect(() => generateApiKey({ prefix, environment: 'live' })).toThrow(RangeError);
  });

  it('rejects an environment other than live/test', () => {
    const environment = 'prod' as ApiKeyEnvironment;
    expect(() => generateApiKey({ prefix: 'sk', environment })).toThrow(RangeError);
  });

  it('round-trips through parseApiKey for random prefixes and environments', () => {
    fc.assert(
      fc.property(prefixArb, environmentArb, (prefix, environment) => {
        const generated = generateApiKey({ prefix, environment });
        const parsed = parseApiKey(generated.key);
        expect(parsed).toEqual({
          ok: true,
          key: {
            prefix,
            environment,
            id16: generated.id16,
            keyId: generated.keyId,
            secret: generated.secret,
            checksum: generated.key.slice(-6),
          },
        });
      }),
    );
  });
});

describe('parseApiKey', () => {
  it.each(KNOWN_KEYS)('accepts the known-good key %s', (key) => {
    const parsed = parseApiKey(key);
    expect(parsed.ok).toBe(true);
  });

  it('splits a key into its parts', () => {
    expect(parseApiKey(KNOWN_KEYS[1])).toEqual({
      ok: true,
      key: {
        prefix: 'acme2024',
        environment: 'test',
        id16: '0000000000000000',
        keyId: 'key_0000000000000000',
        secret: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
        checksum: '09mhho',
      },
    });
  });

  const good = KNOWN_KEYS[0];
  it.each([
    ['empty', '', 'EMPTY'],
    ['one character over the longest key', 'a'.repeat(API_KEY_MAX_LENGTH + 1), 'TOO_LONG'],
    ['a megabyte', 'x'.repeat(1 << 20), 'TOO_LONG'],
    ['the key followed by a newline', `${good}\n`, 'MALFORMED'],
    ['the key with a leading space', ` ${good}`, 'MALFORMED'],
    ['a Bearer header value (longer than any key)', `Bearer ${good}`, 'TOO_LONG'],
    ['one character short', good.slice(0, -1), 'MALFORMED'],
    ['shorter than the shortest key', 'x'.repeat(API_KEY_MIN_LENGTH - 1), 'MALFORMED'],
    ['a whitespace-only string', ' ', 'MALFORMED'],
    ['an uppercase prefix', `SK${good.slice(2)}`, 'MALFORMED'],
    ['a prefix starting with a digit', `1k${good.slice(2)}`, 'MALFORMED'],
    ['an unknown environment', good.replace('_live_', '_prod_'), 'MALFORMED'],
    ['an uppercase environment', good.replace('_live_', '_LIVE_'), 'MALFORMED'],
    ['a dash instead of the first underscore', good.replace('sk_', 'sk-'), 'MALFORMED'],
    ['no dot between id and secret', good.replace('.', 'x'), 'MALFORMED'],
    ['a non-base62 character in the secret', `${good.slice(0, 40)}+${good.slice(41)}`, 'MALFORMED'],
    ['a non-base62 character in the checksum', `${good.slice(0, -1)}=`, 'MALFORMED'],
    ['a non-ASCII character', `${good.slice(0, 30)}é${good.slice(31)}`, 'MALFORMED'],
    [
      'the last checksum character changed',
      `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
      'BAD_CHECKSUM',
    ],
    ['the checksum dropped and the secret padded', `${good.slice(0, -6)}000000`, 'BAD_CHECKSUM'],
    ['the environment switched', good.replace('_live_', '_test_'), 'BAD_CHECKSUM'],
    ['an all-zero body', `sk_live_${'0'.repeat(16)}.${'0'.repeat(38)}`, 'BAD_CHECKSUM'],
  ])('rejects %s as %s', (_name, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('treats non-strings as malformed (headers may arrive as arrays)', () => {
    const notAString = ['sk'] as unknown as string;
    expect(reasonOf(notAString)).toBe('MALFORMED');
  });

  it.each(KNOWN_KEYS)('rejects every single-character substitution of %s (exhaustive)', (key) => {
    let tried = 0;
    for (let i = 0; i < key.length; i++) {
      for (const ch of SUBSTITUTES) {
        if (ch === key[i]) continue;
        const mutated = key.slice(0, i) + ch + key.slice(i + 1);
        const reason = reasonOf(mutated);
        expect(['BAD_CHECKSUM', 'MALFORMED'], `position ${i} → ${JSON.stringify(ch)}`).toContain(reason);
        tried++;
      }
    }
    expect(tried).toBe(key.length * (SUBSTITUTES.length - 1));
  });

  it('rejects every single-character substitution of freshly generated keys (exhaustive)', () => {
    for (const environment of ['live', 'test'] as const) {
      const { key } = generateApiKey({ prefix: 'k0a9z8y7', environment });
      for (let i = 0; i < key.length; i++) {
        for (const ch of SUBSTITUTES) {
          if (ch === key[i]) continue;
          expect(parseApiKey(key.slice(0, i) + ch + key.slice(i + 1)).ok).toBe(false);
        }
      }
    }
  });

  it('rejects a single-character substitution of any valid key, with the checksum catching in-alphabet ones', () => {
    fc.assert(
      fc.property(validKeyArb, fc.nat(), fc.constantFrom(...SUBSTITUTES), ({ key }, at, ch) => {
        const i = at % key.length;
        fc.pre(key[i] !== ch);
        const mutated = key.slice(0, i) + ch + key.slice(i + 1);
        const reason = reasonOf(mutated);
        expect(['BAD_CHECKSUM', 'MALFORMED']).toContain(reason);
        // A substitution that keeps the shape can only be caught by the checksum.
        if (KEYSMITH_KEY_PATTERN.test(mutated)) expect(reason).toBe('BAD_CHECKSUM');
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects any swap of two adjacent different characters (a 16-bit burst, within CRC-32 guarantees)', () => {
    fc.assert(
      fc.property(validKeyArb, fc.nat(), ({ key }, at) => {
        const i = at % (key.length - 1);
        fc.pre(key[i] !== key[i + 1]);
        const swapped = key.slice(0, i) + key.charAt(i + 1) + key.charAt(i) + key.slice(i + 2);
        expect(parseApiKey(swapped).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every well-formed body with its own checksum', () => {
    fc.assert(
      fc.property(validKeyArb, ({ key, prefix, env, id16, secret }) => {
        const parsed = parseApiKey(key);
        expect(parsed.ok && parsed.key).toMatchObject({ prefix, environment: env, id16, secret });
      }),
    );
  });

  it('rejects a well-formed body with any other checksum as BAD_CHECKSUM', () => {
    fc.assert(
      fc.property(bodyArb, base62Arb(6), ({ body }, crc) => {
        fc.pre(crc !== checksumBase62(body));
        expect(reasonOf(body + crc)).toBe('BAD_CHECKSUM');
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ minLength: 63, maxLength: 69 })),
        (s) => {
          expect(parseApiKey(s).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never accepts near-shapes with a random tail', () => {
    const nearShape = fc.stringMatching(
      /^[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{37,39}$/,
    );
    fc.assert(
      fc.property(nearShape, (s) => {
        const body = s.slice(0, -6);
        fc.pre(s.slice(-6) !== checksumBase62(body));
        expect(parseApiKey(s).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('redactApiKey', () => {
  it('shows prefix, environment, 4 id characters, "..." and the last 4 characters', () => {
    expect(redactApiKey(KNOWN_KEYS[0])).toBe('sk_live_7Hq2...7tmH');
    expect(redactApiKey(KNOWN_KEYS[1])).toBe('acme2024_test_0000...mhho');
  });

  it('never shows a character of the secret: the last 4 lie inside the checksum', () => {
    fc.assert(
      fc.property(validKeyArb, ({ key, prefix, env, id16, secret }) => {
        const preview = redactApiKey(key);
        expect(preview).toBe(`${prefix}_${env}_${id16.slice(0, 4)}...${key.slice(-4)}`);
        expect(preview).toHaveLength(prefix.length + 1 + 4 + 1 + 4 + 3 + 4);
        expect(key.slice(-4)).toBe(checksumBase62(key.slice(0, -6)).slice(2));
        expect(preview).not.toContain(secret.slice(0, 8));
        expect(preview).not.toContain(secret.slice(4, 28));
        expect(preview).not.toContain(secret.slice(-8));
        expect(preview).not.toContain(id16.slice(4));
      }),
    );
  });

  it('refuses a string that is not a valid key, without echoing it', () => {
    const wrong = `${KNOWN_KEYS[0].slice(0, -1)}X`;
    expect(() => redactApiKey(wrong)).toThrow(TypeError);
    expect(() => redactApiKey(wrong)).toThrow(/BAD_CHECKSUM/);
    try {
      redactApiKey(wrong);
    } catch (error) {
      expect(String(error)).not.toContain(wrong.slice(20, 40));
    }
  });
});

describe('KEYSMITH_KEY_REGEX and KEYSMITH_KEY_PATTERN', () => {
  it('publish exactly the documented expression, without the global flag', () => {
    expect(KEYSMITH_KEY_REGEX.source).toBe(
      String.raw`\b[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}\b`,
    );
    expect(KEYSMITH_KEY_PATTERN.source).toBe(
      String.raw`^[a-z][a-z0-9]{1,7}_(live|test)_[0-9A-Za-z]{16}\.[0-9A-Za-z]{38}$`,
    );
    expect(KEYSMITH_KEY_REGEX.flags).toBe('');
    expect(KEYSMITH_KEY_PATTERN.flags).toBe('');
  });

  it('match every generated key, alone and inside text', () => {
    fc.assert(
      fc.property(prefixArb, environmentArb, (prefix, environment) => {
        const { key } = generateApiKey({ prefix, environment });
        expect(KEYSMITH_KEY_PATTERN.test(key)).toBe(true);
        expect(KEYSMITH_KEY_REGEX.exec(`export API_KEY="${key}"`)?.[0]).toBe(key);
      }),
    );
  });

  it('do not match a key glued to more word characters', () => {
    const key = KNOWN_KEYS[0];
    expect(KEYSMITH_KEY_REGEX.test(`${key}x`)).toBe(false);
    expect(KEYSMITH_KEY_REGEX.test(`${key}_`)).toBe(false);
    expect(KEYSMITH_KEY_PATTERN.test(`${key} `)).toBe(false);
  });

  it('agree with parseApiKey on shape: a PATTERN match parses or fails only on the checksum', () => {
    fc.assert(
      fc.property(fc.stringMatching(KEYSMITH_KEY_PATTERN), (s) => {
        expect(['OK', 'BAD_CHECKSUM']).toContain(reasonOf(s));
      }),
    );
  });
});

describe('findApiKeysInText', () => {
  it('returns the keys with a valid checksum, in order, with their offsets', () => {
    const [a, b] = KNOWN_KEYS;
    const forged = `${a.slice(0, -1)}${a.endsWith('A') ? 'B' : 'A'}`;
    const text = `first: ${a}\nforged: ${forged}\nglued: x${b}\nquoted: "${b}".`;
    const found = findApiKeysInText(text);
    expect(found.map((f) => [f.text, f.index])).toEqual([
      [a, text.indexOf(a)],
      [b, text.lastIndexOf(b)],
    ]);
    expect(found[1]?.key.keyId).toBe('key_0000000000000000');
  });

  it('finds nothing in text without keys, and is reusable (no shared lastIndex)', () => {
    expect(findApiKeysInText('')).toEqual([]);
    expect(findApiKeysInText('sk_live_short.secret')).toEqual([]);
    const text = `${KNOWN_KEYS[0]} ${KNOWN_KEYS[1]}`;
    expect(findApiKeysInText(text)).toHaveLength(2);
    expect(findApiKeysInText(text)).toHaveLength(2);
  });

  it('finds every generated key placed in random text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), (fillers) => {
        const keys = fillers.map(() => generateApiKey({ prefix: 'sk', environment: 'live' }).key);
        const text = fillers.map((filler, i) => `${filler} ${keys[i]} `).join('');
        expect(findApiKeysInText(text).map((f) => f.text)).toEqual(keys);
      }),
    );
  });
});
