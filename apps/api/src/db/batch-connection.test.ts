import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyTextBuilder, copyField } from './batch-connection.js';

/** The COPY text a row of fields reads as, built the plain string way (the reference). */
function reference(rows: (string | null)[][]): string {
  return rows.map((row) => `${row.map((v) => copyField(v)).join('\t')}\n`).join('');
}

describe('CopyTextBuilder', () => {
  it('writes nulls, escapes, numbers and non-ASCII text as COPY reads them', () => {
    const copy = new CopyTextBuilder(8);
    copy.plain('org_1').plain(null).text('GET /a\tb\\c\nd\re').number(200).number(0.25).row();
    copy.text('é😀 /ünï').plain('VALID').row();
    expect(copy.bytes().toString('utf8')).toBe(
      'org_1\t\\N\tGET /a\\tb\\\\c\\nd\\re\t200\t0.25\né😀 /ünï\tVALID\n',
    );
  });

  it('matches the string-built text for any fields, growing past its first buffer', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.option(fc.string({ unit: 'binary' }), { nil: null }), { minLength: 1, maxLength: 6 }),
          {
            maxLength: 40,
          },
        ),
        (rows) => {
          const copy = new CopyTextBuilder(16);
          for (const row of rows) {
            for (const value of row) copy.text(value);
            copy.row();
          }
          expect(copy.bytes().toString('utf8')).toBe(reference(rows));
        },
      ),
      { numRuns: 300 },
    );
  });
});
