import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  CardHeader,
  CursorFooter,
  cursorPaging,
  EmptyState,
  FilterBar,
  FilterInput,
  IconButton,
  QueryTable,
  type QueryTableColumn,
  Select,
  Skeleton,
  Table,
  TimeRangeField,
  useCursorList,
} from '../../components';
import { RefreshIcon, ScrollTextIcon } from '../../components/icons';
import { formatCount, formatInstant } from '../../lib/format';
import { Link } from '../../lib/router';
import { type TimeRangePreset, timeRange } from '../../lib/time-range';
import { trpc, trpcClient } from '../../lib/trpc';
import { useCsvExport } from '../../lib/use-csv-export';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { KeyFilter } from '../api-keys/key-filter';
import { organizationPath } from '../organization/organization-preference';
import { LOG_PAGE_SIZE } from './key-usage-queries';
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

const TEXT_DEBOUNCE_MS = 350;
const PRESETS: readonly TimeRangePreset[] = ['1h', '24h', '7d', '30d', 'all', 'custom'];

/** Which logs: one key's, one space's, or every space the viewer may read (`{}`). */
export type LogScope = { keyId: string } | { spaceId: string } | Record<string, never>;

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
 * Request logs of one key, one space or the whole organization, newest first: filters (time
 * range, status, outcome code, IP, endpoint prefix; key for a space or the organization; space
 * for the organization), "Load more" through the server's cursor, and a CSV export of exactly
 * the filtered range.
 */
export function RequestLogsCard({
  orgId,
  orgSlug,
  scope,
  title = 'Request logs',
  description,
}: RequestLogsCardProps): ReactNode {
  const [filters, setFilters] = useState<LogFilterState>(() => initialLogFilters(Date.now()));
  const csv = useCsvExport('request-logs', ['request', 'requests']);
  const ip = useDebouncedValue(filters.ip, TEXT_DEBOUNCE_MS);
  const endpoint = useDebouncedValue(filters.endpoint, TEXT_DEBOUNCE_MS);
  const queryFilters = logQueryFilters({ ...filters, ip, endpoint });
  const showKey = !('keyId' in scope);
  const showSpace = !('keyId' in scope) && !('spaceId' in scope);
  // A chosen key narrows a space's logs further; the server takes a key or a space, not both.
  const target = queryFilters?.keyId ? {} : scope;

  const { query: logs, rows } = useCursorList({
    ...trpc.log.list.infiniteQueryOptions(
      { orgId, ...target, ...(queryFilters ?? {}), limit: LOG_PAGE_SIZE },
      cursorPaging,
    ),
    enabled: queryFilters !== null,
  });

  const filtered = isLogFiltered(filters);
  const update = (patch: Partial<LogFilterState>) => setFilters((current) => ({ ...current, ...patch }));
  const clear = () => setFilters(initialLogFilters(Date.now()));

  const refresh = () => {
    // A relative range ("last hour") moves with the clock: re-anchor it, which refetches.
    if (filters.range.preset !== 'custom' && filters.range.preset !== 'all') {
      update({ range: timeRange(filters.range.preset, Date.now()) });
    } else {
      void logs.refetch();
    }
  };

  const exportCsv = () => {
    if (!queryFilters) return;
    const { from: _from, to: _to, ...rest } = queryFilters;
    void csv.exportCsv(filters.range, (bounds) =>
      trpcClient.log.exportCsv.query({ orgId, ...target, ...rest, ...bounds }),
    );
  };

  const where = 'keyId' in scope ? 'this key' : 'spaceId' in scope ? 'the keys of this space' : 'your keys';
  const columns: QueryTableColumn[] = [
    { label: 'Time', skeleton: 110 },
    ...(showKey ? [{ label: 'Key', skeleton: 90 }] : []),
    { label: 'Request', skeleton: 160 },
    { label: 'Status', skeleton: <Skeleton width={32} height={18} radius={5} /> },
    { label: 'Outcome', skeleton: <Skeleton width={72} height={20} radius={999} /> },
    { label: 'Duration', align: 'end', skeleton: 40 },
    { label: 'IP', skeleton: 90 },
    { label: 'Credits', align: 'end', skeleton: 16 },
  ];

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
            <Button size="sm" onClick={exportCsv} loading={csv.exporting} disabled={queryFilters === null}>
              Export CSV
            </Button>
          </>
        }
      />
      <FilterBar
        label="Filter request logs"
        className="logs-card__filters"
        filtered={filtered}
        onClear={clear}
      >
        <TimeRangeField value={filters.range} onChange={(range) => update({ range })} presets={PRESETS} />
        {showSpace ? (
          <SpaceFilter
            orgId={orgId}
            value={filters.spaceId ?? ''}
            onChange={(spaceId) => update({ spaceId, keyId: '' })}
          />
        ) : null}
        {showKey ? (
          <KeyFilter
            orgId={orgId}
            spaceId={'spaceId' in scope ? scope.spaceId : filters.spaceId || undefined}
            value={filters.keyId ?? ''}
            onChange={(keyId) => update({ keyId })}
          />
        ) : null}
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

      <QueryTable
        query={logs}
        rowCount={rows.length}
        caption={title}
        columns={columns}
        frame="bare"
        className="logs-card__table"
        tableClassName="logs-table stacked-table"
        errorTitle="Couldn't load the request logs"
        filtered={filtered}
        empty={
          <EmptyState
            variant="plain"
            icon={<ScrollTextIcon size={22} />}
            title="No requests yet"
            headingLevel={3}
            description={`Calls made with ${where}, admitted or refused, are listed here within a second or two.`}
          />
        }
        noMatch={{
          title: 'No requests match',
          description: 'No request in this range matches the filters.',
          onClear: clear,
        }}
        footer={<CursorFooter query={logs} shown={rows.length} noun={['request', 'requests']} />}
      >
        {rows.map((row) => (
          <LogRow
            key={row.id}
            row={row}
            showKey={showKey}
            orgSlug={orgSlug}
            onFilterIp={(value) => update({ ip: value })}
          />
        ))}
      </QueryTable>
    </Card>
  );
}

