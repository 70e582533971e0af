import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIp,
  ipInAllowlist,
  ipInCidr,
  isValidIp,
  isValidIpOrCidr,
  parseCidr,
  parseIp,
} from './ip.js';

describe('parseIp / isValidIp', () => {
  it.each([
    ['0.0.0.0', 4],
    ['1.2.3.4', 4],
    ['255.255.255.255', 4],
    ['::', 6],
    ['::1', 6],
    ['2001:db8::1', 6],
    ['2001:DB8:0:0:0:0:0:1', 6],
    ['fe80::1:2:3:4', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['1::', 6],
    ['1:2:3:4:5:6:7::', 6],
    ['::2:3:4:5:6:7:8', 6],
    ['0000:0000:0000:0000:0000:0000:0000:0001', 6],
    ['::ffff:1.2.3.4', 4],
    ['::FFFF:1.2.3.4', 4],
    ['::ffff:102:304', 4],
    ['0:0:0:0:0:ffff:1.2.3.4', 4],
    ['64:ff9b::1.2.3.4', 6],
    ['::1.2.3.4', 6],
  ] as const)('accepts %s as IPv%d', (s, version) => {
    expect(parseIp(s)?.version).toBe(version);
    expect(isValidIp(s)).toBe(true);
  });

  it.each([
    '',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.-1',
    '01.2.3.4',
    '1.2.3.04',
    '0x1.2.3.4',
    '1.2.3.4/32',
    '1..3.4',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::1',
    'g::1',
    'fe80::1%eth0',
    '::ffff:256.2.3.4',
    '::ffff:1.2.3.4:5',
    '1.2.3.4::',
    'localhost',
  ])('rejects %j', (s) => {
    expect(parseIp(s)).toBeNull();
    expect(isValidIp(s)).toBe(false);
  });

  it('maps IPv4 onto ::ffff:0:0/96', () => {
    expect(parseIp('1.2.3.4')).toEqual(parseIp('::ffff:1.2.3.4'));
    expect(parseIp('1.2.3.4')?.value).toBe(0xffff01020304n);
  });
});

describe('parseCidr / isValidIpOrCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, 104],
    ['10.1.2.3/8', 4, 104],
    ['0.0.0.0/0', 4, 96],
    ['1.2.3.4/32', 4, 128],
    ['1.2.3.4', 4, 128],
    ['::/0', 6, 0],
    ['2001:db8::/32', 6, 32],
    ['::1/128', 6, 128],
    ['::ffff:10.0.0.0/104', 4, 104],
  ] as const)('accepts %s', (s, version, prefixLength) => {
    const range = parseCidr(s);
    expect(range).toMatchObject({ version, prefixLength });
    expect(isValidIpOrCidr(s)).toBe(true);
  });

  it('clears host bits', () => {
    expect(parseCidr('10.1.2.3/8')?.network).toBe(parseCidr('10.0.0.0/8')?.network);
  });

  it.each([
    '1.2.3.4/33',
    '1.2.3.4/',
    '1.2.3.4/-1',
    '1.2.3.4/08',
    '1.2.3.4/8/8',
    '::/129',
    '/8',
    '1.2.3.4/ 8',
    'x/8',
  ])('rejects %j', (s) => {
    expect(parseCidr(s)).toBeNull();
    expect(isValidIpOrCidr(s)).toBe(false);
  });
});

describe('ipInCidr / ipInAllowlist', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.0.0.0', '10.0.0.0/8', false],
    ['10.255.255.255', '10.0.0.0/8', true],
    ['192.168.1.1', '192.168.1.0/31', true],
    ['192.168.1.2', '192.168.1.0/31', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['1.2.3.5', '1.2.3.4', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['::1', '0.0.0.0/0', false],
    ['1.2.3.4', '::/0', true],
    ['::ffff:10.1.2.3', '10.0.0.0/8', true],
    ['10.1.2.3', '::ffff:10.0.0.0/104', true],
    ['::ffff:1.2.3.4', '1.2.3.4', true],
    ['2001:db8::42', '2001:db8::/32', true],
    ['2001:db9::42', '2001:db8::/32', false],
    ['2001:DB8::42', '2001:db8::/32', true],
    ['::1', '::1', true],
    ['::1', '::2', false],
    ['not-an-ip', '0.0.0.0/0', false],
    ['1.2.3.4', 'not-a-range', false],
  ] as const)('%s in %s: %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
    expect(ipInAllowlist(ip, ['bogus', cidr])).toBe(expected);
  });

  it('contains nothing when the list is empty', () => {
    expect(ipInAllowlist('1.2.3.4', [])).toBe(false);
  });

  it('matches the numeric model for random IPv4 addresses and ranges', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, base, length) => {
        const toInt = (s: string) => s.split('.').reduce((n, part) => n * 256 + Number(part), 0);
        const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
        const expected = (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
        expect(ipInCidr(ip, `${base}/${length}`)).toBe(expected);
        expect(ipInCidr(`::ffff:${ip}`, `${base}/${length}`)).toBe(expected);
      }),
    );
  });
});

describe('canonicalIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:102:304', '1.2.3.4'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['fe80::1%eth0', null],
    ['nope', null],
  ])('%s → %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it('round-trips: the canonical form parses to the same address and is a fixed point', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
        const canonical = canonicalIp(ip);
        expect(canonical).not.toBeNull();
        if (canonical === null) return;
        expect(parseIp(canonical)?.value).toBe(parseIp(ip)?.value);
        expect(canonicalIp(canonical)).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });
});
