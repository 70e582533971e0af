import { defineEntity, p } from '@mikro-orm/core';

/**
 * One row per verified request (§3, §5), admitted or not. Append-only and written in batches
 * off the critical path (COPY); no foreign keys so inserts never wait on parent locks.
 *
 * Every index is paid for by every row written, so there are only those the screens and
 * retention need (issue 10): the key's logs and counts (`key_id, time, id`), the organization's
 * logs, overview and security screens (`organization_id, time, id`; a space's view filters
 * these), and retention (a BRIN on `time`, nearly free to keep).
 */
export const RequestLogSchema = defineEntity({
  name: 'RequestLog',
  tableName: 'request_logs',
  indexes: [
    { name: 'request_logs_key_time_idx', properties: ['keyId', 'time', 'id'] },
    { name: 'request_logs_org_time_idx', properties: ['organizationId', 'time', 'id'] },
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
