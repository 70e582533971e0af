import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRefusal, writeIsolating } from './isolating-write.js';

const reachable = async () => true;

describe('writeIsolating', () => {
  it('writes a clean batch with one statement', async () => {
    const calls: number[][] = [];
    const result = await writeIsolating(
      [1, 2, 3],
      async (part) => {
        calls.push([...part]);
      },
      reachable,
    );
    expect(calls).toEqual([[1, 2, 3]]);
    expect(result.written).toEqual([1, 2, 3]);
    expect(result.rejected).toEqual([]);
  });

  it('rejects exactly the items that fail alone and writes every other one, whatever the batch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer(), fc.boolean()), { maxLength: 200 }), async (items) => {
        const stored: number[] = [];
        let statements = 0;
        const result = await writeIsolating(
          items,
          async (part) => {
            statements++;
            if (part.some(([, bad]) => bad)) throw refusal('22021', 'invalid byte sequence');
            stored.push(...part.map(([v]) => v));
          },
          reachable,
        );
        const good = items.filter(([, bad]) => !bad);
        const bad = items.filter(([, b]) => b);
        expect(stored).toEqual(good.map(([v]) => v));
        expect(result.written.map(([v]) => v)).toEqual(good.map(([v]) => v));
        expect(result.rejected.map((r) => r.item)).toEqual(bad);
        expect(result.unwritten).toEqual([]);
        // A bad item costs O(log n) statements, not one per item.
        if (bad.length === 1)
          expect(statements).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(items.length + 1)) + 2);
      }),
    );
  });

  it('splits nothing and rejects nothing while the database does not answer: all of it stays for later', async () => {
    let statements = 0;
    const result = await writeIsolating(
      [1, 2, 3, 4],
      async () => {
        statements++;
        throw new Error('connect ECONNREFUSED');
      },
      async () => false,
    );
    expect(statements).toBe(1);
    expect(result.unwritten).toEqual([1, 2, 3, 4]);
    expect(result.rejected).toEqual([]);
    expect(result.written).toEqual([]);
  });

  it('never sets aside an item over a fault that says nothing about the data (a connection closed under it)', async () => {
    let calls = 0;
    const result = await writeIsolating(
      [1, 2, 3, 4],
      async () => {
        calls++;
        // What the driver says when the connection is ended with the statement queued.
        throw new Error('Connection terminated');
      },
      reachable,
    );
    expect(calls).toBe(1);
    expect(result.rejected).toEqual([]);
    expect(result.unwritten).toEqual([1, 2, 3, 4]);
  });

  it('tells refusals from faults by SQLSTATE', () => {
    expect(isRefusal(refusal('22003', 'out of range'))).toBe(true);
    expect(isRefusal(refusal('23505', 'duplicate key'))).toBe(true);
    expect(isRefusal(refusal('08006', 'connection failure'))).toBe(false);
    expect(isRefusal(refusal('57P01', 'admin shutdown'))).toBe(false);
    expect(isRefusal(refusal('40001', 'serialization failure'))).toBe(false);
    expect(isRefusal(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRefusal(new Error('Connection terminated'))).toBe(false);
    expect(isRefusal(null)).toBe(false);
  });

  it('keeps the rest in order when the database goes away halfway', async () => {
    let up = true;
    const result = await writeIsolating(
      [1, 2, 3, 4],
      async (part) => {
        if (part.includes(2)) {
          up = false;
          throw refusal('22003', 'bad row, then the database went away');
        }
        if (!up) throw new Error('down');
      },
      async () => up,
    );
    expect(result.unwritten).toEqual([1, 2, 3, 4]);
  });
});

/** An error as the driver reports a statement the server refused: with its SQLSTATE. */
function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
