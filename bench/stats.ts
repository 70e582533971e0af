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
