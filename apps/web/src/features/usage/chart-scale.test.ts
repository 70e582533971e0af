import { describe, expect, it } from 'vitest';
import { bucketLabel, niceStep, timeAxisLabels, valueAxis } from './chart-scale';

describe('niceStep', () => {
  it.each([
    [0, 1],
    [0.4, 1],
    [1, 1],
    [1.3, 2],
    [3, 5],
    [7, 10],
    [12, 20],
    [260, 500],
    [4_100, 5_000],
  ])('rounds %d up to %d', (rough, step) => {
    expect(niceStep(rough)).toBe(step);
  });
});

describe('valueAxis', () => {
  it('holds the peak with whole-number ticks from 0', () => {
    expect(valueAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(valueAxis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(valueAxis(5)).toEqual({ max: 6, ticks: [0, 2, 4, 6] });
    expect(valueAxis(97)).toEqual({ max: 100, ticks: [0, 50, 100] });
    expect(valueAxis(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
  });

  it('never puts the peak above the axis', () => {
    for (let peak = 0; peak < 2000; peak += 7) {
      const axis = valueAxis(peak);
      expect(axis.max).toBeGreaterThanOrEqual(peak);
      expect(axis.ticks.at(-1)).toBe(axis.max);
    }
  });
});

function hours(from: string, count: number): string[] {
  const start = Date.parse(from);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 3_600_000).toISOString());
}

describe('timeAxisLabels', () => {
  it('labels every third hour over a day', () => {
    const labels = timeAxisLabels(hours('2026-11-21T13:00:00Z', 24), 'hour', 'UTC');
    expect(labels.map((l) => l.label)).toEqual([
      '15:00',
      '18:00',
      '21:00',
      '00:00',
      '03:00',
      '06:00',
      '09:00',
      '12:00',
    ]);
    expect(labels[0]?.index).toBe(2);
  });

  it('labels each midnight over a week of hours', () => {
    const labels = timeAxisLabels(hours('2026-11-15T13:00:00Z', 168), 'hour', 'UTC');
    expect(labels.map((l) => l.label)).toEqual([
      'Nov 16',
      'Nov 17',
      'Nov 18',
      'Nov 19',
      'Nov 20',
      'Nov 21',
      'Nov 22',
    ]);
  });

  it('labels every fifth UTC day, ending on today', () => {
    const days = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.parse('2026-10-24T00:00:00Z') + i * 86_400_000).toISOString(),
    );
    const labels = timeAxisLabels(days, 'day', 'America/Los_Angeles');
    expect(labels.at(-1)).toEqual({ index: 29, label: 'Nov 22' });
    expect(labels.map((l) => l.index)).toEqual([4, 9, 14, 19, 24, 29]);
  });
});

describe('bucketLabel', () => {
  it('names an hour by its start and end, and a day as a UTC day', () => {
    expect(bucketLabel('2026-11-22T14:00:00.000Z', 'hour', 'UTC')).toBe('Nov 22, 14:00 – 15:00');
    expect(bucketLabel('2026-11-22T00:00:00.000Z', 'day', 'Asia/Tokyo')).toBe('Nov 22 (UTC day)');
  });
});
