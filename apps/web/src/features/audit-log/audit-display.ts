/**
 * How audit events read: an action in words, where its target lives in the admin, and the
 * field-by-field difference between the before and after snapshots. Pure, so it is tested.
 */

/** Known actions in words; anything else is shown as its code. */
export const ACTION_LABEL: Readonly<Record<string, string>> = {
  'key.create': 'Created API key',
  'key.update': 'Updated API key',
  'key.roll': 'Rolled API key',
  'key.revoke': 'Revoked API key',
  'key.deactivate': 'Deactivated API key',
  'key.reactivate': 'Reactivated API key',
  'key.delete': 'Deleted API key',
  'key.auto_renew': 'Renewed API key automatically',
  'key.idle_deactivate': 'Deactivated idle API key',
  'key.rotation_due': 'Reminded to rotate API key',
  'key.leak_reported': 'Reported API key as leaked',
  'key_policy.update': 'Updated key policy',
  'space.create': 'Created space',
  'space.update': 'Updated space',
  'space.delete': 'Deleted space',
  'space.archive': 'Archived space',
  'space.unarchive': 'Unarchived space',
  'space.member_add': 'Added space member',
  'space.member_role_change': 'Changed space role',
  'space.member_remove': 'Removed space member',
  'member.role_change': 'Changed member role',
  'member.remove': 'Removed member',
  'member.leave': 'Left organization',
  'invitation.create': 'Invited member',
  'invitation.revoke': 'Revoked invitation',
  'invitation.accept': 'Accepted invitation',
  'organization.create': 'Created organization',
  'organization.update': 'Updated organization',
  'organization.plan_change': 'Changed plan',
  'organization.ownership_transfer': 'Transferred ownership',
  'organization.delete': 'Deleted organization',
  'webhook.create': 'Added webhook endpoint',
  'webhook.update': 'Updated webhook endpoint',
  'webhook.rotate_secret': 'Rotated webhook secret',
  'webhook.delete': 'Deleted webhook endpoint',
  'webhook.redeliver': 'Redelivered webhook event',
  'webhook.test': 'Sent a webhook test event',
  'security.ip_unblock': 'Unblocked IP address',
};

export function actionLabel(action: string): string {
  return ACTION_LABEL[action] ?? action;
}

/** The action filter: prefixes the server matches with `starts with` (`key.` is every key action). */
export const ACTION_FILTERS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'key.', label: 'API keys' },
  { value: 'space.', label: 'Spaces' },
  { value: 'member.', label: 'Members' },
  { value: 'invitation.', label: 'Invitations' },
  { value: 'organization.', label: 'Organization' },
  { value: 'webhook.', label: 'Webhooks' },
  { value: 'security.', label: 'Security' },
  { value: 'key_policy.', label: 'Key policies' },
];

/** Whether the action destroys or takes away something (shown in red). */
export function actionTone(action: string): 'danger' | 'neutral' {
  return /\.(delete|revoke|remove|deactivate|leave)$/.test(action) ? 'danger' : 'neutral';
}

/** Where a target can be opened in the admin (`keys/key_…`), or null for targets without a page. */
export function targetSection(type: string, id: string | null): string | null {
  if (!id) return null;
  switch (type) {
    case 'api_key':
      return `keys/${id}`;
    case 'space':
      return `spaces/${id}`;
    case 'webhook_endpoint':
      return `webhooks/${id}`;
    case 'member':
      return 'members';
    default:
      return null;
  }
}

export const TARGET_TYPE_LABEL: Readonly<Record<string, string>> = {
  api_key: 'API key',
  space: 'Space',
  member: 'Member',
  invitation: 'Invitation',
  organization: 'Organization',
  webhook_endpoint: 'Webhook',
  ip: 'IP address',
};

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  kind: DiffKind;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested objects as dotted fields (`quotas.daily`), so a diff names the exact field that changed. */
export function flattenSnapshot(
  snapshot: Record<string, unknown> | null,
  prefix = '',
): Record<string, unknown> | null {
  if (snapshot === null) return null;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      Object.assign(flat, flattenSnapshot(value, `${prefix}${key}.`));
    } else {
      flat[`${prefix}${key}`] = value;
    }
  }
  return flat;
}

/**
 * The fields of two snapshots that differ, in the order they first appear (nested objects
 * flattened): `added` when only the after snapshot has a value (a creation), `removed` when
 * only the before one does (a deletion), `changed` otherwise.
 */
export function auditDiff(
  beforeSnapshot: Record<string, unknown> | null,
  afterSnapshot: Record<string, unknown> | null,
): DiffRow[] {
  const before = flattenSnapshot(beforeSnapshot);
  const after = flattenSnapshot(afterSnapshot);
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const rows: DiffRow[] = [];
  for (const field of fields) {
    const b = before?.[field];
    const a = after?.[field];
    if (before && after && same(a, b)) continue;
    const hadValue = b !== undefined && b !== null && b !== '';
    const hasValue = a !== undefined && a !== null && a !== '';
    if (!hadValue && !hasValue) continue;
    const kind: DiffKind = !hadValue ? 'added' : !hasValue ? 'removed' : 'changed';
    rows.push({ field, before: b, after: a, kind });
  }
  return rows;
}

/** A snapshot value as text: `—` for nothing, lists comma-separated, objects as JSON. */
export function formatAuditValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((item) => formatAuditValue(item)).join(', ');
  }
  return JSON.stringify(value);
}

/**
 * `quotaDaily` → "Quota daily", `rateLimit.perSecond` → "Rate limit › per second": readable
 * enough without a table of every field.
 */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split('.')
    .map((part) => part.trim())
    .join(' › ')
    .replace(/\b(ip|url|id|ids)\b/g, (word) => (word === 'ids' ? 'IDs' : word.toUpperCase()));
  return words.charAt(0).toUpperCase() + words.slice(1);
}
