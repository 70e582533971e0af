import { describe, expect, it } from 'vitest';
import type { Orm } from '../src/db/orm.js';
import { createLogger } from '../src/logger.js';
import { Metrics } from '../src/metrics.js';
import type { RequestLogEntry } from '../src/verify/ports.js';
import { RequestLogWriter } from '../src/verify/request-log-writer.js';
import { LogCapture } from './harness.js';

/**
 * The request-log writer through a database outage (issue 9, defect 1): the buffer holds at most
 * its bound and counts what it drops, one log line reports the outage however many flushes fail,
 * every line stays small, and everything kept is written once the database is back. The outage
 * is a stand-in connection that refuses every statement; then the real statements are counted.
 */
function entry(i: number): RequestLogEntry {
  return {
    organizationId: 'org_test',
    spaceId: null,
    keyId: `key_${String(i).padStart(16, '0')}`,
    time: 1_800_000_000_000 + i,
    method: 'GET',
    endpoint: `/things/${i}`,
    status: 200,
    durationMs: 1,
    ip: '203.0.113.1',
    credits: 1,
    code: 'VALID',
  };
}

describe('request-log writer during an outage', () => {
  it('keeps at most its bound, counts the drops, logs once, and writes what it kept when the database is back', async () => {
    let up = false;
    const inserted: number[] = [];
    const orm = {
      em: {
        fork: () => ({
          getConnection: () => ({
            execute: async () => {
              if (!up) throw new Error(`connect ECONNREFUSED 127.0.0.1:5432 ${'x'.repeat(50_000)}`);
              return [];
            },
          }),
        }),
      },
    } as unknown as Orm;
    const capture = new LogCapture();
    const metrics = new Metrics();
    const batch = {
      query: async () => {
        if (!up) throw new Error(`connect ECONNREFUSED 127.0.0.1:5432 ${'x'.repeat(50_000)}`);
        return [];
      },
      copyText: async (_table: string, _columns: readonly string[], text: string | Uint8Array) => {
        if (!up) throw new Error(`connect ECONNREFUSED 127.0.0.1:5432 ${'x'.repeat(50_000)}`);
        inserted.push(Buffer.from(text).toString('utf8').split('\n').length - 1);
      },
    };
    const writer = new RequestLogWriter(orm, createLogger({ LOG_LEVEL: 'info' }, capture), {
      batch,
      flushAt: 1_000_000,
      maxBuffered: 1000,
      metrics,
    });
    for (let i = 0; i < 1500; i++) writer.push(entry(i), true);
    expect(writer.pending).toBe(1000);
    expect(metrics.value('keysmith_request_log_rows_dropped_total')).toBe(500);
    for (let i = 0; i < 5; i++) await expect(writer.flush()).rejects.toThrow(/ECONNREFUSED/);
    expect(writer.pending).toBe(1000);
    const outageLines = capture.lines.filter((l) => l.includes('database unreachable'));
    expect(outageLines).toHaveLength(1);
    for (const line of capture.lines) expect(line.length).toBeLessThan(8_000);

    up = true;
    await writer.flush();
    expect(writer.pending).toBe(0);
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(metrics.value('keysmith_request_log_rows_written_total')).toBe(1000);
  });
});
