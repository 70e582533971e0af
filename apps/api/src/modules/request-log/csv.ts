/**
 * CSV per RFC 4180: CRLF line ends; a field holding a comma, quote, CR or LF is quoted with
 * quotes doubled. Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`,
 * tab or CR) is prefixed with `'`: endpoints and labels come from API consumers, and an
 * export must not execute their input when an admin opens it (OWASP CSV injection).
 * Numbers are written as they are.
 */
export type TCsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: TCsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: the header row, then one row per record, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly TCsvValue[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Most rows one export returns; a larger range is cut and says so. */
export const CSV_EXPORT_MAX_ROWS = 100_000;
