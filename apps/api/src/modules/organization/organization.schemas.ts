import { KEY_PREFIX_REGEX, SLUG_REGEX } from '@keysmith/domain';
import { z } from 'zod';
import { ORG_ROLES } from '../membership/membership.entity.js';
import { PLANS } from './organization.entity.js';

export const ZOrgNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(128, 'Name must be at most 128 characters');
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
