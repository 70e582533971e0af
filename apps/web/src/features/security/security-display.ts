/**
 * How security events read (§6): one sentence per event built from its kind and details, and
 * the tabs of the security screen. Pure, so the wording is tested.
 */

export const SECURITY_TABS = ['activity', 'quota', 'new-ips', 'failed-auth', 'blocked'] as const;
export type SecurityTab = (typeof SECURITY_TABS)[number];

export const SECURITY_TAB_LABEL: Record<SecurityTab, string> = {
  activity: 'Activity',
  quota: 'Quota exceeded',
  'new-ips': 'New IPs',
  'failed-auth': 'Failed auth',
  blocked: 'Blocked IPs',
};

export function parseSecurityTab(value: string | null): SecurityTab {
  return (SECURITY_TABS as readonly string[]).includes(value ?? '') ? (value as SecurityTab) : 'activity';
}

/** The parts of a security event the sentence needs (`security.list` items). */
export interface SecurityEventLike {
  kind: string;
  ip: string | null;
  keyId: string | null;
  keyName: string | null;
  details: Record<string, unknown>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const numberFormat = new Intl.NumberFormat('en-US');

export type SecurityTone = 'warning' | 'danger' | 'info' | 'success';

export interface SecuritySentence {
  title: string;
  tone: SecurityTone;
}

/** Who reported a leak (`details.reported_by` of `key_leaked`). */
const LEAK_REPORTER: Record<string, string> = {
  secret_scanner: 'a secret scanner',
  public_report: 'someone holding it',
  member: 'a member',
};

/** The key an event is about, by name when it still has one. */
export function eventKeyName(event: SecurityEventLike): string {
  return event.keyName ?? text(event.details.key_name) ?? event.keyId ?? 'A key';
}

/** One line saying what happened. */
export function describeSecurityEvent(event: SecurityEventLike): SecuritySentence {
  const ip = event.ip ?? 'An IP address';
  switch (event.kind) {
    case 'quota_exceeded': {
      const window = text(event.details.window) ?? 'a';
      const limit = count(event.details.limit);
      return {
        title: `${eventKeyName(event)} ran out of its ${window} quota${limit === null ? '' : ` of ${numberFormat.format(limit)}`}`,
        tone: 'warning',
      };
    }
    case 'new_ip':
      return { title: `${eventKeyName(event)} was used from a new IP, ${ip}`, tone: 'info' };
    case 'ip_blocked': {
      const failures = count(event.details.failures);
      const minutes = count(event.details.window_minutes);
      const after =
        failures === null
          ? 'after repeated failed attempts'
          : `after ${numberFormat.format(failures)} failed attempts${minutes === null ? '' : ` in ${numberFormat.format(minutes)} minutes`}`;
      return { title: `${ip} was blocked ${after}`, tone: 'danger' };
    }
    case 'ip_unblocked': {
      const by = text(event.details.by);
      return { title: `${ip} was unblocked${by ? ` by ${by}` : ''}`, tone: 'success' };
    }
    case 'failed_auth': {
      const failures = count(event.details.failures);
      const minutes = count(event.details.window_minutes);
      if (failures === null) return { title: `Failed authentication from ${ip}`, tone: 'danger' };
      const within = minutes === null ? '' : ` in ${numberFormat.format(minutes)} minutes`;
      return {
        title: `${numberFormat.format(failures)} failed attempts from ${ip}${within}`,
        tone: 'danger',
      };
    }
    case 'key_leaked': {
      const by = LEAK_REPORTER[text(event.details.reported_by) ?? ''] ?? 'a report';
      const action = text(event.details.action);
      const done =
        action === 'revoked' ? 'revoked' : action === 'deactivated' ? 'deactivated' : 'not stopped';
      return { title: `${eventKeyName(event)} was reported leaked by ${by} and ${done}`, tone: 'danger' };
    }
    default:
      return { title: event.kind, tone: 'info' };
  }
}

/** A bucket of rate-limit hits (`security.rateLimitHits` series), every bucket of the period. */
export interface HitBucket {
  start: number;
  rateLimited: number;
  quotaExceeded: number;
}

/**
 * The period `[from, to)` cut into buckets of `bucketMs` aligned as the server aligns them
 * (UTC hours or days), each with the hits the series holds for it (zero where it holds none),
 * so a chart shows quiet time as gaps. At most 800 buckets.
 */
export function hitBuckets(
  series: readonly { at: string; rateLimited: number; quotaExceeded: number }[],
  from: number,
  to: number,
  bucketMs: number,
): HitBucket[] {
  const first = Math.floor(from / bucketMs) * bucketMs;
  const count = Math.min(800, Math.max(1, Math.ceil((to - first) / bucketMs)));
  const buckets: HitBucket[] = Array.from({ length: count }, (_, i) => ({
    start: first + i * bucketMs,
    rateLimited: 0,
    quotaExceeded: 0,
  }));
  for (const point of series) {
    const i = Math.floor((Date.parse(point.at) - first) / bucketMs);
    const bucket = buckets[i];
    if (!bucket) continue;
    bucket.rateLimited += point.rateLimited;
    bucket.quotaExceeded += point.quotaExceeded;
  }
  return buckets;
}
