import { dateTimeFormat } from '../../lib/format';
import type { RouterOutputs } from '../../lib/trpc';

export type Notification = RouterOutputs['notification']['list']['data'][number];
export type NotificationType = Notification['type'];

/** Every kind, in the order the kind filter lists them. */
export const NOTIFICATION_KINDS: readonly NotificationType[] = [
  'key.expiring',
  'key.expired',
  'key.quota_exceeded',
  'key.new_ip',
  'key.revoked',
  'key.idle_deactivated',
  'key.rotation_due',
  'key.leaked',
  'ip.blocked',
  'ip.failed_auth_burst',
];

export const NOTIFICATION_KIND_LABEL: Record<NotificationType, string> = {
  'key.expiring': 'Expiring keys',
  'key.expired': 'Expired keys',
  'key.quota_exceeded': 'Quota exceeded',
  'key.new_ip': 'New IPs',
  'key.revoked': 'Revoked keys',
  'key.idle_deactivated': 'Idle keys deactivated',
  'key.rotation_due': 'Rotation due',
  'key.leaked': 'Leaked keys',
  'ip.blocked': 'Blocked IPs',
  'ip.failed_auth_burst': 'Failed authentication',
};

export type NotificationTone = 'warning' | 'danger' | 'info' | 'neutral';

export interface NotificationView {
  title: string;
  detail: string;
  tone: NotificationTone;
  /** Where to look: a path below the organization (`keys/key_…`, `security?tab=blocked`). */
  section: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const numberFormat = new Intl.NumberFormat('en-US');

function day(iso: string, timeZone: string | undefined): string {
  return dateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(new Date(iso));
}

function clock(iso: string, timeZone: string | undefined): string {
  return dateTimeFormat('en-US', { timeStyle: 'short', timeZone }).format(new Date(iso));
}

const REVOKE_REASON: Record<string, string> = {
  revoked: 'Revoked by hand. Calls with it answer 401 Revoked API Key.',
  leaked: 'Found in public and revoked by your leak policy.',
  rolled: 'Replaced by a roll without grace period.',
  roll_grace_ended: 'The grace period of its roll ended; the replacement key carries on.',
};

/**
 * One notification (§7 event) in words, with where to go about it. The payload is the webhook's
 * (`data`, snake_case); fields that are missing are left out rather than shown as "undefined".
 */
export function describeNotification(
  notification: Pick<Notification, 'type' | 'data'> & Partial<Pick<Notification, 'count' | 'ips'>>,
  timeZone: string | undefined = undefined,
): NotificationView {
  const data = notification.data;
  const keyId = text(data.key_id);
  const name = text(data.key_name) ?? keyId ?? 'A key';
  const keySection = keyId ? `keys/${keyId}` : null;
  switch (notification.type) {
    case 'key.expiring': {
      const expires = text(data.expires_at);
      return {
        title: expires ? `${name} expires on ${day(expires, timeZone)}` : `${name} expires soon`,
        detail: 'Extend its expiry or roll it before your consumers are cut off.',
        tone: 'warning',
        section: keySection,
      };
    }
    case 'key.expired':
      return {
        title: `${name} expired`,
        detail: 'Calls with it answer 401 Expired API Key.',
        tone: 'danger',
        section: keySection,
      };
    case 'key.quota_exceeded': {
      const window = text(data.window) ?? 'a';
      const limit = count(data.limit);
      return {
        title: `${name} ran out of its ${window} quota`,
        detail: `${limit === null ? 'Its quota is used up' : `All ${numberFormat.format(limit)} credits are used`}; requests are refused until credits free up.`,
        tone: 'warning',
        section: keySection,
      };
    }
    case 'key.revoked':
      return {
        title: `${name} was revoked`,
        detail: REVOKE_REASON[text(data.reason) ?? ''] ?? 'Calls with it answer 401 Revoked API Key.',
        tone: 'danger',
        section: keySection,
      };
    case 'key.new_ip': {
      const ip = text(data.ip);
      const ips = notification.ips ?? [];
      if ((notification.count ?? 1) > 1) {
        const shown = ips.slice(0, 3).join(', ');
        const more = ips.length > 3 ? ` and ${numberFormat.format(ips.length - 3)} more` : '';
        return {
          title: `${name} was used from ${numberFormat.format(Math.max(ips.length, 2))} new IPs`,
          detail: `${shown}${more}, the same day. If you don't recognise them, revoke or roll the key.`,
          tone: 'info',
          section: keySection,
        };
      }
      return {
        title: `${name} was used from a new IP`,
        detail: ip
          ? `First call from ${ip}. If you don't recognise it, revoke or roll the key.`
          : 'A call came from an IP it never used.',
        tone: 'info',
        section: keySection,
      };
    }
    case 'ip.blocked': {
      const ip = text(data.ip) ?? 'An IP address';
      const failures = count(data.failures);
      const minutes = count(data.window_minutes);
      const until = text(data.until);
      const why =
        failures === null
          ? 'Too many failed attempts'
          : `${numberFormat.format(failures)} failed attempts${minutes === null ? '' : ` in ${numberFormat.format(minutes)} minutes`}`;
      return {
        title: `${ip} was blocked`,
        detail: until ? `${why}; blocked until ${clock(until, timeZone)}.` : `${why}.`,
        tone: 'danger',
        section: 'security?tab=blocked',
      };
    }
    case 'ip.failed_auth_burst': {
      const ip = text(data.ip) ?? 'An IP address';
      const failures = count(data.failures);
      const minutes = count(data.window_minutes);
      const blockAt = count(data.block_at);
      return {
        title: `Failed authentication from ${ip}`,
        detail: `${failures === null ? 'Many' : numberFormat.format(failures)} failed attempts${minutes === null ? '' : ` in ${numberFormat.format(minutes)} minutes`}${blockAt === null ? '' : `; the IP is blocked at ${numberFormat.format(blockAt)}`}.`,
        tone: 'warning',
        section: 'security?tab=failed-auth',
      };
    }
    case 'key.idle_deactivated': {
      const days = count(data.idle_deactivate_days);
      return {
        title: `${name} was deactivated: unused${days === null ? ' too long' : ` for ${numberFormat.format(days)} days`}`,
        detail: 'Your key policy deactivates idle keys. Reactivate it if it is still needed.',
        tone: 'warning',
        section: keySection,
      };
    }
    case 'key.rotation_due': {
      const age = count(data.age_days);
      return {
        title: `${name} is due for rotation`,
        detail: `${age === null ? 'It is older' : `It is ${numberFormat.format(age)} days old, older`} than your key policy's rotation period. Roll it to issue a replacement.`,
        tone: 'info',
        section: keySection,
      };
    }
    case 'key.leaked': {
      const where = text(data.url);
      const action = text(data.action);
      const done =
        action === 'revoked'
          ? 'It was revoked.'
          : action === 'deactivated'
            ? 'It was deactivated.'
            : 'It still works: revoke or roll it now.';
      return {
        title: `${name} was found in public`,
        detail: `${where ? `Found at ${where}. ` : ''}${done}`,
        tone: 'danger',
        section: keySection,
      };
    }
    default:
      return { title: notification.type, detail: '', tone: 'neutral', section: null };
  }
}
