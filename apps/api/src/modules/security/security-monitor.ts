import type { Logger } from 'pino';
import { newId } from '../../db/ids.js';
import { writeIsolating } from '../../db/isolating-write.js';
import { databaseReachable, type Em, type Orm } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import type { MetricCounter, Metrics } from '../../metrics.js';
import type {
  AuthFailureReport,
  IpBlockPolicy,
  QuotaHit,
  RequestLogEntry,
  SecurityObserver,
} from '../../verify/ports.js';
import { emitEvent } from '../event/event.service.js';
import { type KeyEventSubject, keyEventPayload } from '../event/key-event-payload.js';
import { SecurityEvent, type TAuthFailureSource } from './security-event.entity.js';

const HOUR_MS = 3_600_000;

/** An admitted request of a key from an IP, as seen in a flushed request log row. */
interface KeyIpSighting {
  organizationId: string;
  keyId: string;
  ip: string;
  at: number;
}

/** A new failed-attempt block (§3). */
export interface IpBlock {
  ip: string;
  until: number;
  /** The tenant the failures are attributed to, or null for made-up keys from nowhere. */
  organizationId: string | null;
  /** The key id the failing request named, when there was one. */
  keyId: string | null;
  /** True when the block applies only to `organizationId`'s verify calls (attempts it reported). */
  scoped: boolean;
  at: number;
}

/** Failed attempts of one (organization, IP, minute, code, named key, source), counted. */
interface FailureCount {
  organizationId: string;
  ip: string;
  minute: number;
  code: string;
  keyId: string;
  source: TAuthFailureSource;
  count: number;
}

/** One thing to record; a batch is a list of them, written so one bad item holds back no other. */
type MonitorItem =
  | { kind: 'sighting'; value: KeyIpSighting }
  | { kind: 'quota'; value: QuotaHit }
  | { kind: 'block'; value: IpBlock }
  | { kind: 'failures'; value: FailureCount };

export interface SecurityMonitorLimits {
  /** Pending items kept in memory between flushes (and while the database is down); beyond, new ones are dropped. */
  maxPending: number;
  /** (key, IP) pairs remembered as already recorded, to skip the database for them. */
  maxKnownPairs: number;
}

const DEFAULT_LIMITS: SecurityMonitorLimits = { maxPending: 50_000, maxKnownPairs: 200_000 };
const MINUTE_MS = 60_000;

/**
 * Turns what the hot path saw into security events (§6) and notifications (§7), off the
 * critical path: the pipeline and the request-log writer only hand over facts (an in-memory
 * push); `flush()`, run by the verification loop after the logs are written, records them
 * (each security event with its outbox event), isolating any item the database refuses.
 * - failed attempts: counted per minute in `auth_failures` for the organization they are
 *   attributed to; a burst (half the block threshold within the block window) is a
 *   `failed_auth` event and `ip.failed_auth_burst`.
 * - `new_ip`: admitted rows add `(key, ip)` to `key_ips`; a pair that is new for a key which
 *   already had another IP is a `new_ip` event and `key.new_ip`. A key's very first IP is not.
 * - `quota_exceeded`: at most one event (and `key.quota_exceeded`) per key and window per
 *   hour, across processes (an advisory transaction lock serialises the check).
 * - `ip_blocked`: one event per block (IP and end time), with `ip.blocked` when attributed to
 *   an organization.
 */
