import { generateApiKey, keyPolicyViolations } from '@keysmith/domain';
import { LockMode } from '@mikro-orm/core';
import { auditActorOf, principalUserId } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvent } from '../event/event.service.js';
import { assertKeyPolicy, effectivePolicyFor } from '../key-policy/key-policy.service.js';
import { ApiKey } from './api-key.entity.js';
import type { TCreatedKey } from './api-key.schemas.js';
import {
  assertNoScopeEscalation,
  assertNotRevoked,
  assertPlanIncludesKeys,
  loadManagedKey,
  loadOrganization,
} from './key-access.js';
import type { KeyChangePublisher } from './key-changes.js';
import { issuedKeyDto } from './key-dto.js';
import { auditView, changedFields, issuedFieldsOf, issueKey, policyShapeOf } from './key-fields.js';
import { keyRevokedEvent } from './revoke-key.js';

/**
 * Replaces a key: the new one copies the old one's issued fields (`ISSUED_KEY_FIELDS`: space,
 * category, environment, scopes, quotas, rate limit, allowlist, expiry); the old one keeps
 * working for `graceSeconds` and then counts as revoked (verification compares `graceEndsAt`
 * with the clock, and the scheduler stamps `revokedAt`, so the cut-over is exact even if no
 * scheduler runs at that instant).
 */
export async function rollKey(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
  graceSeconds: number,
): Promise<TCreatedKey> {
  const now = ctx.now;
  const old = await loadManagedKey(ctx, keyId);
  assertNotRevoked(old, now, 'A revoked key cannot be rolled');
  // The roller receives the replacement's secret: it must hold every scope the replacement gets.
  assertNoScopeEscalation(ctx, old.scopes, old);
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  assertPlanIncludesKeys(org);
  // The replacement is a new key with the old one's expiry and allowlist: it must comply (§10).
  const policy = await effectivePolicyFor(ctx.em, ctx.organizationId, old.space.id);
  assertKeyPolicy(keyPolicyViolations(policy, policyShapeOf(old), now.getTime()));
  const generated = generateApiKey({ prefix: org.keyPrefix, environment: old.environment });
  const replacementId = await ctx.em.transactional(async (tx) => {
    // Row lock: two concurrent rolls of one key cannot both issue a replacement.
    const locked = await tx.findOneOrFail(
      ApiKey,
      { id: old.id, organization: ctx.organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (locked.rolledToId) throw new AppError('PRECONDITION_FAILED', 'This key was already rolled');
    const before = auditView(locked);
    // The old key keeps its name: names are unique among keys not rolled (flushed first, so
    // the replacement can take the name the old key no longer holds in the unique index).
    const name = locked.name;
    locked.graceEndsAt = new Date(now.getTime() + graceSeconds * 1000);
    if (graceSeconds === 0) locked.revokedAt = now;
    locked.version += 1;
    locked.rolledToId = generated.keyId;
    await tx.flush();
    const replacement = issueKey(tx, {
      generated,
      organization: ctx.organizationId,
      space: locked.space,
      ownerUser: principalUserId(ctx.principal) ?? locked.ownerUser ?? null,
      ownerKeyId: ctx.principal.kind === 'key' ? ctx.principal.keyId : null,
      name,
      // The same expiry was already announced for the old key: its notice markers come along,
      // so there is no second notice after a roll.
      fields: issuedFieldsOf(locked),
      rolledFromId: locked.id,
      now,
    });
    locked.rolledToId = replacement.id;
    recordAudit(tx, auditActorOf(ctx.principal), {
      organizationId: ctx.organizationId,
      action: 'key.roll',
      target: { type: 'api_key', id: locked.id, label: name },
      ...changedFields(before, { ...auditView(locked), rolledToId: replacement.id }),
    });
    if (locked.revokedAt) {
      // No grace: the old key is revoked now, and announced with the roll's transaction.
      await emitEvent(
        tx,
        ctx.organizationId,
        'key.revoked',
        keyRevokedEvent(locked, ctx.principal, now, { reason: 'rolled', replaced_by: replacement.id }),
        now,
      );
    }
    await tx.flush();
    return replacement.id;
  });
  changes.publish(ctx.organizationId, old.id);
  const em = ctx.em.fork();
  const replacement = await em.findOneOrFail(
    ApiKey,
    { id: replacementId },
    { populate: ['space', 'ownerUser'] },
  );
  return { key: generated.key, record: await issuedKeyDto(em, ctx.organizationId, replacement, now, policy) };
}
