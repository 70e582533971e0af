import type { Keysmith } from '../client.js';
import type { VerifyKeyResult } from '../generated/openapi.js';

/** Default fail-open window (SPEC §9): keys verified valid in the last 60 seconds. */
export const DEFAULT_FAIL_OPEN_MAX_AGE_SECONDS = 60;
/** Most remembered verifications per client; the oldest is dropped first. */
export const FAIL_OPEN_MAX_ENTRIES = 10_000;

interface Remembered {
  /** When Keysmith said valid (ms since the epoch). */
  at: number;
  result: VerifyKeyResult;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The last valid verification of each (key, consumer IP) pair, for fail-open admission while
 * Keysmith is unreachable. Entries are named by the SHA-256 of the key and IP (Web Crypto), so
 * the table holds no key. Bounded: at most {@link FAIL_OPEN_MAX_ENTRIES}, in least recently
 * verified order. Shared by every middleware of one client, so a key verified on one route
 * may be admitted on another during an outage (with that route's scopes checked).
 */
export class VerifiedKeys {
  private readonly entries = new Map<string, Remembered>();

  constructor(private readonly maxEntries = FAIL_OPEN_MAX_ENTRIES) {}

  /** The entry name of a key presented from an IP. */
  async idOf(key: string, ip: string | undefined): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${ip ?? ''}\n${key}`));
    let hex = '';
    for (const byte of new Uint8Array(digest)) hex += HEX[byte];
    return hex;
  }

  remember(id: string, result: VerifyKeyResult, now: number): void {
    // Re-inserting moves the entry to the end: the Map's order is the eviction order.
    this.entries.delete(id);
    this.entries.set(id, { at: now, result });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  /** The verification remembered for `id` if it is at most `maxAgeMs` old. */
  recall(id: string, maxAgeMs: number, now: number): Remembered | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (now - entry.at > maxAgeMs) return null;
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

const byClient = new WeakMap<Keysmith, VerifiedKeys>();

/** The remembered verifications of a client (created on first use). */
export function verifiedKeysOf(client: Keysmith): VerifiedKeys {
  let table = byClient.get(client);
  if (!table) {
    table = new VerifiedKeys();
    byClient.set(client, table);
  }
  return table;
}
