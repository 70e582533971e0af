import { type TextRuleOptions, unsafeTextMessage, unsafeTextReason } from '@keysmith/domain';
import type { z } from 'zod';

/**
 * Adds the §5 text rule to a string schema: no control characters (line breaks allowed with
 * `multiline`), no lone surrogates, with the same message the SPA shows. Used for names,
 * descriptions and search strings; the catch-all guards (tRPC middleware, REST routes) refuse
 * NUL and lone surrogates in every other field.
 */
export function safeText<S extends z.ZodType<string>>(schema: S, options: TextRuleOptions = {}): S {
  return schema.check((ctx) => {
    const reason = unsafeTextReason(ctx.value, options);
    if (reason) ctx.issues.push({ code: 'custom', message: unsafeTextMessage(reason), input: ctx.value });
  }) as S;
}
