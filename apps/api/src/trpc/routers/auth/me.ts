import { z } from 'zod';
import { ZOrganizationSchema } from '../../../modules/organization/organization.schemas.js';
import { listMyOrganizations } from '../../../modules/organization/organization.service.js';
import { ZUserSchema } from '../../../modules/user/user.schemas.js';
import { toUserDto } from '../../../modules/user/user.service.js';
import { publicProcedure } from '../../trpc.js';

/** The signed-in user and their organizations, or `null` when signed out (not an error: the SPA asks on load). */
export const meProcedure = publicProcedure
  .output(z.object({ user: ZUserSchema, organizations: z.array(ZOrganizationSchema) }).nullable())
  .query(async ({ ctx }) => {
    if (!ctx.auth) return null;
    return {
      user: toUserDto(ctx.auth.user),
      organizations: await listMyOrganizations(ctx.em, ctx.auth.user.id),
    };
  });
