import { type ApiKeyEnvironment, generateApiKey, keyPolicyViolations } from '@keysmith/domain';
import { auditActorOf, principalUserId } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertKeyPolicy, effectivePolicyFor } from '../key-policy/key-policy.service.js';
import { Space } from '../space/space.entity.js';
import type { TCreatedKey, TCreateKey } from './api-key.schemas.js';
import {
  assertNoScopeEscalation,
  assertPlanIncludesKeys,
  assertSpaceAction,
  loadOrganization,
  validateAgainstPlanAndSpace,
} from './key-access.js';
import { issuedKeyDto } from './key-dto.js';
import { auditView, flushOrConflict, type IssuedKeyFields, issueKey, lifetimeOf } from './key-fields.js';

/** The {@link IssuedKeyFields} of a new key, from the create input. */
function issuedFieldsFrom(input: TCreateKey, expiresAt: Date | null, now: Date): IssuedKeyFields {
  return {
    description: input.description ?? '',
    category: input.category,
    environment: input.environment,
    scopes: [...new Set(input.scopes)].sort(),
    expiresAt,
    lifetimeSeconds: lifetimeOf(expiresAt, now),
    // A new expiry has had no notices yet.
    expiryWarnedAt: null,
    expiredNotifiedAt: null,
    quotaTotal: input.quotas?.total ?? null,
    quotaDaily: input.quotas?.daily ?? null,
    quotaWeekly: input.quotas?.weekly ?? null,
    quotaMonthly: input.quotas?.monthly ?? null,
    rateLimitPerSecond: input.rateLimit?.perSecond ?? null,
    rateLimitPerMinute: input.rateLimit?.perMinute ?? null,
    ipAllowlist: input.ipAllowlist ?? [],
    autoRenew: input.autoRenew ?? false,
  };
}

/** Issues a new key. The full key is in the result and nowhere else: not stored, not logged. */
export async function createKey(ctx: ServiceContext, input: TCreateKey): Promise<TCreatedKey> {
  const now = ctx.now;
  const org = await loadOrganization(ctx.em, ctx.organizationId);
  assertPlanIncludesKeys(org);
  const space = await ctx.em.findOne(Space, { id: input.spaceId, organization: ctx.organizationId });
  if (!space) throw AppError.field('NOT_FOUND', 'spaceId', 'Space not found');
  assertSpaceAction(ctx, 'key.create', space);
  if (space.archivedAt) throw AppError.field('BAD_REQUEST', 'spaceId', 'This space is archived');
  assertNoScopeEscalation(ctx, input.scopes);
  validateAgainstPlanAndSpace(org, space, input, now);
  if (input.autoRenew && !input.expiresAt) {
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew needs an expiry date');
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  const policy = await effectivePolicyFor(ctx.em, org.id, space.id);
  assertKeyPolicy(
    keyPolicyViolations(
      policy,
      {
        environment: input.environment,
        expiresAt: expiresAt?.getTime() ?? null,
        ipAllowlist: input.ipAllowlist ?? [],
      },
      now.getTime(),
    ),
  );
  const generated = generateApiKey({
    prefix: org.keyPrefix,
    environment: input.environment as ApiKeyEnvironment,
  });
  const principal = ctx.principal;
  const key = issueKey(ctx.em, {
    generated,
    organization: org,
    space,
    ownerUser: principalUserId(principal),
    ownerKeyId: principal.kind === 'key' ? principal.keyId : null,
    name: input.name,
    fields: issuedFieldsFrom(input, expiresAt, now),
    now,
  });
  recordAudit(ctx.em, auditActorOf(principal), {
    organizationId: org.id,
    action: 'key.create',
    target: { type: 'api_key', id: key.id, label: key.name },
    after: auditView(key),
  });
  await flushOrConflict(ctx.em);
  await ctx.em.populate(key, ['space', 'ownerUser']);
  return { key: generated.key, record: await issuedKeyDto(ctx.em, org.id, key, now, policy) };
}
