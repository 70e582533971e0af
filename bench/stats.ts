/** One measured figure with the baseline it is compared to, measured in the same run. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  p50?: number;
  baseline: number;
  baselineName: string;
  lowerIsBetter: boolean;
  target?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function formatTable(results: BenchResult[]): string {
  const lines = [
    '| benchmark | p95 | p50 | baseline | ratio |',
    '|---|---|---|---|---|',
    ...results.map((r) => {
      const ratio = r.value / r.baseline;
      return `| ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.p50?.toFixed(2) ?? '–'} ${r.unit} | ${r.baseline.toFixed(2)} ${r.unit} (${r.baselineName}) | ${ratio.toFixed(2)}× |`;
    }),
  ];
  return lines.join('\n');
}

/** One hot-path figure (issue 5) with its baseline from the same run and, if any, its target. */
export interface HotPathFigure {
  id: string;
  name: string;
  unit: string;
  /** NaN when the figure was skipped. */
  value: number;
  baseline: number;
  baselineName: string;
  lowerIsBetter?: boolean;
  /** `pass: null` when it could not be measured. */
  target?: { text: string; pass: boolean | null };
  detail?: string;
}

function num(value: number, unit: string): string {
  if (Number.isNaN(value)) return '–';
  const digits = unit === 'ms' ? 3 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export function formatHotPathTable(figures: HotPathFigure[]): string {
  const lines = [
    '| figure | value | baseline | ratio | target |',
    '|---|---|---|---|---|',
    ...figures.map((f) => {
      const ratio = Number.isNaN(f.value) ? '–' : `${(f.value / f.baseline).toFixed(2)}×`;
      const target = f.target
        ? `${f.target.text}: ${f.target.pass === null ? 'not measured' : f.target.pass ? '**met**' : '**missed**'}`
        : '–';
      return `| ${f.name} | ${num(f.value, f.unit)} | ${num(f.baseline, f.unit)} (${f.baselineName}) | ${ratio} | ${target} |`;
    }),
  ];
  return lines.join('\n');
}
