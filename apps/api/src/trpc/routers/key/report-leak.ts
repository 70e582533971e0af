import { ZReportLeakInputSchema, ZReportLeakResultSchema } from '../../../modules/leak/leak.schemas.js';
import { handleLeakReports } from '../../../modules/leak/leak.service.js';
import { orgProcedure, requireOrg } from '../../trpc.js';

/**
 * "Report as leaked" (§11) from the admin's pasted-key watcher: the same path as `POST /v1/leaks`
 * (possession of the full key proves the leak, so any member may report). The answer names the
 * key and what was done only when the key belongs to this organization.
 */
export const reportLeakProcedure = orgProcedure
  .input(ZReportLeakInputSchema)
  .output(ZReportLeakResultSchema)
  .mutation(async ({ ctx, input }) => {
    requireOrg(ctx.actor, 'leak.report');
    const [outcome] = await handleLeakReports(
      { em: () => ctx.em.fork(), changes: ctx.app.keyChanges },
      [{ token: input.token, url: input.url, source: 'admin' }],
      { kind: 'member', organizationId: input.orgId, userId: ctx.user.id, email: ctx.user.email, ip: ctx.ip },
    );
    const own = outcome?.organizationId === input.orgId;
    return {
      label: outcome?.label ?? 'false_positive',
      keyId: own ? (outcome?.keyId ?? null) : null,
      action: own ? (outcome?.action ?? null) : null,
    };
  });
