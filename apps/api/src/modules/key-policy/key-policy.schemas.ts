import { KEY_POLICY_FIELDS, LEAK_RESPONSES, POLICY_DAYS_MAX, POLICY_DAYS_MIN } from '@keysmith/domain';
import { z } from 'zod';
import { KEY_ENVIRONMENTS } from '../api-key/api-key.entity.js';

const ZPolicyDaysSchema = z
  .number()
  .int('Use a whole number of days')
  .min(POLICY_DAYS_MIN, `At least ${POLICY_DAYS_MIN} day`)
  .max(POLICY_DAYS_MAX, `At most ${POLICY_DAYS_MAX} days (10 years)`)
  .nullable();

/** One set of §10 rules; `null` / `false`: no rule (for a space: as the organization). */
export const ZKeyPolicySchema = z.strictObject({
  maxLifetimeDays: ZPolicyDaysSchema,
  requireExpiry: z.boolean(),
  idleDeactivateDays: ZPolicyDaysSchema,
  rotationReminderDays: ZPolicyDaysSchema,
  requireIpAllowlistForLive: z.boolean(),
});
export type TKeyPolicy = z.infer<typeof ZKeyPolicySchema>;

export const ZLeakResponseSchema = z.enum(LEAK_RESPONSES, 'Choose revoke, deactivate or notify');

export const ZKeyPolicyQuerySchema = z.object({
  /** With a space: also that space's own rules and the rules in force there. */
  spaceId: z.string().min(1).max(64).optional(),
});

export const ZUpdateOrganizationPolicySchema = z.object({
  policy: ZKeyPolicySchema,
  leakResponse: ZLeakResponseSchema,
});
export type TUpdateOrganizationPolicy = z.infer<typeof ZUpdateOrganizationPolicySchema>;

export const ZUpdateSpacePolicySchema = z.object({
  spaceId: z.string().min(1).max(64),
  policy: ZKeyPolicySchema,
});
export type TUpdateSpacePolicy = z.infer<typeof ZUpdateSpacePolicySchema>;

/** A proposed policy, for the organization (no `spaceId`) or one space. */
export const ZPolicyPreviewInputSchema = z.object({
  spaceId: z.string().min(1).max(64).optional(),
  policy: ZKeyPolicySchema,
});
export type TPolicyPreviewInput = z.infer<typeof ZPolicyPreviewInputSchema>;

const ZLooserRuleSchema = z.object({ field: z.enum(KEY_POLICY_FIELDS), message: z.string() });

/** The organization's rules, and (when asked for a space) the space's own and those in force there. */
export const ZKeyPoliciesSchema = z.object({
  organization: ZKeyPolicySchema,
  leakResponse: ZLeakResponseSchema,
  space: ZKeyPolicySchema.nullable(),
  /** The rules keys of the space (or, without one, of the organization) must follow. */
  effective: ZKeyPolicySchema,
  /** Rules the space sets more loosely than the organization: they have no effect. */
  looser: z.array(ZLooserRuleSchema),
});
export type TKeyPolicies = z.infer<typeof ZKeyPoliciesSchema>;

export const ZPolicyConsequenceSchema = z.object({
  kind: z.enum(['deactivate', 'rotationReminder', 'violation']),
  /** When it happens (ISO); at or before the preview's `now`: at the scheduler's next run. Null for violations. */
  at: z.string().nullable(),
  rule: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string().nullable(),
});

export const ZPolicyPreviewSchema = z.object({
  now: z.string(),
  /** Keys the proposed policy would apply to (not revoked). */
  keysChecked: z.number(),
  /** Keys with at least one consequence. */
  affected: z.number(),
  counts: z.object({
    deactivateNow: z.number(),
    deactivateLater: z.number(),
    remindNow: z.number(),
    remindLater: z.number(),
    violations: z.number(),
  }),
  /** The affected keys, soonest consequence first (at most 100). */
  keys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      preview: z.string(),
      environment: z.enum(KEY_ENVIRONMENTS),
      space: z.object({ id: z.string(), name: z.string() }),
      consequences: z.array(ZPolicyConsequenceSchema),
    }),
  ),
});
export type TPolicyPreview = z.infer<typeof ZPolicyPreviewSchema>;

/** How a key stands against the rules in force in its space (keys table, key detail). */
export const ZKeyPolicyStatusSchema = z.object({
  violations: z.array(z.object({ rule: z.string(), field: z.string(), message: z.string() })),
  dueForRotation: z.boolean(),
  rotationDueAt: z.string().nullable(),
  idleDeactivationAt: z.string().nullable(),
});
export type TKeyPolicyStatus = z.infer<typeof ZKeyPolicyStatusSchema>;
