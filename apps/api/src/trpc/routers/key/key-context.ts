import type { Actor } from '../../../auth/policy.js';
import type { KeyServiceContext } from '../../../modules/api-key/key-access.js';
import type { TrpcContext } from '../../context.js';

/** The key service's view of a signed-in admin acting inside one organization. */
export function keyServiceContext(
  ctx: TrpcContext & { user: { id: string; email: string }; actor: Actor },
  organizationId: string,
): KeyServiceContext {
  return {
    em: ctx.em,
    organizationId,
    principal: { kind: 'user', userId: ctx.user.id, label: ctx.user.email, ip: ctx.ip, actor: ctx.actor },
    changes: ctx.app.keyChanges,
  };
}
