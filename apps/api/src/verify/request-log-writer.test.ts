import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { BatchSql } from '../db/batch-connection.js';
import type { Orm } from '../db/orm.js';
import { Metrics } from '../metrics.js';
import type { RequestLogEntry } from './ports.js';
import { RequestLogWriter } from './request-log-writer.js';

/** An ORM whose only use here, the reachability probe, always answers. */
const reachableOrm = {
  em: { fork: () => ({ getConnection: () => ({ execute: async () => [] }) }) },
} as unknown as Orm;

function entry(i: number, endpoint = `GET /rows/${i}`): RequestLogEntry {
  return {
    organizationId: 'org_a',
    spaceId: 'spc_a',
    keyId: 'key_a',
    time: 1_800_000_000_000 + i,
    method: 'GET',
    endpoint,
    status: 200,
    durationMs: 1,
    ip: null,
    credits: 1,
    code: 'VALID',
  };
}

describe('RequestLogWriter', () => {
  it('writes each row of a multi-chunk batch once when a later chunk holds a refused row', async () => {
    const stored: string[] = [];
    const decoder = new TextDecoder();
    const batch: BatchSql = {
      // All or nothing per COPY, as PostgreSQL does; a row naming POISON is refused (SQLSTATE 22021).
      async copyText(_table, _columns, text) {
        const lines = (typeof text === 'string' ? text : decoder.decode(text)).split('\n').filter(Boolean);
        if (lines.some((line) => line.includes('POISON'))) {
          throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
        }
        stored.push(...lines.map((line) => line.split('\t')[5] ?? ''));
      },
      query: async () => [],
    };
    const writer = new RequestLogWriter(reachableOrm, pino({ enabled: false }), {
      batch,
      flushAt: 1_000_000,
      maxBuffered: 1_000_000,
      metrics: new Metrics(),
    });
    const rows = 4500;
    const poison = 3100; // in the second chunk of 2,000
    for (let i = 0; i < rows; i++) writer.push(entry(i, i === poison ? 'GET /POISON' : undefined), false);
    await writer.flush();
    expect(stored).toHaveLength(rows - 1);
    expect(new Set(stored).size).toBe(rows - 1);
    expect(stored).not.toContain('GET /POISON');
    expect(writer.pending).toBe(0);
  });
});
