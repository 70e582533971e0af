import { keyChangeViolations, type PolicyKeyShape } from '@keysmith/domain';
import { auditActorOf } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertKeyPolicy, effectivePolicyFor } from '../key-policy/key-policy.service.js';
import type { TApiKeyDto, TUpdateKey } from './api-key.schemas.js';
import {
  assertNoScopeEscalation,
  assertNotRevoked,
  loadManagedKey,
  loadOrganization,
  validateAgainstPlanAndSpace,
} from './key-access.js';
import type { KeyChangePublisher } from './key-changes.js';
import { auditView, changedFields, flushOrConflict, lifetimeOf, policyShapeOf } from './key-fields.js';
import { getKey } from './list-keys.js';

/** Applies §2.2 edits; every change is audited with before/after and announced to verifiers. */
export async function updateKey(
  ctx: ServiceContext,
  changes: KeyChangePublisher,
  keyId: string,
  input: TUpdateKey,
): Promise<TApiKeyDto> {
  const now = ctx.now;
  const key = await loadManagedKey(ctx, keyId);
  assertNotRevoked(key, now, 'A revoked key cannot be edited');
  assertNoScopeEscalation(ctx, input.scopes, key);
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  validateAgainstPlanAndSpace(org, key.space, input, now);
  // §10: the fields this edit changes must comply; fields it leaves alone are not re-judged.
  const shapeBefore = policyShapeOf(key);
  const shapeAfter: PolicyKeyShape = {
    ...shapeBefore,
    ...(input.expiresAt !== undefined
      ? { expiresAt: input.expiresAt ? new Date(input.expiresAt).getTime() : null }
      : {}),
    ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist } : {}),
  };
  assertKeyPolicy(
    keyChangeViolations(
      await effectivePolicyFor(ctx.em, ctx.organizationId, key.space.id),
      shapeBefore,
      shapeAfter,
      now.getTime(),
    ),
  );
  const before = auditView(key);
  if (input.name !== undefined) {
    key.name = input.name;
    key.nameNormalized = input.name.toLowerCase();
  }
  if (input.description !== undefined) key.description = input.description;
  if (input.category !== undefined) key.category = input.category;
  if (input.scopes !== undefined) key.scopes = [...new Set(input.scopes)].sort();
  if (input.expiresAt !== undefined) {
    key.expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    // A new expiry gets its own notices.
    key.expiryWarnedAt = null;
    key.expiredNotifiedAt = null;
    key.lifetimeSeconds = lifetimeOf(key.expiresAt, now);
  }
  if (input.quotas !== undefined) {
    if (input.quotas.total !== undefined) key.quotaTotal = input.quotas.total;
    if (input.quotas.daily !== undefined) key.quotaDaily = input.quotas.daily;
    if (input.quotas.weekly !== undefined) key.quotaWeekly = input.quotas.weekly;
    if (input.quotas.monthly !== undefined) key.quotaMonthly = input.quotas.monthly;
  }
  if (input.rateLimit !== undefined) {
    key.rateLimitPerSecond = input.rateLimit?.perSecond ?? null;
    key.rateLimitPerMinute = input.rateLimit?.perMinute ?? null;
  }
  if (input.ipAllowlist !== undefined) key.ipAllowlist = input.ipAllowlist;
  if (input.autoRenew !== undefined) key.autoRenew = input.autoRenew;
  if (key.autoRenew && !key.expiresAt)
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew needs an expiry date');
  const diff = changedFields(before, auditView(key));
  if (Object.keys(diff.after).length > 0) {
    key.version += 1;
    recordAudit(ctx.em, auditActorOf(ctx.principal), {
      organizationId: ctx.organizationId,
      action: 'key.update',
      target: { type: 'api_key', id: key.id, label: key.name },
      ...diff,
    });
  }
  await flushOrConflict(ctx.em);
  changes.publish(ctx.organizationId, key.id);
  return getKey(ctx, key.id);
}
