import { generatePublicId } from '@keysmith/domain';

/** Stripe-style public ids: a type prefix and 16 base62 characters, e.g. `org_4f9Q…`. */
export type TIdPrefix =
  | 'usr'
  | 'org'
  | 'mem'
  | 'inv'
  | 'spc'
  | 'smb'
  | 'aud'
  | 'sec'
  | 'whk'
  | 'dlv'
  | 'evt'
  | 'log'
  | 'req'
  | 'kpl'
  | 'nrd'
  | 'nmk';

export function newId(prefix: TIdPrefix): string {
  return generatePublicId(prefix, 16);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Request ids without a random draw per request (issue 10): `req_` + 8 random base62
 * characters fixed for this process + an 8-character base62 counter. Unique across processes
 * (62^8 process prefixes) and requests (62^8 per process), the same shape as every other id,
 * and cheap: a counter increment and a short string build.
 */
export function requestIdGenerator(): () => string {
  const prefix = generatePublicId('req', 8);
  let counter = 0;
  const digits = new Array<string>(8);
  return () => {
    counter = (counter + 1) % 218_340_105_584_896; // 62^8
    let n = counter;
    for (let i = 7; i >= 0; i--) {
      digits[i] = BASE62[n % 62] ?? '0';
      n = Math.floor(n / 62);
    }
    return prefix + digits.join('');
  };
}
