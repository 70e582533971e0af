import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Card, CardHeader, SegmentedControl, Skeleton } from '../../components';
import { classNames } from '../../lib/class-names';
import { formatCount } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { LoadError } from '../organization/load-error';
import { DEFAULT_CHART_RANGE } from './key-usage-queries';
import { UsageChart } from './usage-chart';
import type { UsageRange } from './usage-types';

const RANGES: ReadonlyArray<{ value: UsageRange; label: string }> = [
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
];

/** Requests of one key over time: admitted vs refused, hourly (24 h, 7 d) or daily (30 d). */
export function RequestsChartCard({ orgId, keyId }: { orgId: string; keyId: string }): ReactNode {
  const [range, setRange] = useState<UsageRange>(DEFAULT_CHART_RANGE);
  const series = useQuery({
    ...trpc.usage.keySeries.queryOptions({ orgId, keyId, range }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const totals = series.data?.totals;

  return (
    <Card className="chart-card">
      <CardHeader
        title="Requests"
        description={
          series.data?.bucket === 'day'
            ? 'Per UTC day, admitted and refused.'
            : 'Per hour, admitted and refused.'
        }
        actions={
          <SegmentedControl
            label="Chart range"
            size="sm"
            value={range}
            options={RANGES}
            onChange={setRange}
          />
        }
      />
      <div className="chart-card__legend">
        <span className="chart-legend">
          <span className="legend-swatch legend-swatch--admitted" aria-hidden="true" />
          Admitted
          <strong data-testid="chart-admitted">{totals ? formatCount(totals.admitted) : '–'}</strong>
        </span>
        <span className="chart-legend">
          <span className="legend-swatch legend-swatch--refused" aria-hidden="true" />
          Refused
          <strong data-testid="chart-refused">{totals ? formatCount(totals.refused) : '–'}</strong>
        </span>
        <span className="chart-legend chart-legend--muted">
          Credits charged <strong>{totals ? formatCount(totals.credits) : '–'}</strong>
        </span>
      </div>
      <div
        className={classNames('chart-card__body', series.isPlaceholderData && 'is-refreshing')}
        aria-busy={series.isPending || series.isPlaceholderData || undefined}
      >
        {series.isPending ? (
          <div className="chart-skeleton">
            <span className="sr-only" role="status">
              Loading the chart…
            </span>
            {Array.from({ length: 24 }, (_, i) => (
              <Skeleton key={i} width="100%" height={`${18 + ((i * 37) % 70)}%`} radius={3} />
            ))}
          </div>
        ) : series.isError ? (
          <LoadError title="The chart could not be loaded" query={series} />
        ) : (
          <UsageChart series={series.data} />
        )}
      </div>
    </Card>
  );
}
