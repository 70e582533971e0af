import type { Plan } from '@keysmith/domain';
import { usePrefetchInfiniteQuery, usePrefetchQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { cursorPaging } from '../../components';
import { trpc } from '../../lib/trpc';
import type { KeyRecord } from '../api-keys/key-types';
import { QuotaCard } from './quota-card';
import { LOG_PAGE_SIZE, RequestLogsCard } from './request-logs-card';
import { DEFAULT_CHART_RANGE, RequestsChartCard } from './requests-chart-card';
import './usage.css';

/**
 * The usage half of a key's detail page: quota windows and the requests chart. When the key
 * changes (new quotas after an edit) its windows are re-read at once rather than at the next poll.
 */
export function KeyUsage({
  orgId,
  record,
  plan,
  now,
}: {
  orgId: string;
  record: KeyRecord;
  plan: Plan;
  now: number;
}): ReactNode {
  const queryClient = useQueryClient();
  const seenUpdate = useRef(record.updatedAt);
  useEffect(() => {
    if (seenUpdate.current === record.updatedAt) return;
    seenUpdate.current = record.updatedAt;
    void queryClient.invalidateQueries({ queryKey: trpc.usage.key.queryKey({ orgId, keyId: record.id }) });
  }, [queryClient, orgId, record.id, record.updatedAt]);

  return (
    <>
      <QuotaCard orgId={orgId} record={record} plan={plan} now={now} />
      <RequestsChartCard orgId={orgId} keyId={record.id} />
    </>
  );
}

/**
 * Starts the usage, chart and log queries of a key's page together with the key itself, so
 * they travel in the same batched request instead of a second round trip after the key arrives.
 * The inputs are exactly those the cards ask for first, so the cards find them in the cache.
 */
export function usePrefetchKeyUsage(orgId: string, keyId: string): void {
  usePrefetchQuery(trpc.usage.key.queryOptions({ orgId, keyId }));
  usePrefetchQuery(trpc.usage.keySeries.queryOptions({ orgId, keyId, range: DEFAULT_CHART_RANGE }));
  usePrefetchInfiniteQuery(
    trpc.log.list.infiniteQueryOptions({ orgId, keyId, limit: LOG_PAGE_SIZE }, cursorPaging),
  );
}

/** The key's own request logs, for the bottom of its detail page. */
export function KeyRequestLogs({
  orgId,
  orgSlug,
  keyId,
}: {
  orgId: string;
  orgSlug: string;
  keyId: string;
}): ReactNode {
  return (
    <RequestLogsCard
      orgId={orgId}
      orgSlug={orgSlug}
      scope={{ keyId }}
      description="Every call made with this key, admitted or refused, newest first."
    />
  );
}
