import { createHash } from 'node:crypto';
import { generateApiKey, PLAN_LIMITS, PLANS, type Plan, type QuotaLimits } from '@keysmith/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchSql } from '../src/db/batch-connection.js';
import type { Orm } from '../src/db/orm.js';
import { MemoryCounters } from '../src/verify/memory-counters.js';
import { Verifier } from '../src/verify/pipeline.js';
import type { KeyLookup } from '../src/verify/ports.js';
import { UsageStore } from '../src/verify/usage-store.js';
import type { VerifiableKey } from '../src/verify/verifiable-key.js';

/** These tests never flush: writing would be a bug. */
const unusedBatch: BatchSql = {
  copyText: () => Promise.reject(new Error('not written in this test')),
  query: () => Promise.reject(new Error('not written in this test')),
};

/**
 * The Verifier on MemoryCounters against a model written from §3 alone, with a fake clock:
 * random sequences of (advance time, request with a cost) for a key with random quotas, plan
 * and rate override. The model keeps every event; the pipeline must admit exactly when the
 * model does, and what it admits must never exceed a cap in any window.
 */

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WINDOWS = {
  total: null,
  daily: { duration: DAY, bucket: MINUTE },
  weekly: { duration: 7 * DAY, bucket: HOUR },
  monthly: { duration: 30 * DAY, bucket: HOUR },
} as const;
type Window = keyof typeof WINDOWS;
const ORDER: Window[] = ['total', 'daily', 'weekly', 'monthly'];

interface Event {
  t: number;
  cost: number;
}

/** The model: admitted-by-rate times, admitted credits; windows and buckets per §3, from scratch. */
class Model {
  readonly rateLog: number[] = [];
  readonly events: Event[] = [];
  constructor(
    private readonly caps: { perSecond: number; perMinute: number },
    private readonly quotas: QuotaLimits,
  ) {}

  private inSpan(t: number, width: number): number {
    return this.rateLog.filter((x) => x > t - width && x <= t).length;
  }

  /** Credits counted by a window at `now`: whole buckets that overlap (now - D, now]. */
  used(window: Window, now: number): number {
    const spec = WINDOWS[window];
    let sum = 0;
    for (const e of this.events) {
      if (spec === null) sum += e.cost;
      else {
        const start = Math.floor(e.t / spec.bucket) * spec.bucket;
        if (start + spec.bucket > now - spec.duration) sum += e.cost;
      }
    }
    return sum;
  }

  request(t: number, cost: number): { code: string; fullWindows: string[]; exceeded: Window | null } {
    const fullSecond = this.inSpan(t, SECOND) >= this.caps.perSecond;
    const fullMinute = this.inSpan(t, MINUTE) >= this.caps.perMinute;
    if (fullSecond || fullMinute) {
      return {
        code: 'RATE_LIMITED',
        fullWindows: [...(fullSecond ? ['second'] : []), ...(fullMinute ? ['minute'] : [])],
        exceeded: null,
      };
    }
    this.rateLog.push(t);
    for (const window of ORDER) {
      const limit = this.quotas[window];
      if (limit === null || limit === undefined) continue;
      if (this.used(window, t) + cost > limit)
        return { code: 'QUOTA_EXCEEDED', fullWindows: [], exceeded: window };
    }
    if (cost > 0) this.events.push({ t, cost });
    return { code: 'VALID', fullWindows: [], exceeded: null };
  }
}

const limitArb = fc.option(fc.integer({ min: 1, max: 15 }), { nil: null });
const scenarioArb = fc.record({
  plan: fc.constantFrom<Plan>(...PLANS),
  override: fc.option(
    fc.record({
      perSecond: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
      perMinute: fc.option(fc.integer({ min: 1, max: 25 }), { nil: null }),
    }),
    { nil: null },
  ),
  quotas: fc.record({ total: limitArb, daily: limitArb, weekly: limitArb, monthly: limitArb }),
  steps: fc.array(
    fc.record({
      advance: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 900, max: 1100 }),
        fc.integer({ min: 1000, max: 70_000 }),
        fc.integer({ min: HOUR - MINUTE, max: 5 * HOUR }),
        fc.constantFrom(DAY - MINUTE, DAY, DAY + MINUTE, 7 * DAY, 30 * DAY + HOUR),
      ),
      cost: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 70 },
  ),
});

function keyFor(plan: Plan, quotas: QuotaLimits, override: VerifiableKey['rateLimit']) {
  const generated = generateApiKey({ prefix: 'sk', environment: 'live' });
  const key: VerifiableKey = {
    id: generated.keyId,
    organizationId: 'org_model',
    spaceId: 'spc_model',
    name: 'model',
    environment: 'live',
    scopes: [],
    secretHash: createHash('sha256').update(generated.secret).digest(),
    revokedAt: null,
    graceEndsAt: null,
    active: true,
    expiresAt: null,
    ipAllowlist: [],
    quotas,
    hasQuotas: Object.values(quotas).some((q) => q !== null && q !== undefined),
    rateLimit: override && (override.perSecond !== null || override.perMinute !== null) ? override : null,
    plan,
    version: 1,
  };
  return { presented: generated.key, key };
}

