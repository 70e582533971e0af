import { KEY_PREFIX_REGEX, SLUG_REGEX } from '@keysmith/domain';
import { z } from 'zod';
import { safeText } from '../../http/text-rules.js';
import { ORG_ROLES } from '../membership/membership.entity.js';
import { PLANS } from './organization.entity.js';

export const ZOrgNameSchema = safeText(
  z.string().trim().min(1, 'Enter a name').max(128, 'Name must be at most 128 characters'),
);
export const ZSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'Slug must be at least 2 characters')
  .max(48, 'Slug must be at most 48 characters')
  .regex(SLUG_REGEX, 'Use lowercase letters, digits and single dashes');
export const ZKeyPrefixSchema = z
  .string()
  .regex(KEY_PREFIX_REGEX, 'Prefix must be 2–8 lowercase letters or digits, starting with a letter');

export const ZCreateOrganizationSchema = z.object({
  name: ZOrgNameSchema,
  slug: ZSlugSchema.optional(),
});
export type TCreateOrganization = z.infer<typeof ZCreateOrganizationSchema>;

export const ZOrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  plan: z.enum(PLANS),
  keyPrefix: z.string(),
  role: z.enum(ORG_ROLES),
  createdAt: z.date(),
});
export type TOrganization = z.infer<typeof ZOrganizationSchema>;

/** Rename, change slug or key prefix; omitted fields stay as they are. */
export const ZUpdateOrganizationSchema = z.object({
  name: ZOrgNameSchema.optional(),
  slug: ZSlugSchema.optional(),
  keyPrefix: ZKeyPrefixSchema.optional(),
});
export type TUpdateOrganization = z.infer<typeof ZUpdateOrganizationSchema>;

export const ZChangePlanSchema = z.object({ plan: z.enum(PLANS, 'Choose a plan') });

/** Deleting asks the user to type the slug, so a slip of the mouse cannot destroy an organization. */
export const ZDeleteOrganizationSchema = z.object({
  confirmSlug: z.string().trim().max(64, 'Type the slug of the organization to confirm'),
});

export const ZTransferOwnershipSchema = z.object({
  /** The member who becomes owner. */
  userId: z.string().min(1).max(64),
});

export const ZDeleteOrganizationResultSchema = z.object({ id: z.string(), deleted: z.literal(true) });
