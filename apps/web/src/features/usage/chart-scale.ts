import { dateTimeFormat } from '../../lib/format';

/**
 * The arithmetic of the usage chart, kept apart from the SVG so it can be tested: a "nice"
 * value axis, which buckets get a label on the time axis, and how a bucket is named.
 *
 * Hour buckets are labelled in the viewer's time zone (they are hours wherever you are); day
 * buckets are UTC days on the server, so they are labelled in UTC and say so, or a viewer in
 * America would see every day one day early.
 */

/** The step of a value axis: 1, 2 or 5 times a power of ten, never below 1 (counts are whole). */
export function niceStep(rough: number): number {
  if (!(rough > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

export interface ValueAxis {
  max: number;
  ticks: number[];
}

/** A value axis from 0 that holds `peak`, with about `tickCount` whole-number steps. */
export function valueAxis(peak: number, tickCount = 4): ValueAxis {
  const step = niceStep(Math.max(peak, 1) / tickCount);
  const max = Math.max(step, Math.ceil(Math.max(peak, 1) / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= max; value += step) ticks.push(value);
  return { max, ticks };
}

export type Bucket = 'hour' | 'day';

function parts(iso: string, timeZone: string | undefined) {
  const format = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const out: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(iso))) out[part.type] = part.value;
  return {
    month: out.month ?? '',
    day: out.day ?? '',
    hour: Number(out.hour ?? 0),
    time: `${out.hour ?? '00'}:${out.minute ?? '00'}`,
  };
}

export interface AxisLabel {
  index: number;
  label: string;
}

/**
 * Which buckets carry a time-axis label: every 3rd hour over 24 hours, each midnight over 7 days,
 * every 5th day over 30 days (always starting at the first bucket of the rhythm).
 */
export function timeAxisLabels(
  starts: readonly string[],
  bucket: Bucket,
  timeZone: string | undefined = undefined,
): AxisLabel[] {
  const labels: AxisLabel[] = [];
  if (bucket === 'day') {
    starts.forEach((start, index) => {
      if ((starts.length - 1 - index) % 5 === 0) {
        const p = parts(start, 'UTC');
        labels.push({ index, label: `${p.month} ${p.day}` });
      }
    });
    return labels;
  }
  const daily = starts.length > 48;
  starts.forEach((start, index) => {
    const p = parts(start, timeZone);
    if (daily) {
      if (p.hour === 0) labels.push({ index, label: `${p.month} ${p.day}` });
    } else if (p.hour % 3 === 0) {
      labels.push({ index, label: p.time });
    }
  });
  return labels;
}

/** "Nov 22, 14:00 – 15:00" for an hour; "Nov 22 (UTC day)" for a day. */
export function bucketLabel(start: string, bucket: Bucket, timeZone: string | undefined = undefined): string {
  if (bucket === 'day') {
    const p = parts(start, 'UTC');
    return `${p.month} ${p.day} (UTC day)`;
  }
  const p = parts(start, timeZone);
  const end = parts(new Date(new Date(start).getTime() + 3_600_000).toISOString(), timeZone);
  return `${p.month} ${p.day}, ${p.time} – ${end.time}`;
}