export class SecurityMonitor implements SecurityObserver {
  private sightings = new Map<string, KeyIpSighting>();
  private quotaHits = new Map<string, QuotaHit>();
  private blocks = new Map<string, IpBlock>();
  private failures = new Map<string, FailureCount>();
  /** Items left over when the database stopped answering, written first next time. */
  private retry: MonitorItem[] = [];
  private readonly knownPairs = new Set<string>();
  /** Last recorded quota_exceeded per `key|window` (epoch ms). */
  private readonly quotaNoticed = new Map<string, number>();
  private flushing: Promise<void> | null = null;
  private readonly limits: SecurityMonitorLimits;
  private readonly rejected: MetricCounter;
  private readonly dropped: MetricCounter;
  /** Failed attempts of one IP for one organization within the block window that raise a burst alert. */
  private readonly burstThreshold: number;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    private readonly ipPolicy: IpBlockPolicy,
    metrics: Metrics,
    limits: Partial<SecurityMonitorLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.burstThreshold = Math.max(2, Math.ceil(ipPolicy.maxFailures / 2));
    this.rejected = metrics.counter(
      'keysmith_security_items_set_aside_total',
      'Security observations the database refused on their own (bad data); not retried',
    );
    this.dropped = metrics.counter(
      'keysmith_security_items_dropped_total',
      'Security observations dropped because the buffer was full',
    );
  }

  /** Called with each batch of request log rows once it is written. */
  observe(rows: readonly RequestLogEntry[]): void {
    // Runs of one key from one IP are the common case: look each run up once (this loop runs on
    // the request thread, over a whole batch). `run` is the run's pending sighting, if any.
    let lastKey: string | null = null;
    let lastIp: string | null = null;
    let run: KeyIpSighting | undefined;
    for (const row of rows) {
      if (row.code !== 'VALID' || !row.keyId || !row.ip) continue;
      if (row.keyId !== lastKey || row.ip !== lastIp) {
        lastKey = row.keyId;
        lastIp = row.ip;
        const id = `${row.keyId}|${row.ip}`;
        run = undefined;
        if (this.knownPairs.has(id)) continue;
        run = this.sightings.get(id);
        if (!run && this.room()) {
          run = { organizationId: row.organizationId, keyId: row.keyId, ip: row.ip, at: row.time };
          this.sightings.set(id, run);
        }
      }
      if (run && row.time < run.at) run.at = row.time;
    }
  }

  quotaExceeded(hit: QuotaHit): void {
    const id = `${hit.keyId}|${hit.window}`;
    const last = this.quotaNoticed.get(id);
    if ((last !== undefined && hit.at - last < HOUR_MS) || this.quotaHits.has(id)) return;
    if (this.room()) this.quotaHits.set(id, hit);
  }

  /**
   * A failed attempt: counted per minute for the organization it is attributed to (nothing is
   * stored for attempts that belong to no organization), and, when it started a block, the block.
   */
  authFailed(report: AuthFailureReport): void {
    const { organizationId } = report;
    if (report.blockedUntil !== null) {
      const id = `${organizationId ?? ''}|${report.scoped}|${report.ip}|${report.blockedUntil}`;
      if (!this.blocks.has(id) && this.room()) {
        this.blocks.set(id, {
          ip: report.ip,
          until: report.blockedUntil,
          organizationId,
          keyId: report.keyId,
          scoped: report.scoped,
          at: report.now,
        });
      }
    }
    if (organizationId === null) return;
    const minute = Math.floor(report.now / MINUTE_MS) * MINUTE_MS;
    const source: TAuthFailureSource = report.scoped ? 'verify' : 'direct';
    const keyId = report.keyId ?? '';
    const id = `${organizationId}|${report.ip}|${minute}|${report.code}|${keyId}|${source}`;
    const counted = this.failures.get(id);
    if (counted) counted.count += 1;
    else if (this.room())
      this.failures.set(id, {
        organizationId,
        ip: report.ip,
        minute,
        code: report.code,
        keyId,
        source,
        count: 1,
      });
  }

  private room(): boolean {
    if (this.pending < this.limits.maxPending) return true;
    this.dropped.inc();
    return false;
  }

  get pending(): number {
    return (
      this.sightings.size + this.quotaHits.size + this.blocks.size + this.failures.size + this.retry.length
    );
  }

  /**
   * Records everything handed over so far. Items the database refuses on their own are set
   * aside (counted, one bounded log line) so they hold back no other tenant's; when the database
   * does not answer, the rest is kept for the next flush and this rejects.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending === 0) return;
    const items: MonitorItem[] = this.retry;
    this.retry = [];
    for (const value of this.sightings.values()) items.push({ kind: 'sighting', value });
    for (const value of this.quotaHits.values()) items.push({ kind: 'quota', value });
    for (const value of this.blocks.values()) items.push({ kind: 'block', value });
    for (const value of this.failures.values()) items.push({ kind: 'failures', value });
    this.sightings = new Map();
    this.quotaHits = new Map();
    this.blocks = new Map();
    this.failures = new Map();
    this.flushing = this.writeAll(items).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async writeAll(items: MonitorItem[]): Promise<void> {
    const result = await writeIsolating(
      items,
      (part) => this.write(part),
      () => databaseReachable(this.orm),
    );
    if (result.rejected.length > 0) {
      this.rejected.inc(result.rejected.length);
      this.log.error(
        {
          items: result.rejected.length,
          kinds: [...new Set(result.rejected.map((r) => r.item.kind))],
          err: result.rejected[0]?.error,
        },
        'security observations refused by the database were set aside; the rest was recorded',
      );
    }
    if (result.unwritten.length > 0) {
      const room = Math.max(0, this.limits.maxPending - this.pending);
      this.dropped.inc(Math.max(0, result.unwritten.length - room));
      this.retry = result.unwritten.slice(0, room);
      throw result.firstError;
    }
  }

  private async write(items: readonly MonitorItem[]): Promise<void> {
    const sightings: KeyIpSighting[] = [];
    const quotaHits: QuotaHit[] = [];
    const blocks: IpBlock[] = [];
    const failures: FailureCount[] = [];
    for (const item of items) {
      if (item.kind === 'sighting') sightings.push(item.value);
      else if (item.kind === 'quota') quotaHits.push(item.value);
      else if (item.kind === 'block') blocks.push(item.value);
      else failures.push(item.value);
    }
    const noticed: [string, number][] = [];
    await this.orm.em.fork().transactional(async (tx) => {
      await this.recordSightings(tx, sightings);
      for (const hit of quotaHits) {
        noticed.push([`${hit.keyId}|${hit.window}`, await this.recordQuotaHit(tx, hit)]);
      }
      for (const block of blocks) await this.recordBlock(tx, block);
      await this.recordFailures(tx, failures);
    });
    if (this.knownPairs.size + sightings.length > this.limits.maxKnownPairs) this.knownPairs.clear();
    for (const s of sightings) this.knownPairs.add(`${s.keyId}|${s.ip}`);
    if (this.quotaNoticed.size > 10_000) {
      const cutoff = Date.now() - HOUR_MS;
      for (const [id, at] of this.quotaNoticed) if (at < cutoff) this.quotaNoticed.delete(id);
    }
    for (const [id, at] of noticed) this.quotaNoticed.set(id, at);
  }

  /**
   * Adds the counts, then raises the burst alert (§6: failed authentication is visible before it
   * becomes a block) for each (organization, IP) whose failures within the block window reached
   * half the block threshold: a `failed_auth` security event and the `ip.failed_auth_burst`
   * webhook, at most once per hour across processes (an advisory lock serialises the check).
   */
  private async recordFailures(tx: Em, failures: readonly FailureCount[]): Promise<void> {
    if (failures.length === 0) return;
    await tx.execute(
      `insert into auth_failures (organization_id, ip, minute, code, key_id, source, count)
       select * from unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::int[])
       on conflict (organization_id, ip, minute, code, key_id, source)
       do update set count = auth_failures.count + excluded.count`,
      [
        pgTextArray(failures.map((f) => f.organizationId)),
        pgTextArray(failures.map((f) => f.ip)),
        pgTextArray(failures.map((f) => new Date(f.minute).toISOString())),
        pgTextArray(failures.map((f) => f.code)),
        pgTextArray(failures.map((f) => f.keyId)),
        pgTextArray(failures.map((f) => f.source)),
        pgTextArray(failures.map((f) => String(f.count))),
      ],
    );
    const pairs = new Map<string, { organizationId: string; ip: string; at: number }>();
    for (const f of failures) {
      const id = `${f.organizationId}|${f.ip}`;
      const seen = pairs.get(id);
      if (!seen || seen.at < f.minute)
        pairs.set(id, { organizationId: f.organizationId, ip: f.ip, at: f.minute });
    }
    const windowMs = this.ipPolicy.failureWindowMs;
    for (const { organizationId, ip } of pairs.values()) {
      const now = Date.now();
      const [row] = await tx.execute<{ n: string | number; codes: Record<string, number> | string | null }[]>(
        `select coalesce(sum(count), 0) as n, jsonb_object_agg(code, count) as codes from (
           select code, sum(count)::int as count from auth_failures
            where organization_id = ? and ip = ? and minute >= ? group by code) c`,
        [organizationId, ip, new Date(Math.floor((now - windowMs) / MINUTE_MS) * MINUTE_MS)],
      );
      const count = Number(row?.n ?? 0);
      if (count < this.burstThreshold) continue;
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [
        `keysmith:failed-auth:${organizationId}:${ip}`,
      ]);
      const [recent] = await tx.execute(
        `select 1 as found from security_events
          where organization_id = ? and kind = 'failed_auth' and ip = ? and created_at > ? limit 1`,
        [organizationId, ip, new Date(now - HOUR_MS)],
      );
      if (recent) continue;
      const codes =
        typeof row?.codes === 'string'
          ? (JSON.parse(row.codes) as Record<string, number>)
          : (row?.codes ?? {});
      const details = {
        failures: count,
        window_minutes: windowMs / 60_000,
        codes,
        block_at: this.ipPolicy.maxFailures,
      };
      tx.create(SecurityEvent, {
        id: newId('sec'),
        organizationId,
        kind: 'failed_auth',
        ip,
        keyId: null,
        details,
        createdAt: new Date(now),
      });
      await emitEvent(tx, organizationId, 'ip.failed_auth_burst', { ip, ...details });
    }
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
    const scope = block.scoped ? 'organization' : 'global';
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [
      `keysmith:ip-blocked:${block.scoped ? block.organizationId : ''}:${block.ip}`,
    ]);
    const [duplicate] = await tx.execute(
      `select 1 as found from security_events
        where ip = ? and kind = 'ip_blocked' and details->>'until' = ? and coalesce(details->>'scope', 'global') = ?
          and (? = 'global' or organization_id = ?) limit 1`,
      [block.ip, until, scope, scope, block.organizationId],
    );
    if (duplicate) return;
    const details = {
      until,
      scope,
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
      // Scoped to the key's space when a real key was named, so members of other spaces do not see it.
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
