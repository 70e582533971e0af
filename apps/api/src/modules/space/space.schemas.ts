import { isValidScope, SCOPE_MAX_LENGTH } from '@keysmith/domain';
import { z } from 'zod';
import { safeText } from '../../http/text-rules.js';
import { ZSlugSchema } from '../organization/organization.schemas.js';
import { SPACE_ROLES } from './space.entity.js';

export const ZSpaceNameSchema = safeText(
  z.string().trim().min(1, 'Enter a name').max(64, 'Name must be at most 64 characters'),
);

/** `#RRGGBB`, stored upper-case. */
export const ZLogoColorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #4F46E5')
  .transform((v) => v.toUpperCase());

/**
 * A logo's URL: an image on the web (https only, so the SPA never loads mixed content), or an
 * uploaded logo's own path (`/logos/<hash>.<ext>`, see space-logo.ts).
 */
export const ZLogoUrlSchema = z
  .string()
  .trim()
  .max(2048, 'URL is too long')
  .refine((v) => {
    if (/^\/logos\/[0-9a-f]{32}\.(png|jpg|svg)$/.test(v)) return true;
    try {
      const url = new URL(v);
      return url.protocol === 'https:' && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'Logo URL must be an https:// URL');

/**
 * A scope catalog as typed by a space admin. Every entry must follow the §4 grammar; the
 * message names the first bad entry so the form can point at it. The reserved `keys:*` scopes
 * are added by the service, so they may be omitted here.
 */
export const ZScopeCatalogSchema = z
  .array(z.string().max(SCOPE_MAX_LENGTH, `A scope has at most ${SCOPE_MAX_LENGTH} characters`))
  .max(500, 'A catalog has at most 500 scopes')
  .superRefine((scopes, ctx) => {
    const bad = scopes.find((s) => !isValidScope(s));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${bad}" is not a valid scope: use resource:action or resource:* in lowercase, e.g. orders:read`,
      });
    }
  });

export const ZSpaceRoleSchema = z.enum(SPACE_ROLES, 'Choose admin, developer or viewer');

export const ZSpaceRefSchema = z.object({ spaceId: z.string().min(1).max(64) });

/** A PNG, JPEG or SVG logo for a space, base64 (its content is checked by space-logo.ts). */
export const ZUploadSpaceLogoSchema = ZSpaceRefSchema.extend({
  // 256 kB of bytes is at most 349,528 base64 characters.
  contentBase64: z
    .string()
    .max(350_000, 'The image is larger than 256 kB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file must be sent as base64'),
});

export const ZCreateSpaceSchema = z.object({
  name: ZSpaceNameSchema,
  slug: ZSlugSchema.optional(),
  logoColor: ZLogoColorSchema.optional(),
  scopeCatalog: ZScopeCatalogSchema.optional(),
});
export type TCreateSpace = z.infer<typeof ZCreateSpaceSchema>;

export const ZUpdateSpaceSchema = ZSpaceRefSchema.extend({
  name: ZSpaceNameSchema.optional(),
  logoColor: ZLogoColorSchema.optional(),
  logoUrl: ZLogoUrlSchema.nullable().optional(),
  scopeCatalog: ZScopeCatalogSchema.optional(),
});
export type TUpdateSpace = z.infer<typeof ZUpdateSpaceSchema>;

export const ZSpaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  logoColor: z.string(),
  logoUrl: z.string().nullable(),
  /** Shown on the colour logo when there is no uploaded image. */
  initials: z.string(),
  scopeCatalog: z.array(z.string()),
  archived: z.boolean(),
  archivedAt: z.date().nullable(),
  /** Every key row of the space, revoked ones included (history is kept). */
  keyCount: z.number().int(),
  memberCount: z.number().int(),
  /** The caller's own space role, or null (org owners and admins see every space without one). */
  myRole: z.enum(SPACE_ROLES).nullable(),
  createdAt: z.date(),
});
export type TSpace = z.infer<typeof ZSpaceSchema>;

export const ZDeleteSpaceResultSchema = z.object({
  id: z.string(),
  /** `deleted` when the space had no keys; otherwise it is `archived` and its keys keep their history. */
  outcome: z.enum(['deleted', 'archived']),
  keyCount: z.number().int(),
});
export type TDeleteSpaceResult = z.infer<typeof ZDeleteSpaceResultSchema>;

export const ZSpaceMemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  initials: z.string(),
  avatarColor: z.string(),
  role: z.enum(SPACE_ROLES),
  addedAt: z.date(),
});
export type TSpaceMember = z.infer<typeof ZSpaceMemberSchema>;

export const ZAddSpaceMemberSchema = ZSpaceRefSchema.extend({
  userId: z.string().min(1).max(64),
  role: ZSpaceRoleSchema,
});
export type TAddSpaceMember = z.infer<typeof ZAddSpaceMemberSchema>;

export const ZChangeSpaceMemberRoleSchema = ZAddSpaceMemberSchema;
export const ZRemoveSpaceMemberSchema = ZSpaceRefSchema.extend({ userId: z.string().min(1).max(64) });
