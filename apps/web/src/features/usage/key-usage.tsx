import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { trpc } from '../../lib/trpc';
import { QuotaCard } from './quota-card';
import { RequestLogsCard } from './request-logs-card';
import { RequestsChartCard } from './requests-chart-card';
import type { KeyUsageProps } from './usage-types';
import './usage.css';

/**
 * The usage half of a key's detail page: quota windows and the requests chart. When the key
 * changes (new quotas after an edit) its windows are re-read at once rather than at the next poll.
 */
export function KeyUsage({ orgId, record, plan, now }: KeyUsageProps): ReactNode {
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
