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
  | 'nrd'
  | 'nmk';

export function newId(prefix: TIdPrefix): string {
  return generatePublicId(prefix, 16);
}
