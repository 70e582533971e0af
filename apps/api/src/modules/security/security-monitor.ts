import type { QuotaWindowName } from '@keysmith/domain';
import type { Logger } from 'pino';
import { newId } from '../../db/ids.js';
import type { Em, Orm } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import type { IpBlockPolicy } from '../../verify/counters.js';
import type { RequestLogEntry } from '../../verify/request-log-writer.js';
import { emitEvent } from '../event/event.service.js';
import { type KeyEventSubject, keyEventPayload } from '../event/key-event-payload.js';
import { SecurityEvent } from './security-event.entity.js';

const HOUR_MS = 3_600_000;

/** An admitted request of a key from an IP, as seen in a flushed request log row. */
interface KeyIpSighting {
  organizationId: string;
  keyId: string;
  ip: string;
  at: number;
}

/** A request refused because a quota window was full. */
export interface QuotaHit {
  organizationId: string;
  keyId: string;
  keyName: string;
  window: QuotaWindowName;
  limit: number | null;
  ip: string | null;
  at: number;
}

/** A new failed-attempt block of an IP (§3). */
export interface IpBlock {
  ip: string;
  until: number;
  /** The tenant the failures are attributed to, or null for made-up keys from nowhere. */
  organizationId: string | null;
  /** The real key whose id the failing request named, when there was one. */
  keyId: string | null;
  at: number;
}

interface Batch {
  sightings: KeyIpSighting[];
  quotaHits: QuotaHit[];
  blocks: IpBlock[];
  attempts: number;
}

export interface SecurityMonitorLimits {
  /** Pending sightings kept in memory between flushes; beyond it they wait for the key's next use. */
  maxPending: number;
  /** (key, IP) pairs remembered as already recorded, to skip the database for them. */
  maxKnownPairs: number;
  /** A batch that keeps failing is dropped (and logged) after this many tries. */
  maxAttempts: number;
}

const DEFAULT_LIMITS: SecurityMonitorLimits = { maxPending: 50_000, maxKnownPairs: 200_000, maxAttempts: 5 };

/**
 * Turns what the hot path saw into security events (§6) and notifications (§7), off the
 * critical path: the pipeline and the request-log writer only hand over facts (an in-memory
 * push); `flush()`, run by the verification loop after the logs are written, records them in
 * one transaction, each security event with its outbox event.
 * - `new_ip`: admitted rows add `(key, ip)` to `key_ips`; a pair that is new for a key which
 *   already had another IP is a `new_ip` event and `key.new_ip`. A key's very first IP is not.
 * - `quota_exceeded`: at most one event (and `key.quota_exceeded`) per key and window per
 *   hour, across processes (an advisory transaction lock serialises the check).
 * - `ip_blocked`: one event per block (IP and end time), with `ip.blocked` when attributed to
 *   an organization.
 */
export class SecurityMonitor {
  private sightings = new Map<string, KeyIpSighting>();
  private quotaHits = new Map<string, QuotaHit>();
  private blocks = new Map<string, IpBlock>();
  private retry: Batch | null = null;
  private readonly knownPairs = new Set<string>();
  /** Last recorded quota_exceeded per `key|window` (epoch ms). */
  private readonly quotaNoticed = new Map<string, number>();
  private flushing: Promise<void> | null = null;
  private readonly limits: SecurityMonitorLimits;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    private readonly ipPolicy: IpBlockPolicy,
    limits: Partial<SecurityMonitorLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Called with each batch of request log rows once it is written. */
  observe(rows: readonly RequestLogEntry[]): void {
    for (const row of rows) {
      if (row.code !== 'VALID' || !row.keyId || !row.ip) continue;
      const id = `${row.keyId}|${row.ip}`;
      if (this.knownPairs.has(id)) continue;
      const seen = this.sightings.get(id);
      if (seen) {
        if (row.time < seen.at) seen.at = row.time;
      } else if (this.sightings.size < this.limits.maxPending) {
        this.sightings.set(id, {
          organizationId: row.organizationId,
          keyId: row.keyId,
          ip: row.ip,
          at: row.time,
        });
      }
    }
  }

