import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Badge,
  Card,
  CardHeader,
  EmptyState,
  FilterBar,
  FilterInput,
  IconButton,
  QueryTable,
  type QueryTableColumn,
  Skeleton,
  Table,
  TimeRangeField,
} from '../../components';
import { GaugeAlertIcon, RefreshIcon, ShieldIcon } from '../../components/icons';
import { formatCount, formatInstant } from '../../lib/format';
import { Link } from '../../lib/router';
import { resolveTimeRange, type TimeRange, type TimeRangePreset, timeRange } from '../../lib/time-range';
import { type RouterOutputs, trpc } from '../../lib/trpc';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { KeyFilter } from '../api-keys/key-filter';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { organizationPath } from '../organization/organization-preference';
import { logCodeLabel, logCodeTone } from '../usage/log-display';
import { HitsSparkline } from './hits-sparkline';

type FailedIp = RouterOutputs['security']['failedAuth']['items'][number];
type HitsKey = RouterOutputs['security']['rateLimitHits']['keys'][number];

/** The server reads a missing `from` as "the last 24 hours", so there is no "any time" here. */
const PRESETS: readonly TimeRangePreset[] = ['1h', '24h', '7d', '30d', 'custom'];
const TEXT_DEBOUNCE_MS = 350;
/** How many named keys a row shows before "+N". */
const KEYS_SHOWN = 2;

interface Filters {
  range: TimeRange;
  keyId: string;
  ip: string;
}

const initialFilters = (now: number): Filters => ({ range: timeRange('24h', now), keyId: '', ip: '' });

/**
 * Failed authentication before it becomes a block (seed 002, §6): attempts per caller IP with
 * a missing or wrong key (reported by this organization's backend through verify, or naming
 * one of its key ids) and refusals of its keys, with the codes, the keys they named and whether
 * the IP is blocked now; and rate-limit and quota refusals per key over time. One set of
 * filters (time range, key, caller IP) for both.
 */
