import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';
import { createOrgFixture } from './key-fixtures.js';

/**
 * Issue 10: the request thread never waits on the database. While the request-log writer loads
 * a large batch (60,000 rows), a steady verify load runs from another process; the server's
 * event loop must not stall (its longest delay, measured with `monitorEventLoopDelay`, stays
 * within 15 ms of what the same load shows without the write, and under 50 ms), and the batch
 * is written in full. With PGlite on the request thread, as before, a
 * batch like this one blocked the loop for seconds.
 */
const run = promisify(execFile);
let app: TestApp;
let base: string;

beforeAll(async () => {
  app = await createTestApp({ KEY_MAINTENANCE_PERIOD_MS: '60000', FLUSH_PERIOD_MS: '10000' });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
});
afterAll(() => app.shutdown());

/** 200 verify calls per second for 3 s from another process; each answer's status and latency. */
async function steadyLoad(url: string, callerKey: string, consumerKey: string) {
  const { stdout } = await run(process.execPath, [
    path.join(import.meta.dirname, 'support/steady-load.mjs'),
    `${url}/v1/keys/verify`,
    `Bearer ${callerKey}`,
    JSON.stringify({ key: consumerKey, ip: '203.0.113.10', endpoint: 'GET /steady' }),
    '200',
    '3',
  ]);
  return JSON.parse(stdout) as { status: number; ms: number }[];
}

/** This thread's event-loop delay (1 ms resolution) while `work` runs. */
async function measureDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number; p99Ms: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    const result = await work();
    return { result, maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 };
  } finally {
    delay.disable();
  }
}

describe('the request thread during a large batch write', () => {
  it('keeps every verify answer flowing: 60,000 rows written with no stall beyond the machine’s own', async () => {
    const fx = await createOrgFixture(app, { plan: 'enterprise' });
    const c = await app.caller(fx.owner.cookie);
    const caller = await c.key.create({
      orgId: fx.orgId,
      spaceId: fx.spaceId,
      name: 'stall caller',
      scopes: ['keys:verify'],
    });
    const consumer = await c.key.create({ orgId: fx.orgId, spaceId: fx.spaceId, name: 'stall consumer' });
    // Warm the key cache: the first request of a key loads it from the database, and waiting for
    // that is the cold path, not what this test is about.
    const warm = await fetch(`${base}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${caller.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: consumer.key, ip: '203.0.113.10' }),
    });
    expect(((await warm.json()) as { valid: boolean }).valid).toBe(true);
    // The same load without a write first: this VM's own event-loop delay (scheduler preemption
    // on 2 shared cores reaches 10–15 ms with nothing else to do), the baseline the write is judged against.
    const baseline = await measureDelay(() => steadyLoad(base, caller.key, consumer.key));
    await app.services.verification.flush();
    const writer = app.services.verification.logs;
    const rows = 60_000;
    for (let i = 0; i < rows; i++) {
      writer.push(
        {
          organizationId: fx.orgId,
          spaceId: fx.spaceId,
          keyId: consumer.record.id,
          time: Date.now() - 60_000 + (i % 60_000),
          method: 'VERIFY',
          endpoint: `GET /stall/${i}`,
          status: 200,
          durationMs: 0.2,
          ip: '203.0.113.9',
          credits: 1,
          code: 'VALID',
        },
        false,
      );
    }
    // The test fills the buffer in one synchronous burst (in production these rows arrive over
    // seconds and age into the old generation as they come): settle that burst first, so the
    // measurement judges the write, not a one-off copy of 60,000 fresh objects by the GC.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc (vitest.timing.config.ts)');
    gc();
    let flushMs = 0;
    const during = await measureDelay(async () => {
      const load = steadyLoad(base, caller.key, consumer.key);
      const flushStarted = performance.now();
      await app.services.verification.flush();
      flushMs = performance.now() - flushStarted;
      return load;
    });
    // The same load once more after the write: the machine's own delay drifts on a shared VM (a
    // neighbour's burst during the write's seconds), so its baseline is the worse of two samples
    // taken around the write rather than one taken before it.
    const after = await measureDelay(() => steadyLoad(base, caller.key, consumer.key));
    const machineMaxMs = Math.max(baseline.maxMs, after.maxMs);
    const answers = during.result;
    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    console.info(
      `[stall] ${rows} rows written in ${flushMs.toFixed(0)} ms; event-loop delay max ${during.maxMs.toFixed(1)} ms, ` +
        `p99 ${during.p99Ms.toFixed(1)} ms (same load without the write: max ${baseline.maxMs.toFixed(1)} ms before, ` +
        `${after.maxMs.toFixed(1)} ms after, p99 ${baseline.p99Ms.toFixed(1)} ms); ${answers.length} verify answers, client-side p99 ` +
        `${latencies[Math.floor(latencies.length * 0.99)]?.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // The write may add at most 15 ms to the longest wait the machine shows anyway (a major GC of
    // the batch, or a chunk built in one turn, added 20–80 ms here), and never 50 ms in all
    // (PGlite on the request thread, as before issue 10, blocked it for seconds).
    expect(during.maxMs).toBeLessThan(machineMaxMs + 15);
    expect(during.maxMs).toBeLessThan(50);
    const [written] = await app.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from request_logs where endpoint like 'GET /stall/%'`);
    expect(Number(written?.n)).toBe(rows);
  }, 120_000);
});
