import type { Orm } from '../db/orm.js';
import { KEY_LOOKUP_SQL, type KeyRow, toVerifiableKey, type VerifiableKey } from './verifiable-key.js';

interface Entry {
  key: VerifiableKey | null;
  expiresAt: number;
  /** A load in flight, shared by concurrent misses (no thundering herd on a cold key). */
  pending?: Promise<VerifiableKey | null>;
}

export interface KeyCacheOptions {
  /** How long a found key may be served without a change notice (a backstop; changes are pushed). */
  positiveTtlMs: number;
  /** How long an unknown id is remembered, so floods of made-up ids do not reach the database. */
  negativeTtlMs: number;
  maxEntries: number;
}

/**
 * In-process cache of key records for the hot path, with a negative cache for unknown ids.
 * Entries are dropped when a change is announced (`invalidate`), which every process hears
 * (in-process, or through Redis pub/sub), and expire after a TTL as a backstop.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly orm: Orm,
    private readonly options: KeyCacheOptions,
  ) {}

  /** The cached record when fresh (synchronous fast path), else `undefined`. */
  peek(keyId: string, now: number): VerifiableKey | null | undefined {
    const entry = this.entries.get(keyId);
    if (!entry || entry.pending || entry.expiresAt <= now) return undefined;
    return entry.key;
  }

  async get(keyId: string, now: number): Promise<VerifiableKey | null> {
    const entry = this.entries.get(keyId);
    if (entry) {
      if (entry.pending) return entry.pending;
      if (entry.expiresAt > now) return entry.key;
    }
    const pending = this.load(keyId);
    const placeholder: Entry = { key: null, expiresAt: 0, pending };
    this.entries.set(keyId, placeholder);
    try {
      const key = await pending;
      // Only store if no invalidation replaced the placeholder while loading.
      if (this.entries.get(keyId) === placeholder) {
        this.entries.set(keyId, {
          key,
          expiresAt: now + (key ? this.options.positiveTtlMs : this.options.negativeTtlMs),
        });
        this.evictIfFull();
      }
      return key;
    } catch (error) {
      if (this.entries.get(keyId) === placeholder) this.entries.delete(keyId);
      throw error;
    }
  }

  invalidate(keyId: string): void {
    this.entries.delete(keyId);
  }

  invalidateOrganization(organizationId: string): void {
    for (const [id, entry] of this.entries) {
      if (entry.key?.organizationId === organizationId) this.entries.delete(id);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(keyId: string): Promise<VerifiableKey | null> {
    const rows: KeyRow[] = await this.orm.em.fork().getConnection().execute(KEY_LOOKUP_SQL, [keyId]);
    const row = rows[0];
    return row ? toVerifiableKey(row) : null;
  }

  /** Maps iterate in insertion order: dropping the first entries drops the oldest. */
  private evictIfFull(): void {
    const excess = this.entries.size - this.options.maxEntries;
    if (excess <= 0) return;
    let dropped = 0;
    for (const id of this.entries.keys()) {
      this.entries.delete(id);
      if (++dropped >= excess) break;
    }
  }
}
