import { findUnsafeText, unsafeTextMessage } from '@keysmith/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { Actor } from '../auth/policy.js';
import type { ServiceContext } from '../auth/service-context.js';
import { AppError, type TAppErrorCode } from '../errors.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { SpaceMembership } from '../modules/space/space.entity.js';
import type { TrpcContext } from './context.js';

const TRPC_CODE: Record<TAppErrorCode, TRPCError['code']> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
};

/** First message per field, keyed by the dotted input path, so forms can show it beside the field. */
export function zodFieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'input';
    fields[key] ??= issue.message;
  }
  return fields;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fields =
      cause instanceof ZodError
        ? zodFieldErrors(cause)
        : cause instanceof AppError
          ? (cause.fields ?? null)
          : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'Something went wrong on our side; please try again.' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fields,
        retryAfterSeconds: cause instanceof AppError ? (cause.retryAfterSeconds ?? null) : null,
      },
    };
  },
});

/** Turns service AppErrors into tRPC errors with the right code; logs unexpected failures. */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
    }
    if (result.error.code === 'INTERNAL_SERVER_ERROR') {
      ctx.app.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
    }
  }
  return result;
});

/**
 * The catch-all text guard (§5): no NUL and no lone surrogate in any string of any input, object
 * keys included, reaches a procedure (PostgreSQL can store neither). Names, descriptions and
 * search strings refuse other control characters in their own schemas.
 */
const rejectUnsafeText = t.middleware(async ({ getRawInput, next }) => {
  const found = findUnsafeText(await getRawInput());
  if (found) {
    throw AppError.field('BAD_REQUEST', found.path.join('.') || 'input', unsafeTextMessage(found.reason));
  }
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errorMapping).use(rejectUnsafeText);

/** A signed-in admin; `ctx.user` is guaranteed. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  return next({ ctx: { ...ctx, user: ctx.auth.user, auth: ctx.auth } });
});

/**
 * A procedure inside one organization: input carries `orgId`; the caller must be a member,
 * otherwise the organization does not exist for them (NOT_FOUND, never FORBIDDEN). The
 * membership is read on every request, so removing a member ends their access at once.
 * `ctx.service` is the {@link ServiceContext} the services take; they check permissions with it.
 */
export const orgProcedure = authedProcedure
  .input(z.object({ orgId: z.string().min(1).max(64) }))
  .use(async ({ ctx, input, next }) => {
    const membership = await ctx.em.findOne(
      Membership,
      { organization: input.orgId, user: ctx.user.id },
      { populate: ['organization'] },
    );
    if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: 'Organization not found' });
    const spaceMemberships = await ctx.em.find(SpaceMembership, {
      organization: input.orgId,
      user: ctx.user.id,
    });
    const actor: Actor = {
      userId: ctx.user.id,
      orgRole: membership.role,
      spaceRoles: new Map(spaceMemberships.map((m) => [m.space.id, m.role])),
    };
    const service: ServiceContext = {
      em: ctx.em,
      organizationId: input.orgId,
      principal: { kind: 'user', userId: ctx.user.id, label: ctx.user.email, ip: ctx.ip, actor },
      now: new Date(),
    };
    return next({ ctx: { ...ctx, org: membership.organization, service } });
  });
