import { parseIp } from '@keysmith/domain';

/**
 * Which addresses a webhook may be delivered to (§7): public unicast only. Private,
 * loopback, link-local, unique-local, unspecified, multicast and reserved targets are
 * refused, so a tenant cannot turn Keysmith into a proxy into its own network (SSRF).
 *
 * Addresses are compared as 128-bit values (the domain package maps IPv4 to
 * `::ffff:a.b.c.d`), so an IPv4-mapped spelling of a private address is still private.
 * IPv6 forms that embed an IPv4 address a gateway will connect to (NAT64, 6to4) are judged
 * by the embedded address.
 */

interface Range {
  network: bigint;
  prefixLength: number;
}

const V4_MAPPED = 0xffffn << 32n;

function v4Range(cidr: string): Range {
  const [address = '', length = '32'] = cidr.split('/');
  const parsed = parseIp(address);
  if (parsed?.version !== 4) throw new Error(`bad IPv4 range ${cidr}`);
  return { network: parsed.value, prefixLength: 96 + Number(length) };
}

function v6Range(cidr: string): Range {
  const [address = '', length = '128'] = cidr.split('/');
  const parsed = parseIp(address);
  if (!parsed) throw new Error(`bad IPv6 range ${cidr}`);
  return { network: parsed.value, prefixLength: Number(length) };
}

function inRange(value: bigint, range: Range): boolean {
  const shift = BigInt(128 - range.prefixLength);
  return value >> shift === range.network >> shift;
}

/** IPv4 space that is not public unicast (IANA special-purpose registry). */
const NON_PUBLIC_V4 = [
  '0.0.0.0/8', // "this network", incl. the unspecified address
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, incl. cloud metadata (169.254.169.254)
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, incl. broadcast
].map(v4Range);

/** Global unicast IPv6 space; everything outside it (::1, fe80::/10, fc00::/7, ff00::/8, …) is refused. */
const GLOBAL_UNICAST_V6 = v6Range('2000::/3');
/** Special-purpose blocks inside 2000::/3. */
const NON_PUBLIC_V6 = [
  '2001::/23', // IETF protocol assignments, incl. Teredo 2001::/32
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
].map(v6Range);
const NAT64 = v6Range('64:ff9b::/96');
const SIX_TO_FOUR = v6Range('2002::/16');

function isPublicV4(value32: bigint): boolean {
  const value = V4_MAPPED | value32;
  return !NON_PUBLIC_V4.some((range) => inRange(value, range));
}

/**
 * True when `ip` (any IPv4 or IPv6 spelling) is a public unicast address a webhook may be
 * sent to; false for everything else, including strings that are not addresses.
 */
export function isPublicAddress(ip: string): boolean {
  const parsed = parseIp(ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip);
  if (!parsed) return false;
  const { value } = parsed;
  if (parsed.version === 4) return isPublicV4(value & 0xffffffffn);
  if (inRange(value, NAT64)) return isPublicV4(value & 0xffffffffn);
  if (inRange(value, SIX_TO_FOUR)) return isPublicV4((value >> 80n) & 0xffffffffn);
  if (!inRange(value, GLOBAL_UNICAST_V6)) return false;
  return !NON_PUBLIC_V6.some((range) => inRange(value, range));
}
