import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  CardHeader,
  CursorFooter,
  EmptyState,
  FilterBar,
  FilterInput,
  IconButton,
  LoadFailedState,
  NoMatchesState,
  Select,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  TimeRangeField,
  useToast,
} from '../../components';
import { RefreshIcon, ScrollTextIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { classNames } from '../../lib/class-names';
import { downloadText } from '../../lib/download';
import { Link } from '../../lib/router';
import { exportBounds, type TimeRangePreset, timeRange } from '../../lib/time-range';
import { trpc, trpcClient } from '../../lib/trpc';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { formatCount, formatInstant } from '../api-keys/key-display';
import { organizationPath } from '../organization/organization-preference';
import {
  formatDuration,
  LOG_CODE_LABEL,
  LOG_CODES,
  LOG_STATUSES,
  logCodeLabel,
  logCodeTone,
  statusTone,
} from './log-display';
import { initialLogFilters, isLogFiltered, type LogFilterState, logQueryFilters } from './log-filters';
import type { RequestLog } from './usage-types';

const PAGE_SIZE = 25;
const TEXT_DEBOUNCE_MS = 350;
const PRESETS: readonly TimeRangePreset[] = ['1h', '24h', '7d', '30d', 'all', 'custom'];

export type LogScope = { keyId: string } | { spaceId: string };

export interface RequestLogsCardProps {
  orgId: string;
  orgSlug: string;
  scope: LogScope;
  title?: string;
  description: string;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * Request logs of one key or one space, newest first: filters (time range, status, outcome
 * code, IP, endpoint prefix), "Load more" through the server's cursor, and a CSV export of
 * exactly the filtered range.
 */
export function RequestLogsCard({
  orgId,
  orgSlug,
  scope,
  title = 'Request logs',
  description,
}: RequestLogsCardProps): ReactNode {
  const toast = useToast();
  const [filters, setFilters] = useState<LogFilterState>(() => initialLogFilters(Date.now()));
  const [exporting, setExporting] = useState(false);
  const ip = useDebouncedValue(filters.ip, TEXT_DEBOUNCE_MS);
  const endpoint = useDebouncedValue(filters.endpoint, TEXT_DEBOUNCE_MS);
  const settled = { ...filters, ip, endpoint };
  const queryFilters = logQueryFilters(settled);
  const showKey = 'spaceId' in scope;

  const logs = useInfiniteQuery({
    ...trpc.log.list.infiniteQueryOptions(
      { orgId, ...scope, ...(queryFilters ?? {}), limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    placeholderData: keepPreviousData,
    enabled: queryFilters !== null,
  });

  const rows: RequestLog[] = logs.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = isLogFiltered(filters);
  const update = (patch: Partial<LogFilterState>) => setFilters((current) => ({ ...current, ...patch }));

  const refresh = () => {
    // A relative range ("last hour") moves with the clock: re-anchor it, which refetches.
    if (filters.range.preset !== 'custom' && filters.range.preset !== 'all') {
      update({ range: timeRange(filters.range.preset, Date.now()) });
    } else {
      void logs.refetch();
    }
  };

  const exportCsv = async () => {
    const bounds = exportBounds(filters.range, Date.now());
    if (!bounds || !queryFilters) return;
    setExporting(true);
    try {
      const { from: _from, to: _to, ...rest } = queryFilters;
      const result = await trpcClient.log.exportCsv.query({ orgId, ...scope, ...rest, ...bounds });
      // "Any time" starts at the Unix epoch; name the file by its end instead of by 1970.
      const filename =
        filters.range.preset === 'all'
          ? `request-logs_until_${bounds.to.replace(/[:.]/g, '-')}.csv`
          : result.filename;
      downloadText(filename, result.csv);
      toast({
        title:
          result.rows === 0
            ? 'Exported an empty CSV'
            : `Exported ${formatCount(result.rows)} ${result.rows === 1 ? 'request' : 'requests'}`,
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

  const listError = logs.isError && !logs.data ? describeError(logs.error) : null;
  const nothingYet = logs.isSuccess && rows.length === 0 && !filtered && !logs.isPlaceholderData;

  return (
    <Card className="logs-card">
      <CardHeader
        title={title}
        description={description}
        actions={
          <>
            <IconButton
              label="Refresh logs"
              variant="secondary"
              size="sm"
              onClick={refresh}
              disabled={logs.isFetching}
            >
              <RefreshIcon size={15} className={logs.isFetching ? 'is-spinning' : undefined} />
            </IconButton>
            <Button
              size="sm"
              onClick={() => void exportCsv()}
              loading={exporting}
              disabled={queryFilters === null}
            >
              Export CSV
            </Button>
          </>
        }
      />
      <FilterBar
        label="Filter request logs"
        className="logs-card__filters"
        filtered={filtered}
        onClear={() => setFilters(initialLogFilters(Date.now()))}
      >
        <TimeRangeField value={filters.range} onChange={(range) => update({ range })} presets={PRESETS} />
        <Select
          label="Status"
          hideLabel
          value={filters.status}
          onChange={(event) => update({ status: event.target.value })}
          options={[
            { value: '', label: 'Any status' },
            ...LOG_STATUSES.map((s) => ({ value: String(s.status), label: s.label })),
          ]}
          fieldClassName="toolbar-select"
        />
        <Select
          label="Outcome"
          hideLabel
          value={filters.code}
          onChange={(event) => update({ code: event.target.value })}
          options={[
            { value: '', label: 'Any outcome' },
            ...LOG_CODES.map((code) => ({ value: code, label: LOG_CODE_LABEL[code] })),
          ]}
          fieldClassName="toolbar-select"
        />
        <FilterInput
          label="Caller IP"
          placeholder="IP address"
          value={filters.ip}
          onChange={(ip) => update({ ip })}
          className="filter-input--mono"
        />
        <FilterInput
          label="Endpoint starts with"
          placeholder="/v1/endpoint…"
          value={filters.endpoint}
          onChange={(endpoint) => update({ endpoint })}
          className="filter-input--mono filter-input--wide"
          searchIcon
        />
      </FilterBar>

      {listError ? (
        <LoadFailedState
          title="Couldn't load the request logs"
          description={listError.message}
          headingLevel={3}
          retrying={logs.isFetching}
          onRetry={() => void logs.refetch()}
        />
      ) : nothingYet ? (
        <EmptyState
          variant="plain"
          icon={<ScrollTextIcon size={22} />}
          title="No requests yet"
          headingLevel={3}
          description={
            showKey
              ? 'Calls made with the keys of this space, admitted or refused, are listed here within a second or two.'
              : 'Calls made with this key, admitted or refused, are listed here within a second or two.'
          }
        />
      ) : logs.isSuccess && rows.length === 0 ? (
        <NoMatchesState
          title="No requests match"
          headingLevel={3}
          description="No request in this range matches the filters."
          onClear={() => setFilters(initialLogFilters(Date.now()))}
        />
      ) : (
        <div
          className={classNames('logs-card__table', logs.isPlaceholderData && 'is-refreshing')}
          aria-busy={logs.isPending || logs.isPlaceholderData || undefined}
        >
          <Table caption={title} className="logs-table table--flush">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Time</TableHeaderCell>
                {showKey ? <TableHeaderCell>Key</TableHeaderCell> : null}
                <TableHeaderCell>Request</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Outcome</TableHeaderCell>
                <TableHeaderCell align="end">Duration</TableHeaderCell>
                <TableHeaderCell>IP</TableHeaderCell>
                <TableHeaderCell align="end">Credits</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {logs.data
                ? rows.map((row) => (
                    <LogRow
                      key={row.id}
                      row={row}
                      showKey={showKey}
                      orgSlug={orgSlug}
                      onFilterIp={(value) => update({ ip: value })}
                    />
                  ))
                : Array.from({ length: 5 }, (_, i) => <LogSkeletonRow key={i} showKey={showKey} />)}
            </TableBody>
          </Table>
          <CursorFooter query={logs} shown={rows.length} noun={['request', 'requests']} />
        </div>
      )}
    </Card>
  );
}

function LogRow({
  row,
  showKey,
  orgSlug,
  onFilterIp,
}: {
  row: RequestLog;
  showKey: boolean;
  orgSlug: string;
  onFilterIp: (ip: string) => void;
}): ReactNode {
  return (
    <TableRow data-code={row.code}>
      <TableCell className="logs-table__time">
        <time dateTime={row.time} title={formatInstant(row.time)}>
          {timeFormat.format(new Date(row.time))}
        </time>
      </TableCell>
      {showKey ? (
        <TableCell className="logs-table__key">
          {row.keyId ? (
            <Link to={organizationPath(orgSlug, `keys/${row.keyId}`)}>{row.keyName ?? row.keyId}</Link>
          ) : (
            <span className="text-faint">—</span>
          )}
        </TableCell>
      ) : null}
      <TableCell className="logs-table__request">
        <span className="http-method" data-method={row.method}>
          {row.method}
        </span>
        <code title={row.endpoint}>{row.endpoint || '—'}</code>
      </TableCell>
      <TableCell>
        <span className={`status-code status-code--${statusTone(row.status)}`}>{row.status}</span>
      </TableCell>
      <TableCell>
        <span title={row.code}>
          <Badge tone={logCodeTone(row.code)}>{logCodeLabel(row.code)}</Badge>
        </span>
      </TableCell>
      <TableCell align="end" className="tabular text-muted">
        {formatDuration(row.durationMs)}
      </TableCell>
      <TableCell className="logs-table__ip">
        {row.ip ? (
          <button
            type="button"
            className="link-button mono"
            title="Show only requests from this IP"
            onClick={() => onFilterIp(row.ip ?? '')}
          >
            {row.ip}
          </button>
        ) : (
          <span className="text-faint">—</span>
        )}
      </TableCell>
      <TableCell align="end" className="tabular">
        {formatCount(row.credits)}
      </TableCell>
    </TableRow>
  );
}

function LogSkeletonRow({ showKey }: { showKey: boolean }): ReactNode {
  return (
    <tr className="skeleton-row">
      <td>
        <Skeleton width={110} height={12} />
      </td>
      {showKey ? (
        <td>
          <Skeleton width={90} height={12} />
        </td>
      ) : null}
      <td>
        <Skeleton width={160} height={12} />
      </td>
      <td>
        <Skeleton width={32} height={18} radius={5} />
      </td>
      <td>
        <Skeleton width={72} height={20} radius={999} />
      </td>
      <td>
        <Skeleton width={40} height={12} />
      </td>
      <td>
        <Skeleton width={90} height={12} />
      </td>
      <td>
        <Skeleton width={16} height={12} />
      </td>
    </tr>
  );
}
