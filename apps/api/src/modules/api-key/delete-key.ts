import { auditActorOf } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadManagedKey } from './key-access.js';
import type { KeyChangePublisher } from './key-changes.js';
import { usedKeyIds } from './key-dto.js';
import { auditView } from './key-fields.js';

/** Deletes a key that was never used; a used key must be deactivated or revoked instead (history is kept). */
export async function deleteKey(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
): Promise<{ id: string }> {
  const key = await loadManagedKey(ctx, keyId);
  const used = key.lastUsedAt != null || (await usedKeyIds(ctx.em, [key.id])).has(key.id);
  if (used) {
    throw new AppError(
      'CONFLICT',
      'This key has been used, so it cannot be deleted: its request history is kept. Deactivate or revoke it instead.',
    );
  }
  recordAudit(ctx.em, auditActorOf(ctx.principal), {
    organizationId: ctx.organizationId,
    action: 'key.delete',
    target: { type: 'api_key', id: key.id, label: key.name },
    before: auditView(key),
  });
  ctx.em.remove(key);
  await ctx.em.flush();
  changes.publish(ctx.organizationId, key.id);
  return { id: keyId };
}