/** Narrows org-wide logs to one space. */
function SpaceFilter({
  orgId,
  value,
  onChange,
}: {
  orgId: string;
  value: string;
  onChange: (spaceId: string) => void;
}): ReactNode {
  const spaces = useQuery({ ...trpc.space.list.queryOptions({ orgId }), staleTime: 60_000 });
  return (
    <Select
      label="Space"
      hideLabel
      value={value}
      onChange={(event) => onChange(event.target.value)}
      options={[
        { value: '', label: 'All spaces' },
        ...(spaces.data ?? []).map((space) => ({ value: space.id, label: space.name })),
      ]}
      fieldClassName="toolbar-select"
    />
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
    <Table.Row data-code={row.code}>
      <Table.Cell className="logs-table__time" data-label="Time">
        <time dateTime={row.time} title={formatInstant(row.time)}>
          {timeFormat.format(new Date(row.time))}
        </time>
      </Table.Cell>
      {showKey ? (
        <Table.Cell className="logs-table__key" data-label="Key">
          {row.keyId ? (
            <Link to={organizationPath(orgSlug, `keys/${row.keyId}`)}>{row.keyName ?? row.keyId}</Link>
          ) : (
            <span className="text-faint">—</span>
          )}
        </Table.Cell>
      ) : null}
      <Table.Cell className="logs-table__request" data-label="Request">
        <span className="http-method" data-method={row.method}>
          {row.method}
        </span>
        <code title={row.endpoint}>{row.endpoint || '—'}</code>
      </Table.Cell>
      <Table.Cell data-label="Status">
        <span className={`status-code status-code--${statusTone(row.status)}`}>{row.status}</span>
      </Table.Cell>
      <Table.Cell data-label="Outcome">
        <span title={row.code}>
          <Badge tone={logCodeTone(row.code)}>{logCodeLabel(row.code)}</Badge>
        </span>
      </Table.Cell>
      <Table.Cell align="end" className="tabular text-muted" data-label="Duration">
        {formatDuration(row.durationMs)}
      </Table.Cell>
      <Table.Cell className="logs-table__ip" data-label="IP">
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
      </Table.Cell>
      <Table.Cell align="end" className="tabular" data-label="Credits">
        {formatCount(row.credits)}
      </Table.Cell>
    </Table.Row>
  );
}
