import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../modules/user/user.entity.js';

/**
 * An admin session. `id` is the SHA-256 (hex) of the token held in the cookie: a leaked
 * table cannot be replayed as cookies.
 */
export const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary().length(64),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    /** Sliding expiry, pushed forward while the session is used. */
    expiresAt: p.datetime(),
    /** Absolute expiry: never moves. */
    absoluteExpiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    ip: p.string().length(45).nullable(),
    userAgent: p.string().length(512).nullable(),
  },
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
