import { defineEntity, p } from '@mikro-orm/core';

/**
 * An uploaded space logo (§1: "uploaded image URL"): the bytes, checked by content when they
 * came in, and the SHA-256 that names them in their URL (`/logos/<hash>.<ext>`), so a URL
 * never changes meaning and can be cached for good. One per space; a new upload replaces it.
 */
export const SpaceLogoSchema = defineEntity({
  name: 'SpaceLogo',
  tableName: 'space_logos',
  indexes: [{ name: 'space_logos_hash_idx', properties: ['hash'] }],
  properties: {
    spaceId: p.string().primary().length(24),
    organizationId: p.string().length(24),
    /** First 32 hex characters of the SHA-256 of `content`. */
    hash: p.string().length(32),
    contentType: p.string().length(32),
    content: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SpaceLogo extends SpaceLogoSchema.class {}
SpaceLogoSchema.setClass(SpaceLogo);
