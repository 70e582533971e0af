import { defineEntity, p } from '@mikro-orm/core';

/**
 * One row per authenticated request (§3), admitted or not. Append-only and written in
 * batches off the critical path; no foreign keys so inserts never wait on parent locks.
 */
export const RequestLogSchema = defineEntity({
  name: 'RequestLog',
  tableName: 'request_logs',
  indexes: [
    { name: 'request_logs_key_time_idx', properties: ['keyId', 'time', 'id'] },
    { name: 'request_logs_org_time_idx', properties: ['organizationId', 'time', 'id'] },
    { name: 'request_logs_space_time_idx', properties: ['spaceId', 'time', 'id'] },
    /**
     * Retention deletes by `time < cutoff` across all tenants. Rows arrive in time order, so a
     * BRIN index finds the old ones for a few pages of index and costs the insert path nothing
     * measurable (a B-tree on `time` would add a write per row).
     */
    { name: 'request_logs_time_brin_idx', properties: ['time'], type: 'brin' },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    organizationId: p.string().length(24),
    spaceId: p.string().length(24).nullable(),
    keyId: p.string().length(20).nullable(),
    time: p.datetime(),
    method: p.string().length(8),
    endpoint: p.string().length(512),
    status: p.smallint(),
    durationMs: p.float(),
    ip: p.string().length(45).nullable(),
    credits: p.integer().default(0),
    code: p.string().length(32),
  },
});

export class RequestLog extends RequestLogSchema.class {}
RequestLogSchema.setClass(RequestLog);
