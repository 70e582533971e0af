import { z } from 'zod';
import { ZInstantSchema } from '../request-log/request-log.schemas.js';
import { AUDIT_ACTOR_TYPES } from './audit.entity.js';

export const ZAuditFiltersSchema = z.object({
  actorId: z.string().min(1).max(64).optional(),
  /** Actions starting with this text: `key.` matches every key action. */
  action: z.string().trim().min(1).max(64).optional(),
  targetId: z.string().min(1).max(64).optional(),
  from: ZInstantSchema.optional(),
  to: ZInstantSchema.optional(),
});
export type TAuditFilters = z.infer<typeof ZAuditFiltersSchema>;

export const ZListAuditSchema = ZAuditFiltersSchema.extend({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListAudit = z.infer<typeof ZListAuditSchema>;

export const ZExportAuditSchema = ZAuditFiltersSchema.extend({ from: ZInstantSchema, to: ZInstantSchema });
export type TExportAudit = z.infer<typeof ZExportAuditSchema>;

const ZSnapshotSchema = z.record(z.string(), z.unknown()).nullable();

export const ZAuditEventSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  actor: z.object({ type: z.enum(AUDIT_ACTOR_TYPES), id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  ip: z.string().nullable(),
  before: ZSnapshotSchema,
  after: ZSnapshotSchema,
});
export type TAuditEvent = z.infer<typeof ZAuditEventSchema>;

export const ZAuditPageSchema = z.object({
  items: z.array(ZAuditEventSchema),
  nextCursor: z.string().nullable(),
});
export type TAuditPage = z.infer<typeof ZAuditPageSchema>;
