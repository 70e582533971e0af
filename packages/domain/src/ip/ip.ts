/**
 * IP addresses and CIDR ranges for key allowlists (§2) and failed-attempt blocks (§3).
 *
 * Every address is held as a 128-bit IPv6 value, IPv4 as its IPv4-mapped form
 * `::ffff:a.b.c.d`, so that `1.2.3.4` and `::ffff:1.2.3.4` (what a dual-stack socket reports
 * for an IPv4 client) are the same address and match the same ranges. Parsing is strict —
 * no leading zeros in IPv4 parts (`010` is octal to some tools), no zone ids (`%eth0`), no
 * surrounding spaces — because an allowlist that reads an address differently from the
 * network stack is a hole.
 */

/** A parsed address. `version` is 4 for IPv4 and IPv4-mapped IPv6 addresses. */
export interface IpAddress {
  readonly version: 4 | 6;
  /** The address as a 128-bit value (IPv4 as `::ffff:a.b.c.d`). */
  readonly value: bigint;
}

/** A parsed CIDR range (or a single address, as a /32 or /128). */
export interface IpRange {
  readonly version: 4 | 6;
  /** The network with host bits cleared, as a 128-bit value. */
  readonly network: bigint;
  /** Prefix length in the 128-bit space (an IPv4 `/24` is 120). */
  readonly prefixLength: number;
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;
const IPV4_MAPPED_MASK = ((1n << 96n) - 1n) << 32n;
const ALL_ONES_128 = (1n << 128n) - 1n;
const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;

function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function parseGroups(s: string): number[] | null {
  if (s === '') return [];
  const groups: number[] = [];
  const parts = s.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      groups.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
    } else {
      if (!HEX_GROUP.test(part)) return null;
      groups.push(Number.parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(s: string): bigint | null {
  if (s.length > 45) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  // An embedded IPv4 part may only end the address.
  if (halves.length === 2 && (halves[0] ?? '').includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

function versionOf(value: bigint): 4 | 6 {
  return (value & IPV4_MAPPED_MASK) === IPV4_MAPPED_PREFIX ? 4 : 6;
}

/** Parses an IPv4 or IPv6 address (not a range), or returns `null`. */
export function parseIp(s: string): IpAddress | null {
  if (typeof s !== 'string') return null;
  if (!s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 === null ? null : { version: 4, value: IPV4_MAPPED_PREFIX | BigInt(v4) };
  }
  const value = parseIpv6(s);
  return value === null ? null : { version: versionOf(value), value };
}

/**
 * Parses `address/prefix` or a bare address (a single-host range). The prefix is 0–32 after
 * an IPv4 address and 0–128 after an IPv6 one; host bits may be set (`10.1.2.3/8` means
 * `10.0.0.0/8`), as most firewalls accept.
 */
export function parseCidr(s: string): IpRange | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  const addressPart = slash === -1 ? s : s.slice(0, slash);
  const isV4Syntax = !addressPart.includes(':');
  const address = parseIp(addressPart);
  if (address === null) return null;
  let prefixLength = 128;
  if (slash !== -1) {
    const lengthPart = s.slice(slash + 1);
    if (!PREFIX_LENGTH.test(lengthPart)) return null;
    const length = Number(lengthPart);
    if (length > (isV4Syntax ? 32 : 128)) return null;
    prefixLength = isV4Syntax ? length + 96 : length;
  }
  const mask =
    prefixLength === 0 ? 0n : (ALL_ONES_128 >> BigInt(128 - prefixLength)) << BigInt(128 - prefixLength);
  const network = address.value & mask;
  const version = isV4Syntax || (prefixLength >= 96 && versionOf(network) === 4) ? 4 : 6;
  return { version, network, prefixLength };
}

/** Whether `s` is an IPv4 or IPv6 address. */
export function isValidIp(s: string): boolean {
  return parseIp(s) !== null;
}

/** Whether `s` is an address or a CIDR range: what an allowlist entry may be. */
export function isValidIpOrCidr(s: string): boolean {
  return parseCidr(s) !== null;
}

function contains(range: IpRange, address: IpAddress): boolean {
  const shift = BigInt(128 - range.prefixLength);
  return address.value >> shift === range.network >> shift;
}

/** Whether address `ip` lies in range `cidr` (either may be IPv4, IPv4-mapped or IPv6). Invalid input: `false`. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const address = parseIp(ip);
  const range = parseCidr(cidr);
  return address !== null && range !== null && contains(range, address);
}

/**
 * Whether `ip` matches an entry of a key's allowlist (addresses or CIDR ranges). Invalid
 * entries match nothing and an invalid `ip` matches nothing. An empty list contains no
 * address, so it answers `false`: "no allowlist, any IP" is the caller's decision (a key
 * without a list skips the check, §3 step 7), never implied by an empty one.
 */
export function ipInAllowlist(ip: string, list: readonly string[]): boolean {
  const address = parseIp(ip);
  if (address === null) return false;
  for (const entry of list) {
    const range = parseCidr(entry);
    if (range !== null && contains(range, address)) return true;
  }
  return false;
}

/**
 * The canonical text of an address: dotted quad for IPv4 and IPv4-mapped addresses,
 * RFC 5952 for IPv6 (lowercase, no leading zeros, the longest run of two or more zero groups
 * as `::`, the first on a tie). Use it as the key of per-IP state (blocks, "new IP" events)
 * so that one address cannot appear under several spellings. `null` for an invalid address.
 */
export function canonicalIp(s: string): string | null {
  const address = parseIp(s);
  if (address === null) return null;
  if (address.version === 4) {
    const v4 = Number(address.value & 0xffffffffn);
    return [v4 >>> 24, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((address.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
