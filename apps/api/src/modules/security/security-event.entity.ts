import { defineEntity, p } from '@mikro-orm/core';

export const SECURITY_EVENT_KINDS = [
  'failed_auth',
  'ip_blocked',
  'ip_unblocked',
  'quota_exceeded',
  'new_ip',
  'key_leaked',
] as const;
export type TSecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/**
 * Something an admin should look at (§1): failed-auth bursts, IP blocks, quota exhaustion,
 * a key used from an IP it never used before, a key reported leaked (§11). `organizationId` is null for events that
 * cannot be tied to a tenant (e.g. failures with made-up keys). Written off the hot path.
 */
export const SecurityEventSchema = defineEntity({
  name: 'SecurityEvent',
  tableName: 'security_events',
  indexes: [
    { name: 'security_events_org_time_idx', properties: ['organizationId', 'createdAt'] },
    { name: 'security_events_ip_time_idx', properties: ['ip', 'createdAt'] },
  ],
  properties: {
    id: p.string().primary().length(24),
    organizationId: p.string().length(24).nullable(),
    kind: p.enum([...SECURITY_EVENT_KINDS]),
    ip: p.string().length(45).nullable(),
    keyId: p.string().length(20).nullable(),
    details: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SecurityEvent extends SecurityEventSchema.class {}
SecurityEventSchema.setClass(SecurityEvent);

/** IPs each key has been used from, to notice a new one (§6 security events). */
export const KeyIpSchema = defineEntity({
  name: 'KeyIp',
  tableName: 'key_ips',
  primaryKeys: ['keyId', 'ip'],
  properties: {
    keyId: p.string().length(20).primary(),
    ip: p.string().length(45).primary(),
    organizationId: p.string().length(24),
    firstSeenAt: p.datetime(),
  },
});

export class KeyIp extends KeyIpSchema.class {}
KeyIpSchema.setClass(KeyIp);

/** Where a failed attempt was seen: a direct `/v1` call, or a consumer's key reported through verify. */
export const AUTH_FAILURE_SOURCES = ['direct', 'verify'] as const;
export type TAuthFailureSource = (typeof AUTH_FAILURE_SOURCES)[number];

/**
 * Failed authentications (`MISSING`/`INVALID`) attributed to an organization, counted per
 * minute, IP, code and the key id they named (`''` for none), so admins see probing long before
 * it becomes a block (§6). Attributed means: reported by the organization's backend through
 * `/v1/keys/verify`, or naming a real key id of the organization with a wrong secret. Written in
 * batches off the hot path; several processes add to the same row.
 */
export const AuthFailureSchema = defineEntity({
  name: 'AuthFailure',
  tableName: 'auth_failures',
  primaryKeys: ['organizationId', 'ip', 'minute', 'code', 'keyId', 'source'],
  indexes: [{ name: 'auth_failures_org_minute_idx', properties: ['organizationId', 'minute'] }],
  properties: {
    organizationId: p.string().length(24).primary(),
    ip: p.string().length(45).primary(),
    minute: p.datetime().primary(),
    code: p.string().length(16).primary(),
    keyId: p.string().length(20).primary(),
    source: p.enum([...AUTH_FAILURE_SOURCES]).primary(),
    count: p.integer(),
  },
});

export class AuthFailure extends AuthFailureSchema.class {}
AuthFailureSchema.setClass(AuthFailure);