/** The tightest caps in force: the plan's, and the override's where it is set (never looser). */
function effectiveCaps(plan: Plan, override: VerifiableKey['rateLimit']) {
  const p = PLAN_LIMITS[plan];
  return {
    perSecond: Math.min(p.perSecond, override?.perSecond ?? p.perSecond),
    perMinute: Math.min(p.perMinute, override?.perMinute ?? p.perMinute),
  };
}

describe('Verifier + MemoryCounters against a §3 model (fast-check, fake clock)', () => {
  it('admits exactly when the model does, and never over a cap in any window', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ plan, override, quotas, steps }) => {
        const { presented, key } = keyFor(plan, quotas, override);
        const keys: KeyLookup = { peek: () => key, get: async () => key };
        const usage = new UsageStore({} as Orm, unusedBatch);
        const counters = new MemoryCounters(async () => ({ minute: [], hour: [], total: 0 }), {
          maxFailures: 20,
          failureWindowMs: 5 * MINUTE,
          blockMs: 15 * MINUTE,
        });
        const verifier = new Verifier({ keys, counters, usage });
        const caps = effectiveCaps(plan, key.rateLimit);
        const model = new Model(caps, quotas);
        let now = 1_700_000_000_000;
        const admitted: number[] = [];
        for (const step of steps) {
          now += step.advance;
          const expected = model.request(now, step.cost);
          const outcome = await verifier.verify({
            key: presented,
            ip: '203.0.113.7',
            requiredScopes: [],
            cost: step.cost,
            meter: true,
            now,
          });
          expect(outcome.code).toBe(expected.code);
          if (expected.code === 'RATE_LIMITED') {
            // The window named in the answer is one that is really full.
            expect(expected.fullWindows).toContain(outcome.rate?.exceeded);
          }
          if (expected.code === 'QUOTA_EXCEEDED') {
            expect(outcome.error).toBe(`Rate limit exceeded: quota ${expected.exceeded}`);
          }
          if (outcome.code === 'VALID') {
            admitted.push(now);
            expect(outcome.credits).toBe(step.cost);
            for (const window of ORDER) {
              const limit = quotas[window];
              if (limit !== null && limit !== undefined) {
                expect(outcome.quota?.windows[window]?.used).toBe(model.used(window, now));
              }
            }
          }
        }
        // Safety, on exact (unbucketed) windows: no span holds more than a cap.
        for (const end of admitted) {
          expect(admitted.filter((t) => t > end - SECOND && t <= end).length).toBeLessThanOrEqual(
            caps.perSecond,
          );
          expect(admitted.filter((t) => t > end - MINUTE && t <= end).length).toBeLessThanOrEqual(
            caps.perMinute,
          );
        }
        for (const window of ORDER) {
          const limit = quotas[window];
          if (limit === null || limit === undefined) continue;
          const spec = WINDOWS[window];
          for (const e of model.events) {
            const inWindow = model.events.filter(
              (x) => x.t <= e.t && (spec === null || x.t > e.t - spec.duration),
            );
            expect(inWindow.reduce((s, x) => s + x.cost, 0)).toBeLessThanOrEqual(limit);
          }
        }
        // Every admitted credit is queued for PostgreSQL, once.
        const credits = model.events.reduce((s, e) => s + e.cost, 0);
        expect(usage.pendingFor(key.id).total).toBe(credits);
      }),
      { numRuns: 300 },
    );
  });

  it('counts usage from a time the key had no quota when a quota is set again', async () => {
    const { presented, key: base } = keyFor('team', { daily: 5 }, null);
    let key = base;
    const keys: KeyLookup = { peek: () => key, get: async () => key };
    const usage = new UsageStore({} as Orm, unusedBatch);
    // The database is empty here: persisted usage is what this process has not flushed yet.
    const counters = new MemoryCounters(async (keyId) => usage.pendingFor(keyId), {
      maxFailures: 20,
      failureWindowMs: 5 * MINUTE,
      blockMs: 15 * MINUTE,
    });
    const verifier = new Verifier({ keys, counters, usage });
    let now = 1_700_000_000_000;
    const run = async () => {
      now += 1000;
      return (
        await verifier.verify({
          key: presented,
          ip: '203.0.113.7',
          requiredScopes: [],
          cost: 1,
          meter: true,
          now,
        })
      ).code;
    };
    for (let i = 0; i < 3; i++) expect(await run()).toBe('VALID');
    key = { ...base, quotas: { daily: null }, hasQuotas: false };
    for (let i = 0; i < 4; i++) expect(await run()).toBe('VALID');
    key = { ...base, quotas: { daily: 10 }, hasQuotas: true };
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await run());
    expect(codes).toEqual(['VALID', 'VALID', 'VALID', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
  });
});