export function FailedAuthTab({ orgId, orgSlug }: { orgId: string; orgSlug: string }): ReactNode {
  const clock = useNow();
  const [filters, setFilters] = useState<Filters>(() => initialFilters(Date.now()));
  const ip = useDebouncedValue(filters.ip.trim(), TEXT_DEBOUNCE_MS);
  const resolved = resolveTimeRange(filters.range);
  const bounds = resolved.ok ? resolved.bounds : {};
  const keyFilter = filters.keyId ? { keyId: filters.keyId } : {};
  const failed = useQuery({
    ...trpc.security.failedAuth.queryOptions({ orgId, ...bounds, ...keyFilter, ...(ip ? { ip } : {}) }),
    enabled: resolved.ok,
    placeholderData: (previous) => previous,
    refetchInterval: 30_000,
  });
  const hits = useQuery({
    ...trpc.security.rateLimitHits.queryOptions({ orgId, ...bounds, ...keyFilter }),
    enabled: resolved.ok,
    placeholderData: (previous) => previous,
    refetchInterval: 30_000,
  });
  // Names for the key ids a failed attempt named (the key filter reads the same list).
  const keys = useQuery({ ...trpc.key.list.queryOptions({ orgId, perPage: 100 }), staleTime: 60_000 });
  const keyNames = new Map((keys.data?.data ?? []).map((key) => [key.id, key.name]));
  const now = Math.max(clock, failed.dataUpdatedAt);

  const update = (patch: Partial<Filters>) => setFilters((current) => ({ ...current, ...patch }));
  const clear = () => setFilters(initialFilters(Date.now()));
  const filtered = filters.keyId !== '' || filters.ip.trim() !== '' || filters.range.preset !== '24h';
  const refresh = () => {
    if (filters.range.preset !== 'custom') update({ range: timeRange(filters.range.preset, Date.now()) });
    else {
      void failed.refetch();
      void hits.refetch();
    }
  };
  const keyLink = (keyId: string) => (
    <Link key={keyId} to={organizationPath(orgSlug, `keys/${keyId}`)} className="security-key-link">
      {keyNames.get(keyId) ?? keyId}
    </Link>
  );

  const items = failed.data?.items ?? [];
  const hitKeys = hits.data?.keys ?? [];

  return (
    <div className="stack stack--lg">
      <FilterBar label="Filter failed authentication" filtered={filtered} onClear={clear}>
        <TimeRangeField value={filters.range} onChange={(range) => update({ range })} presets={PRESETS} />
        <KeyFilter
          orgId={orgId}
          spaceId={undefined}
          value={filters.keyId}
          onChange={(keyId) => update({ keyId })}
        />
        <FilterInput
          label="Caller IP"
          placeholder="IP address"
          value={filters.ip}
          onChange={(value) => update({ ip: value })}
          className="filter-input--mono"
        />
        <IconButton
          label="Refresh"
          variant="secondary"
          size="sm"
          onClick={refresh}
          disabled={failed.isFetching || hits.isFetching}
        >
          <RefreshIcon size={15} className={failed.isFetching ? 'is-spinning' : undefined} />
        </IconButton>
      </FilterBar>
      {resolved.ok ? null : (
        <p className="field-error" role="alert">
          {resolved.error}
        </p>
      )}

      <Card className="failed-auth-card">
        <CardHeader
          title="Failed attempts by IP"
          description="Requests with a missing or wrong key that your backend reported through verify or that named one of your key ids, and refusals of your keys. 10 bad keys from one IP within 5 minutes raise an alert; 20 block the IP for 15 minutes."
        />
        <QueryTable
          query={failed}
          rowCount={items.length}
          caption="Failed authentication by IP"
          columns={FAILED_COLUMNS}
          frame="bare"
          tableClassName="failed-auth-table stacked-table"
          errorTitle="Couldn't load failed authentication"
          filtered={filtered}
          skeletonRows={3}
          empty={
            <EmptyState
              variant="plain"
              tone="success"
              icon={<ShieldIcon size={22} />}
              headingLevel={3}
              title="No failed authentication"
              description="No request with a missing or wrong key, and no refusal of one of your keys, in this range."
            />
          }
          noMatch={{
            title: 'No failed attempts match',
            description: 'No failed attempt in this range matches the key or IP.',
            onClear: clear,
          }}
          footer={
            <p className="table-footnote">
              Per caller IP, most failures first (at most 100 IPs). Attempts are counted per minute.
            </p>
          }
        >
          {items.map((item) => (
            <FailedIpRow
              key={item.ip}
              item={item}
              now={now}
              orgSlug={orgSlug}
              keyLink={keyLink}
              onFilterIp={(value) => update({ ip: value })}
            />
          ))}
        </QueryTable>
      </Card>

      <Card className="failed-auth-card">
        <CardHeader
          title="Rate-limit hits per key"
          description={`Requests refused because a key hit its rate limit or a full quota window, per ${
            hits.data?.bucketMs === 86_400_000 ? 'day' : 'hour'
          }. Busiest keys first.`}
        />
        <QueryTable
          query={hits}
          rowCount={hitKeys.length}
          caption="Rate-limit hits per key"
          columns={HITS_COLUMNS}
          frame="bare"
          tableClassName="hits-table stacked-table"
          errorTitle="Couldn't load rate-limit hits"
          filtered={filters.keyId !== '' || filters.range.preset !== '24h'}
          skeletonRows={3}
          empty={
            <EmptyState
              variant="plain"
              tone="success"
              icon={<GaugeAlertIcon size={22} />}
              headingLevel={3}
              title="No rate-limit hits"
              description="No request was refused for a rate limit or a quota in this range."
            />
          }
          noMatch={{
            title: 'No rate-limit hits match',
            description: 'No key was rate-limited in this range.',
            onClear: clear,
          }}
        >
          {hits.data
            ? hitKeys.map((key) => (
                <HitsRow
                  key={key.keyId}
                  hit={key}
                  keyLink={keyLink}
                  from={Date.parse(hits.data.from)}
                  to={Date.parse(hits.data.to)}
                  bucketMs={hits.data.bucketMs}
                />
              ))
            : null}
        </QueryTable>
      </Card>
    </div>
  );
}

