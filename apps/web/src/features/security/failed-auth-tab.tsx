import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  Badge,
  Button,
  EmptyState,
  LoadFailedState,
  SegmentedControl,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '../../components';
import { RefreshIcon, ShieldIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { classNames } from '../../lib/class-names';
import { formatCount, formatInstant } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { RelativeTime, useNow } from '../api-keys/key-parts';
import { logCodeLabel } from '../usage/log-display';

type Period = '1h' | '24h' | '7d';

const PERIOD_MS: Record<Period, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
const PERIOD_WORDS: Record<Period, string> = {
  '1h': 'the last hour',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};

/**
 * Failed-auth bursts by caller IP (`security.failedAuth`): requests naming this organization's
 * keys that were refused as revoked, inactive, expired, outside the allowlist or missing a
 * scope. Made-up keys name no organization; they show up as blocked IPs instead.
 */
export function FailedAuthTab({ orgId }: { orgId: string }): ReactNode {
  const clock = useNow();
  const [period, setPeriod] = useState<Period>('24h');
  // Anchored when the period is chosen, so the query key is stable between renders.
  const [anchor, setAnchor] = useState(() => Date.now());
  const failed = useQuery({
    ...trpc.security.failedAuth.queryOptions({
      orgId,
      from: new Date(anchor - PERIOD_MS[period]).toISOString(),
    }),
    placeholderData: keepPreviousData,
  });
  const items = failed.data?.items ?? [];
  const now = Math.max(clock, failed.dataUpdatedAt);

  return (
    <div className="stack stack--md">
      <div className="security-toolbar">
        <SegmentedControl
          label="Period"
          value={period}
          onChange={(next) => {
            setPeriod(next);
            setAnchor(Date.now());
          }}
          options={[
            { value: '1h', label: 'Last hour' },
            { value: '24h', label: 'Last 24 hours' },
            { value: '7d', label: 'Last 7 days' },
          ]}
        />
        <Button
          variant="ghost"
          size="sm"
          icon={<RefreshIcon size={14} />}
          onClick={() => setAnchor(Date.now())}
          loading={failed.isFetching && !failed.isPending}
        >
          Refresh
        </Button>
      </div>
      {failed.isError && !failed.data ? (
        <TableContainer>
          <LoadFailedState
            title="Couldn't load failed authentication"
            description={describeError(failed.error).message}
            retrying={failed.isFetching}
            onRetry={() => void failed.refetch()}
            retryIcon={false}
          />
        </TableContainer>
      ) : failed.isSuccess && items.length === 0 ? (
        <EmptyState
          tone="success"
          icon={<ShieldIcon size={22} />}
          title="No failed authentication"
          description={`No request with one of your keys was refused as revoked, inactive, expired, outside its allowlist or missing a scope in ${PERIOD_WORDS[period]}.`}
        />
      ) : (
        <TableContainer
          className={classNames(failed.isPlaceholderData && 'is-refreshing')}
          aria-busy={failed.isPending || failed.isPlaceholderData || undefined}
        >
          <Table caption="Failed authentication by IP" className="table--flush">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Caller IP</TableHeaderCell>
                <TableHeaderCell align="end">Failures</TableHeaderCell>
                <TableHeaderCell align="end">Keys</TableHeaderCell>
                <TableHeaderCell>Refused as</TableHeaderCell>
                <TableHeaderCell>First</TableHeaderCell>
                <TableHeaderCell>Last</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {failed.data
                ? items.map((item) => (
                    <TableRow key={item.ip}>
                      <TableCell mono>{item.ip}</TableCell>
                      <TableCell align="end" className="tabular security-failures">
                        {formatCount(item.failures)}
                      </TableCell>
                      <TableCell align="end" className="tabular">
                        {formatCount(item.keys)}
                      </TableCell>
                      <TableCell>
                        <span className="code-counts">
                          {Object.entries(item.codes).map(([code, n]) => (
                            <Badge key={code} tone="danger">
                              {logCodeLabel(code)} <span className="code-counts__n">{formatCount(n)}</span>
                            </Badge>
                          ))}
                        </span>
                      </TableCell>
                      <TableCell muted>
                        <span title={formatInstant(item.firstAt)}>
                          <RelativeTime iso={item.firstAt} now={now} />
                        </span>
                      </TableCell>
                      <TableCell>
                        <RelativeTime iso={item.lastAt} now={now} />
                      </TableCell>
                    </TableRow>
                  ))
                : Array.from({ length: 3 }, (_, i) => (
                    <tr key={i} className="skeleton-row">
                      {[110, 30, 20, 160, 80, 80].map((w, j) => (
                        <td key={j}>
                          <Skeleton width={w} height={12} />
                        </td>
                      ))}
                    </tr>
                  ))}
            </TableBody>
          </Table>
          <p className="table-footnote">
            Per caller IP, most failures first. Wrong or made-up keys are not listed here: 20 of those from
            one IP within 5 minutes block it (see Blocked IPs).
          </p>
        </TableContainer>
      )}
    </div>
  );
}
