import {
  normalizeScopeCatalog,
  PLAN_LIMITS,
  type Plan,
  scopesNotGrantable,
  scopesOutsideCatalog,
} from '@keysmith/domain';
import type { TSpaceAction } from '../../auth/policy.js';
import { principalCan, principalUserId } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import { Organization } from '../organization/organization.entity.js';
import type { Space } from '../space/space.entity.js';
import { ApiKey } from './api-key.entity.js';
import type { TUpdateKey } from './api-key.schemas.js';
import { keyStateOf } from './key-state.js';

export const KEYS_NOT_IN_PLAN =
  'API keys are not included in the Free plan. Upgrade to Pro, Team or Enterprise to issue keys.';

export async function loadOrganization(em: Em, organizationId: string): Promise<Organization> {
  return em.findOneOrFail(
    Organization,
    { id: organizationId },
    { failHandler: () => AppError.notFound('Organization') },
  );
}

export function assertPlanIncludesKeys(org: Organization): void {
  if (!PLAN_LIMITS[org.plan as Plan].apiKeys) throw new AppError('PRECONDITION_FAILED', KEYS_NOT_IN_PLAN);
}

/** Loads a key of the tenant that the principal may see; anything else does not exist for them. */
export async function loadVisibleKey(ctx: ServiceContext, keyId: string): Promise<ApiKey> {
  const key = await ctx.em.findOne(
    ApiKey,
    { id: keyId, organization: ctx.organizationId },
    { populate: ['space', 'ownerUser'] },
  );
  if (!key || !principalCan(ctx.principal, 'key.read', key.space.id)) throw AppError.notFound('API key');
  return key;
}

/** Managing a key: space admins (and org owners/admins) any key, developers only their own. */
function assertCanManage(ctx: ServiceContext, key: ApiKey): void {
  const spaceId = key.space.id;
  if (principalCan(ctx.principal, 'key.manageAny', spaceId)) return;
  const own = key.ownerUser?.id !== undefined && key.ownerUser.id === principalUserId(ctx.principal);
  if (own && principalCan(ctx.principal, 'key.manageOwn', spaceId)) return;
  throw new AppError('FORBIDDEN', 'You can only manage keys you created in this space');
}

/** A key the principal may see (else NOT_FOUND) and manage (else FORBIDDEN). */
export async function loadManagedKey(ctx: ServiceContext, keyId: string): Promise<ApiKey> {
  const key = await loadVisibleKey(ctx, keyId);
  assertCanManage(ctx, key);
  return key;
}

/** Revocation is permanent: a revoked key (by the domain's {@link keyStateOf}) can only be read. */
export function assertNotRevoked(key: ApiKey, now: Date, message: string): void {
  if (keyStateOf(key, now) === 'revoked') throw new AppError('PRECONDITION_FAILED', message);
}

export function assertSpaceAction(ctx: ServiceContext, action: TSpaceAction, space: Space): void {
  if (!principalCan(ctx.principal, 'key.read', space.id)) throw AppError.notFound('Space');
  if (!principalCan(ctx.principal, action, space.id)) {
    throw new AppError('FORBIDDEN', 'You do not have permission to create keys in this space');
  }
}

/**
 * Scopes never escalate (§4): a key gives the keys it creates, updates or rolls only scopes it
 * holds itself (`admin:*` may give any), and no key changes its own scopes. Admins are bound by
 * the space catalog and their role instead; `target` is the key being changed, if any.
 */
export function assertNoScopeEscalation(
  ctx: ServiceContext,
  scopes: readonly string[] | undefined,
  target?: ApiKey,
): void {
  const principal = ctx.principal;
  if (principal.kind !== 'key' || scopes === undefined) return;
  if (target && target.id === principal.keyId) {
    const next = [...new Set(scopes)].sort();
    const same = next.length === target.scopes.length && next.every((scope, i) => scope === target.scopes[i]);
    if (!same) throw AppError.field('FORBIDDEN', 'scopes', 'A key cannot change its own scopes');
    return;
  }
  const missing = scopesNotGrantable(principal.scopes, scopes);
  if (missing.length > 0) {
    throw AppError.field(
      'FORBIDDEN',
      'scopes',
      `A key can only grant scopes it holds itself; this key does not hold ${missing.join(', ')}`,
    );
  }
}

export function validateAgainstPlanAndSpace(
  org: Organization,
  space: Space,
  input: Pick<TUpdateKey, 'scopes' | 'rateLimit' | 'autoRenew' | 'expiresAt'>,
  now: Date,
): void {
  if (input.scopes) {
    const outside = scopesOutsideCatalog(input.scopes, normalizeScopeCatalog(space.scopeCatalog));
    if (outside.length > 0) {
      throw AppError.field(
        'BAD_REQUEST',
        'scopes',
        `Not in the space's scope catalog: ${outside.join(', ')}`,
      );
    }
  }
  const limits = PLAN_LIMITS[org.plan as Plan];
  for (const cap of ['perSecond', 'perMinute'] as const) {
    const value = input.rateLimit?.[cap];
    if (value != null && value > limits[cap]) {
      throw AppError.field(
        'BAD_REQUEST',
        `rateLimit.${cap}`,
        `At most ${limits[cap]} on the ${org.plan} plan`,
      );
    }
  }
  if (input.autoRenew && !limits.autoRenew) {
    throw AppError.field('BAD_REQUEST', 'autoRenew', 'Auto-renew is available on the Enterprise plan');
  }
  if (input.expiresAt && new Date(input.expiresAt) <= now) {
    throw AppError.field('BAD_REQUEST', 'expiresAt', 'Expiry must be in the future');
  }
}
