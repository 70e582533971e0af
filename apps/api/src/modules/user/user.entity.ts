import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../../db/entity-fields.js';

/** An admin of the SPA. Email is unique case-insensitively: `emailNormalized` carries the constraint. */
export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.string().primary().length(24),
    email: p.string().length(320),
    emailNormalized: p.string().length(320).unique(),
    displayName: p.string().length(128),
    avatarColor: p.string().length(7),
    passwordHash: p.text().hidden().lazy(),
    ...timestamps(),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
