import { isValidKeyPrefix } from '@keysmith/domain';

/** Client checks for the organization settings, worded like the API (organization.schemas.ts). */

export function validateKeyPrefix(value: string): string | null {
  const prefix = value.trim();
  if (prefix.length === 0) return 'Enter a key prefix';
  if (isValidKeyPrefix(prefix)) return null;
  if (/[A-Z]/.test(prefix) && isValidKeyPrefix(prefix.toLowerCase())) return 'Use lowercase letters';
  if (prefix.includes('_')) return 'The prefix cannot contain "_": it separates the parts of a key';
  return 'Prefix must be 2–8 lowercase letters or digits, starting with a letter';
}

/** What the start of a live key looks like with this prefix: `acme_live_…`. */
export function keyPreview(prefix: string, environment: 'live' | 'test' = 'live'): string {
  return `${prefix}_${environment}_…`;
}