function FailedIpRow({
  item,
  now,
  orgSlug,
  keyLink,
  onFilterIp,
}: {
  item: FailedIp;
  now: number;
  orgSlug: string;
  keyLink: (keyId: string) => ReactNode;
  onFilterIp: (ip: string) => void;
}): ReactNode {
  const shown = item.keyIds.slice(0, KEYS_SHOWN);
  const more = item.keys - shown.length;
  const blocked = item.blockedUntil !== null && Date.parse(item.blockedUntil) > now;
  return (
    <Table.Row data-blocked={blocked || undefined}>
      <Table.Cell data-label="Caller IP">
        <button
          type="button"
          className="link-button mono"
          onClick={() => onFilterIp(item.ip)}
          title="Show only this IP"
        >
          {item.ip}
        </button>
      </Table.Cell>
      <Table.Cell align="end" className="tabular security-failures" data-label="Failures">
        {formatCount(item.failures)}
      </Table.Cell>
      <Table.Cell data-label="Refused as">
        <span className="code-counts">
          {Object.entries(item.codes).map(([code, n]) => (
            <Badge key={code} tone={logCodeTone(code)}>
              {logCodeLabel(code)} <span className="code-counts__n">{formatCount(n)}</span>
            </Badge>
          ))}
        </span>
      </Table.Cell>
      <Table.Cell data-label="Keys named">
        {shown.length === 0 ? (
          <span className="text-faint">None</span>
        ) : (
          <span className="named-keys">
            {shown.map((id) => keyLink(id))}
            {more > 0 ? (
              <span className="text-faint" title={item.keyIds.slice(KEYS_SHOWN).join(', ')}>
                +{formatCount(more)}
              </span>
            ) : null}
          </span>
        )}
      </Table.Cell>
      <Table.Cell muted data-label="First">
        <span title={formatInstant(item.firstAt)}>
          <RelativeTime iso={item.firstAt} now={now} />
        </span>
      </Table.Cell>
      <Table.Cell data-label="Last">
        <span title={formatInstant(item.lastAt)}>
          <RelativeTime iso={item.lastAt} now={now} />
        </span>
      </Table.Cell>
      <Table.Cell data-label="Status">
        {blocked && item.blockedUntil ? (
          <Link to={`${organizationPath(orgSlug, 'security')}?tab=blocked`} className="blocked-ip">
            <span className="blocked-ip__dot" aria-hidden="true" />
            Blocked until {formatInstant(item.blockedUntil)}
          </Link>
        ) : (
          <span className="text-faint">Not blocked</span>
        )}
      </Table.Cell>
    </Table.Row>
  );
}

function HitsRow({
  hit,
  keyLink,
  from,
  to,
  bucketMs,
}: {
  hit: HitsKey;
  keyLink: (keyId: string) => ReactNode;
  from: number;
  to: number;
  bucketMs: number;
}): ReactNode {
  return (
    <Table.Row>
      <Table.Cell data-label="Key">
        {hit.keyName ? (
          keyLink(hit.keyId)
        ) : (
          <span className="mono" title="This key was deleted">
            {hit.keyId}
          </span>
        )}
      </Table.Cell>
      <Table.Cell align="end" className="tabular" data-label="Rate limited">
        {formatCount(hit.rateLimited)}
      </Table.Cell>
      <Table.Cell align="end" className="tabular" data-label="Quota exceeded">
        {formatCount(hit.quotaExceeded)}
      </Table.Cell>
      <Table.Cell data-label="Over time" className="hits-table__trend">
        <HitsSparkline series={hit.series} from={from} to={to} bucketMs={bucketMs} />
      </Table.Cell>
    </Table.Row>
  );
}

const FAILED_COLUMNS: QueryTableColumn[] = [
  { label: 'Caller IP', skeleton: 110 },
  { label: 'Failures', align: 'end', skeleton: 30 },
  { label: 'Refused as', skeleton: <Skeleton width={120} height={20} radius={999} /> },
  { label: 'Keys named', skeleton: 120 },
  { label: 'First', skeleton: 70 },
  { label: 'Last', skeleton: 70 },
  { label: 'Status', skeleton: 90 },
];

const HITS_COLUMNS: QueryTableColumn[] = [
  { label: 'Key', skeleton: 140 },
  { label: 'Rate limited', align: 'end', skeleton: 30 },
  { label: 'Quota exceeded', align: 'end', skeleton: 30 },
  { label: 'Over time', skeleton: 180 },
];
