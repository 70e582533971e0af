import { cursorPaging } from '../../components/query-table';
import { queryClient, trpc } from '../../lib/trpc';
import type { UsageRange } from './usage-types';

/** The range the requests chart opens with. */
export const DEFAULT_CHART_RANGE: UsageRange = '24h';
/** Rows per page of the request logs. */
export const LOG_PAGE_SIZE = 25;

/**
 * The usage, chart and first log page of a key's page, with exactly the inputs the cards ask
 * for first, so that fetching them early (with the key itself, in the same batched request)
 * fills the cache the cards read instead of costing a second round trip after the key arrives.
 * Kept apart from the cards so the first screen's preloader does not pull their code in.
 */
export function prefetchKeyUsage(orgId: string, keyId: string): void {
  void queryClient.prefetchQuery(trpc.usage.key.queryOptions({ orgId, keyId }));
  void queryClient.prefetchQuery(
    trpc.usage.keySeries.queryOptions({ orgId, keyId, range: DEFAULT_CHART_RANGE }),
  );
  void queryClient.prefetchInfiniteQuery(
    trpc.log.list.infiniteQueryOptions({ orgId, keyId, limit: LOG_PAGE_SIZE }, cursorPaging),
  );
}
