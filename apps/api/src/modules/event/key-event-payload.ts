/** The key fields every `key.*` event carries (§7): identifying, never secret. */
export interface KeyEventSubject {
  id: string;
  name: string;
  spaceId: string;
  environment: string;
  /** The redacted preview (`sk_live_7Hq2...0Rr`), safe to show. */
  preview: string;
  expiresAt: Date | string | null;
}

/**
 * The snake_case payload of a `key.*` event: `{key_id, key_name, space_id, environment,
 * preview, expires_at, …extra}`. `space_id` also decides which members see the notification.
 */
export function keyEventPayload(
  key: KeyEventSubject,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    key_id: key.id,
    key_name: key.name,
    space_id: key.spaceId,
    environment: key.environment,
    preview: key.preview,
    expires_at: key.expiresAt ? new Date(key.expiresAt).toISOString() : null,
    ...extra,
  };
}

/** A key as the scheduler's statements return it (`returning` {@link KEY_EVENT_COLUMNS}). */
export interface KeyEventRow {
  id: string;
  organization_id: string;
  name: string;
  space_id: string;
  environment: string;
  preview: string;
  expires_at: Date | string | null;
}

/** The columns of {@link KeyEventRow}, for a `returning` clause over `api_keys k`. */
export const KEY_EVENT_COLUMNS =
  'k.id, k.organization_id, k.name, k.space_id, k.environment, k.preview, k.expires_at';

export function keySubjectOfRow(row: KeyEventRow): KeyEventSubject {
  return {
    id: row.id,
    name: row.name,
    spaceId: row.space_id,
    environment: row.environment,
    preview: row.preview,
    expiresAt: row.expires_at,
  };
}

/** The subject of a loaded key (its `space` reference needs only its id). */
export function keySubjectOf(key: {
  id: string;
  name: string;
  space: { id: string };
  environment: string;
  preview: string;
  expiresAt?: Date | null | undefined;
}): KeyEventSubject {
  return {
    id: key.id,
    name: key.name,
    spaceId: key.space.id,
    environment: key.environment,
    preview: key.preview,
    expiresAt: key.expiresAt ?? null,
  };
}
