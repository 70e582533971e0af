import { generateApiKey } from '@keysmith/domain';
import { describe, expect, it } from 'vitest';
import { pastedFullKeys, recognisePastedKeys, shouldInspectPaste } from './key-paste';

describe('recognisePastedKeys', () => {
  it('finds a key in surrounding text and keeps nothing of the secret', () => {
    const generated = generateApiKey({ prefix: 'sk', environment: 'live' });
    const result = recognisePastedKeys(`Authorization: Bearer ${generated.key}\n`);
    expect(result?.keys).toEqual([
      {
        prefix: 'sk',
        environment: 'live',
        keyId: generated.keyId,
        label: `sk_live_${generated.id16.slice(0, 4)}…`,
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(generated.secret);
  });

  it('ignores strings of the right shape with a wrong checksum, and ordinary text', () => {
    const { key } = generateApiKey({ prefix: 'acme', environment: 'test' });
    const last = key.at(-1) === 'a' ? 'b' : 'a';
    expect(recognisePastedKeys(`${key.slice(0, -1)}${last}`)).toBeNull();
    expect(recognisePastedKeys('payments backend')).toBeNull();
    expect(recognisePastedKeys('')).toBeNull();
  });

  it('lists several keys once each', () => {
    const a = generateApiKey({ prefix: 'sk', environment: 'live' });
    const b = generateApiKey({ prefix: 'sk', environment: 'test' });
    const result = recognisePastedKeys(`${a.key} ${b.key} ${a.key}`);
    expect(result?.keys.map((k) => k.keyId)).toEqual([a.keyId, b.keyId]);
  });
});

describe('pastedFullKeys', () => {
  it('keeps each full key of the paste by its id, for the leak report only', () => {
    const a = generateApiKey({ prefix: 'sk', environment: 'live' });
    const b = generateApiKey({ prefix: 'sk', environment: 'test' });
    const keys = pastedFullKeys(`leaked: ${a.key}, ${b.key} and ${a.key}`);
    expect([...keys]).toEqual([
      [a.keyId, a.key],
      [b.keyId, b.key],
    ]);
    const forged = `${a.key.slice(0, -1)}${a.key.endsWith('x') ? 'y' : 'x'}`;
    expect(pastedFullKeys(forged).size).toBe(0);
    expect(pastedFullKeys(`${'x'.repeat(20_001)} ${a.key}`).size).toBe(0);
  });
});

describe('shouldInspectPaste', () => {
  it('checks pastes on the page and in the key search box, not in other fields', () => {
    expect(shouldInspectPaste(null)).toBe(true);
    expect(shouldInspectPaste({ tagName: 'body', editable: false, isKeySearch: false })).toBe(true);
    expect(shouldInspectPaste({ tagName: 'button', editable: false, isKeySearch: false })).toBe(true);
    expect(shouldInspectPaste({ tagName: 'input', editable: false, isKeySearch: true })).toBe(true);
    expect(shouldInspectPaste({ tagName: 'input', editable: false, isKeySearch: false })).toBe(false);
    expect(shouldInspectPaste({ tagName: 'textarea', editable: false, isKeySearch: false })).toBe(false);
    expect(shouldInspectPaste({ tagName: 'div', editable: true, isKeySearch: false })).toBe(false);
  });
});