  quotaExceeded(hit: QuotaHit): void {
    const id = `${hit.keyId}|${hit.window}`;
    const last = this.quotaNoticed.get(id);
    if ((last !== undefined && hit.at - last < HOUR_MS) || this.quotaHits.has(id)) return;
    if (this.quotaHits.size < this.limits.maxPending) this.quotaHits.set(id, hit);
  }

  ipBlocked(block: IpBlock): void {
    const id = `${block.ip}|${block.until}`;
    if (!this.blocks.has(id) && this.blocks.size < this.limits.maxPending) this.blocks.set(id, block);
  }

  get pending(): number {
    return this.sightings.size + this.quotaHits.size + this.blocks.size + (this.retry ? 1 : 0);
  }

  /** Records everything handed over so far; a failed batch is retried on the next flush. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending === 0) return;
    const batch: Batch = this.retry ?? { sightings: [], quotaHits: [], blocks: [], attempts: 0 };
    this.retry = null;
    for (const s of this.sightings.values()) batch.sightings.push(s);
    for (const h of this.quotaHits.values()) batch.quotaHits.push(h);
    for (const b of this.blocks.values()) batch.blocks.push(b);
    this.sightings = new Map();
    this.quotaHits = new Map();
    this.blocks = new Map();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        batch.attempts += 1;
        if (batch.attempts < this.limits.maxAttempts) {
          this.retry = batch;
        } else {
          this.log.error(
            {
              err: error,
              sightings: batch.sightings.length,
              quotaHits: batch.quotaHits.length,
              blocks: batch.blocks.length,
            },
            'security events dropped after repeated failures',
          );
        }
        throw error;
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  private async write(batch: Batch): Promise<void> {
    const noticed: [string, number][] = [];
    await this.orm.em.fork().transactional(async (tx) => {
      await this.recordSightings(tx, batch.sightings);
      for (const hit of batch.quotaHits) {
        noticed.push([`${hit.keyId}|${hit.window}`, await this.recordQuotaHit(tx, hit)]);
      }
      for (const block of batch.blocks) await this.recordBlock(tx, block);
    });
    if (this.knownPairs.size + batch.sightings.length > this.limits.maxKnownPairs) this.knownPairs.clear();
    for (const s of batch.sightings) this.knownPairs.add(`${s.keyId}|${s.ip}`);
    if (this.quotaNoticed.size > 10_000) {
      const cutoff = Date.now() - HOUR_MS;
      for (const [id, at] of this.quotaNoticed) if (at < cutoff) this.quotaNoticed.delete(id);
    }
    for (const [id, at] of noticed) this.quotaNoticed.set(id, at);
  }

  /** What `key.*` event payloads say about each key (ids of keys since deleted are absent). */
  private async keySubjects(tx: Em, keyIds: string[]): Promise<Map<string, KeyEventSubject>> {
    if (keyIds.length === 0) return new Map();
    const rows: {
      id: string;
      name: string;
      space_id: string;
      environment: string;
      preview: string;
      expires_at: Date | string | null;
    }[] = await tx.execute(
      'select id, name, space_id, environment, preview, expires_at from api_keys where id = any(?::text[])',
      [pgTextArray(keyIds)],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          name: r.name,
          spaceId: r.space_id,
          environment: r.environment,
          preview: r.preview,
          expiresAt: r.expires_at,
        },
      ]),
    );
  }

  private async recordSightings(tx: Em, sightings: KeyIpSighting[]): Promise<void> {
    if (sightings.length === 0) return;
    const inserted: { key_id: string; ip: string }[] = await tx.execute(
      `insert into key_ips (key_id, ip, organization_id, first_seen_at)
       select * from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[])
       on conflict do nothing
       returning key_id, ip`,
      [
        pgTextArray(sightings.map((s) => s.keyId)),
        pgTextArray(sightings.map((s) => s.ip)),
        pgTextArray(sightings.map((s) => s.organizationId)),
        pgTextArray(sightings.map((s) => new Date(s.at).toISOString())),
      ],
    );
    if (inserted.length === 0) return;
    const bySighting = new Map(sightings.map((s) => [`${s.keyId}|${s.ip}`, s]));
    const newByKey = new Map<string, KeyIpSighting[]>();
    for (const row of inserted) {
      const sighting = bySighting.get(`${row.key_id}|${row.ip}`);
      if (!sighting) continue;
      newByKey.set(row.key_id, [...(newByKey.get(row.key_id) ?? []), sighting]);
    }
    const keyIds = [...newByKey.keys()];
    const counts: { key_id: string; n: number | string }[] = await tx.execute(
      'select key_id, count(*) as n from key_ips where key_id = any(?::text[]) group by key_id',
      [pgTextArray(keyIds)],
    );
    const subjects = await this.keySubjects(tx, keyIds);
    for (const { key_id: keyId, n } of counts) {
      const fresh = (newByKey.get(keyId) ?? []).sort((a, b) => a.at - b.at);
      const hadOther = Number(n) - fresh.length > 0;
      const subject = subjects.get(keyId);
      // A key's first IP ever is where it starts being used, not a new IP.
      for (const sighting of hadOther ? fresh : fresh.slice(1)) {
        const keyName = subject?.name ?? null;
        const firstSeenAt = new Date(sighting.at).toISOString();
        tx.create(SecurityEvent, {
          id: newId('sec'),
          organizationId: sighting.organizationId,
          kind: 'new_ip',
          ip: sighting.ip,
          keyId,
          details: { key_name: keyName, first_seen_at: firstSeenAt },
          createdAt: new Date(sighting.at),
        });
        const extra = { ip: sighting.ip, first_seen_at: firstSeenAt };
        await emitEvent(
          tx,
          sighting.organizationId,
          'key.new_ip',
          subject ? keyEventPayload(subject, extra) : { key_id: keyId, ...extra },
        );
      }
    }
  }

  /** Records the hit unless the key's window already has an event within the hour; returns that event's time. */
  private async recordQuotaHit(tx: Em, hit: QuotaHit): Promise<number> {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [
      `keysmith:quota-exceeded:${hit.keyId}:${hit.window}`,
    ]);
    const [existing] = await tx.execute<{ at: string }[]>(
      `select (extract(epoch from created_at) * 1000)::bigint::text as at from security_events
        where organization_id = ? and kind = 'quota_exceeded' and key_id = ? and details->>'window' = ?
          and created_at > ?
        order by created_at desc limit 1`,
      [hit.organizationId, hit.keyId, hit.window, new Date(hit.at - HOUR_MS)],
    );
    if (existing) return Number(existing.at);
    tx.create(SecurityEvent, {
      id: newId('sec'),
      organizationId: hit.organizationId,
      kind: 'quota_exceeded',
      ip: hit.ip,
      keyId: hit.keyId,
      details: { key_name: hit.keyName, window: hit.window, limit: hit.limit },
      createdAt: new Date(hit.at),
    });
    const subject = (await this.keySubjects(tx, [hit.keyId])).get(hit.keyId);
    const extra = { window: hit.window, limit: hit.limit };
    await emitEvent(
      tx,
      hit.organizationId,
      'key.quota_exceeded',
      subject ? keyEventPayload(subject, extra) : { key_id: hit.keyId, key_name: hit.keyName, ...extra },
    );
    return hit.at;
  }

  private async recordBlock(tx: Em, block: IpBlock): Promise<void> {
    const until = new Date(block.until).toISOString();
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`keysmith:ip-blocked:${block.ip}`]);
    const [duplicate] = await tx.execute(
      `select 1 as found from security_events where ip = ? and kind = 'ip_blocked' and details->>'until' = ? limit 1`,
      [block.ip, until],
    );
    if (duplicate) return;
    const details = {
      until,
      failures: this.ipPolicy.maxFailures,
      window_minutes: this.ipPolicy.failureWindowMs / 60_000,
      block_minutes: this.ipPolicy.blockMs / 60_000,
    };
    tx.create(SecurityEvent, {
      id: newId('sec'),
      organizationId: block.organizationId,
      kind: 'ip_blocked',
      ip: block.ip,
      keyId: block.keyId,
      details,
      createdAt: new Date(block.at),
    });
    if (block.organizationId !== null) {
      // Scoped to the key's space when a key was named, so members of other spaces do not see it.
      const subject = block.keyId ? (await this.keySubjects(tx, [block.keyId])).get(block.keyId) : undefined;
      await emitEvent(tx, block.organizationId, 'ip.blocked', {
        ip: block.ip,
        ...details,
        key_id: subject?.id ?? null,
        space_id: subject?.spaceId ?? null,
      });
    }
  }
}
