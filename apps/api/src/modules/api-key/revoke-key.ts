import { auditActorOf, type Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvent } from '../event/event.service.js';
import { keyEventPayload, keySubjectOf } from '../event/key-event-payload.js';
import type { ApiKey } from './api-key.entity.js';
import type { TApiKeyDto } from './api-key.schemas.js';
import { assertNotRevoked, loadManagedKey } from './key-access.js';
import type { KeyChangePublisher } from './key-changes.js';
import { auditView, changedFields } from './key-fields.js';
import { getKey } from './list-keys.js';

/*
 * The transitions of a key that keep its record: revoke (permanent) and deactivate /
 * reactivate (reversible). Deleting a never-used key is delete-key.ts.
 */

async function transition(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
  action: string,
  apply: (key: ApiKey, now: Date) => void,
  /** Queues what must commit with the change (events), before the flush that writes it. */
  alongside?: (key: ApiKey, now: Date) => Promise<unknown>,
): Promise<TApiKeyDto> {
  const now = ctx.now;
  const key = await loadManagedKey(ctx, keyId);
  const before = auditView(key);
  apply(key, now);
  key.version += 1;
  recordAudit(ctx.em, auditActorOf(ctx.principal), {
    organizationId: ctx.organizationId,
    action,
    target: { type: 'api_key', id: key.id, label: key.name },
    ...changedFields(before, auditView(key)),
  });
  if (alongside) await alongside(key, now);
  await ctx.em.flush();
  changes.publish(ctx.organizationId, key.id);
  return getKey(ctx, key.id);
}

/**
 * Extras of a revocation or (de)activation that Keysmith makes on its own account (a leak
 * report, §11) rather than on an admin's click.
 */
export interface KeyTransitionOptions {
  /** `reason` of the `key.revoked` event; `revoked` by default. */
  reason?: string;
  /** Queues records that must commit with the change (the leak's own events), before its flush. */
  alongside?: (key: ApiKey, now: Date) => Promise<unknown>;
}

export function setKeyActive(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
  active: boolean,
  options: KeyTransitionOptions = {},
): Promise<TApiKeyDto> {
  return transition(
    ctx,
    changes,
    keyId,
    active ? 'key.reactivate' : 'key.deactivate',
    (key, now) => {
      assertNotRevoked(key, now, 'A revoked key cannot be reactivated or deactivated');
      // Reactivating restarts the idle clock (§10), or the idle rule would undo it at once.
      if (active && !key.active) key.reactivatedAt = now;
      key.active = active;
    },
    options.alongside,
  );
}

/** The `key.revoked` event (§7) of a key revoked by `principal`, or by a roll without grace. */
export function keyRevokedEvent(
  key: ApiKey,
  principal: Principal,
  now: Date,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const actor = auditActorOf(principal);
  return keyEventPayload(keySubjectOf(key), {
    revoked_at: now.toISOString(),
    revoked_by: { type: actor.type, id: actor.id },
    ...extra,
  });
}

/**
 * Permanent. The record and its history stay; the key answers `Revoked API Key` from now on.
 * The `key.revoked` event is written in the same transaction as the revocation.
 */
export function revokeKey(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
  options: KeyTransitionOptions = {},
): Promise<TApiKeyDto> {
  return transition(
    ctx,
    changes,
    keyId,
    'key.revoke',
    (key, now) => {
      assertNotRevoked(key, now, 'This key is already revoked');
      key.revokedAt = now;
    },
    async (key, now) => {
      await emitEvent(
        ctx.em,
        ctx.organizationId,
        'key.revoked',
        keyRevokedEvent(key, ctx.principal, now, { reason: options.reason ?? 'revoked' }),
        now,
      );
      if (options.alongside) await options.alongside(key, now);
    },
  );
}
