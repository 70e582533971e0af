import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './target-address.js';

describe('isPublicAddress', () => {
  it.each([
    // IPv4 non-public
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.0.0.1', false],
    ['10.255.255.255', false],
    ['100.64.0.1', false],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['192.0.0.8', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    // IPv4 public, including the neighbours of private ranges
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['9.255.255.255', true],
    ['11.0.0.0', true],
    ['172.15.255.255', true],
    ['172.32.0.0', true],
    ['100.63.255.255', true],
    ['100.128.0.0', true],
    ['169.253.255.255', true],
    ['192.167.255.255', true],
    ['223.255.255.255', true],
    // IPv6 non-public
    ['::', false],
    ['::1', false],
    ['[::1]', false],
    ['fe80::1', false],
    ['febf::1', false],
    ['fc00::1', false],
    ['fd00::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['2001::1', false],
    // IPv4-mapped, NAT64 and 6to4 forms judged by the IPv4 address inside
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::8.8.8.8', true],
    ['2002:7f00:1::', false],
    ['2002:0808:0808::1', true],
    // IPv4-compatible (deprecated) and other space outside 2000::/3
    ['::127.0.0.1', false],
    ['::8.8.8.8', false],
    // IPv6 public
    ['2606:4700:4700::1111', true],
    ['2a00:1450:4001:80b::200e', true],
    // not addresses
    ['', false],
    ['localhost', false],
    ['10.0.0.256', false],
    ['fe80::1%eth0', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('isPublicAddress over every IPv4 address', () => {
  const hex = (n: number) => n.toString(16);
  it('judges IPv4-mapped, NAT64 and 6to4 spellings as the IPv4 address itself', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
        const high = hex((a << 8) | b);
        const low = hex((c << 8) | d);
        const expected = isPublicAddress(v4);
        expect(isPublicAddress(`::ffff:${v4}`)).toBe(expected);
        expect(isPublicAddress(`::ffff:${high}:${low}`)).toBe(expected);
        expect(isPublicAddress(`64:ff9b::${high}:${low}`)).toBe(expected);
        expect(isPublicAddress(`2002:${high}:${low}::1`)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
