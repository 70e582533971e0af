import { useState } from 'react';
import { useToast } from '../components/toast';
import { describeError } from './api-errors';
import { downloadText } from './download';
import { formatCount } from './format';
import { exportBounds, type TimeBounds, type TimeRange } from './time-range';

/** What the `exportCsv` procedures answer. */
export interface CsvExport {
  filename: string;
  csv: string;
  rows: number;
  truncated: boolean;
  note: string | null;
}

/**
 * The "Export CSV" action of a monitoring list: asks the server for exactly the filtered range,
 * saves the file, and says how many rows it holds (or why it was cut, or why it failed).
 *
 * @param stem the file name's start when the range is "Any time" (`request-logs`).
 * @param noun a row, singular and plural: ["request", "requests"].
 */
export function useCsvExport(stem: string, noun: readonly [string, string]) {
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const exportCsv = async (range: TimeRange, load: (bounds: Required<TimeBounds>) => Promise<CsvExport>) => {
    const bounds = exportBounds(range, Date.now());
    if (!bounds) return;
    setExporting(true);
    try {
      const result = await load(bounds);
      // "Any time" starts at the Unix epoch; name the file by its end instead of by 1970.
      const filename =
        range.preset === 'all' ? `${stem}_until_${bounds.to.replace(/[:.]/g, '-')}.csv` : result.filename;
      downloadText(filename, result.csv);
      toast({
        title:
          result.rows === 0
            ? 'Exported an empty CSV'
            : `Exported ${formatCount(result.rows)} ${result.rows === 1 ? noun[0] : noun[1]}`,
        description: result.note ?? filename,
        tone: result.truncated ? 'info' : 'success',
        durationMs: result.truncated ? 10_000 : 4000,
      });
    } catch (error) {
      toast({ title: 'Export failed', description: describeError(error).message, tone: 'danger' });
    } finally {
      setExporting(false);
    }
  };
  return { exporting, exportCsv };
}
