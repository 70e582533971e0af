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
