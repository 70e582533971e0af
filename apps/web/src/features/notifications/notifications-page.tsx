import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { CursorFooter, EmptyState, LoadFailedState, Skeleton } from '../../components';
import { BellIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { useNow } from '../api-keys/key-parts';
import { useCurrentOrganization } from '../organization/organization-context';
import { PageIntro } from '../shell/page';
import { NOTIFICATION_POLL_MS } from './notification-bell';
import { NotificationItem } from './notification-item';
import { markSeen, newestTime, readLastSeen } from './notification-seen';
import './notifications.css';

/** Every notification of the organization the user may see, newest first; visiting marks them seen. */
export function NotificationsPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const clock = useNow();
  // What was new when the page opened stays highlighted while the user reads.
  const [seenAtOpen] = useState(() => readLastSeen(orgId));
  const list = useInfiniteQuery({
    ...trpc.notification.list.infiniteQueryOptions(
      { orgId, limit: 30 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    refetchInterval: NOTIFICATION_POLL_MS,
  });
  const items = list.data?.pages.flatMap((page) => page.data) ?? [];
  const now = Math.max(clock, list.dataUpdatedAt);

  useEffect(() => {
    const newest = newestTime(items);
    if (newest !== null) markSeen(orgId, newest);
  }, [items, orgId]);

  return (
    <div className="stack stack--lg notifications-page">
      <PageIntro description="What needs your attention: expiring and expired keys, exhausted quotas, blocked and new IPs, revocations. The same events go to your webhooks." />
      {list.isError && !list.data ? (
        <LoadFailedState
          variant="bordered"
          title="Couldn't load notifications"
          description={describeError(list.error).message}
          retrying={list.isFetching}
          onRetry={() => void list.refetch()}
          retryIcon={false}
        />
      ) : list.isSuccess && items.length === 0 ? (
        <EmptyState
          tone="success"
          icon={<BellIcon size={22} />}
          title="No notifications yet"
          description="When a key is about to expire, expires, runs out of quota, is used from a new IP or is revoked, or an IP is blocked, you'll find it here."
        />
      ) : (
        <div className="card notifications-card" aria-busy={list.isPending || undefined}>
          <ul className="notifications-list">
            {list.data
              ? items.map((notification) => (
                  <li key={notification.id}>
                    <NotificationItem
                      notification={notification}
                      orgSlug={organization.slug}
                      now={now}
                      unread={seenAtOpen === null || new Date(notification.createdAt).getTime() > seenAtOpen}
                    />
                  </li>
                ))
              : Array.from({ length: 5 }, (_, i) => (
                  <li key={i} className="bell__skeleton">
                    <Skeleton width={32} height={32} radius={999} />
                    <span className="stack stack--xs" style={{ flex: 1 }}>
                      <Skeleton width={`${50 + ((i * 11) % 30)}%`} height={13} />
                      <Skeleton width="35%" height={11} />
                    </span>
                  </li>
                ))}
          </ul>
          <CursorFooter query={list} shown={items.length} noun={['notification', 'notifications']} />
        </div>
      )}
    </div>
  );
}
