import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import {
  Button,
  CursorFooter,
  cursorPaging,
  EmptyState,
  FilterBar,
  NoMatchesState,
  QueryLoadFailed,
  SegmentedControl,
  Select,
  Skeleton,
} from '../../components';
import { BellIcon, CheckIcon } from '../../components/icons';
import { trpc } from '../../lib/trpc';
import { useNow } from '../api-keys/key-parts';
import { useCurrentOrganization } from '../organization/organization-context';
import { PageIntro } from '../shell/page';
import { NOTIFICATION_POLL_MS } from './notification-bell';
import { NOTIFICATION_KIND_LABEL, NOTIFICATION_KINDS, type NotificationType } from './notification-display';
import { NotificationItem } from './notification-item';
import { markSeen, newestTime } from './notification-seen';
import { useNotificationRead } from './use-notification-read';
import './notifications.css';

type Show = 'all' | 'unread';

/**
 * Every notification of the organization the user may see, newest first: repeats grouped,
 * filterable by kind and to the unread ones, each marked read when opened or by its button,
 * or all at once. Visiting clears the bell's dot.
 */
export function NotificationsPage(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const clock = useNow();
  const [kind, setKind] = useState<NotificationType | ''>('');
  const [show, setShow] = useState<Show>('all');
  const { markRead, markAllRead, markingAll } = useNotificationRead(orgId);
  const list = useInfiniteQuery({
    ...trpc.notification.list.infiniteQueryOptions(
      { orgId, limit: 30, ...(kind ? { kind } : {}), ...(show === 'unread' ? { unread: true } : {}) },
      cursorPaging,
    ),
    placeholderData: keepPreviousData,
    refetchInterval: NOTIFICATION_POLL_MS,
  });
  const items = list.data?.pages.flatMap((page) => page.data) ?? [];
  const now = Math.max(clock, list.dataUpdatedAt);
  const unreadCount = list.data?.pages[0]?.unreadCount ?? 0;
  const filtered = kind !== '' || show === 'unread';
  const clear = () => {
    setKind('');
    setShow('all');
  };

  useEffect(() => {
    const newest = newestTime(items);
    if (newest !== null) markSeen(orgId, newest);
  }, [items, orgId]);

  return (
    <div className="stack stack--lg notifications-page">
      <PageIntro
        description="What needs your attention: expiring and expired keys, exhausted quotas, blocked and new IPs, revocations. The same events go to your webhooks."
        actions={
          <Button
            icon={<CheckIcon size={16} />}
            onClick={() => void markAllRead()}
            loading={markingAll}
            disabled={unreadCount === 0}
          >
            Mark all as read
          </Button>
        }
      />
      <FilterBar label="Filter notifications" filtered={filtered} onClear={clear}>
        <SegmentedControl
          label="Show"
          size="sm"
          value={show}
          onChange={setShow}
          options={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: unreadCount > 0 ? `Unread (${unreadCount})` : 'Unread' },
          ]}
        />
        <Select
          label="Kind"
          hideLabel
          value={kind}
          onChange={(event) => setKind(event.target.value as NotificationType | '')}
          options={[
            { value: '', label: 'All kinds' },
            ...NOTIFICATION_KINDS.map((type) => ({ value: type, label: NOTIFICATION_KIND_LABEL[type] })),
          ]}
          fieldClassName="toolbar-select"
        />
      </FilterBar>
      {list.isError && !list.data ? (
        <div className="card">
          <QueryLoadFailed query={list} title="Couldn't load notifications" retryIcon={false} />
        </div>
      ) : list.isSuccess && items.length === 0 && filtered ? (
        <div className="card">
          <NoMatchesState
            title={show === 'unread' ? 'All caught up' : 'No notifications of this kind'}
            description={
              show === 'unread'
                ? 'Every notification here has been read.'
                : 'Nothing of this kind has happened yet.'
            }
            onClear={clear}
          />
        </div>
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
                      onRead={markRead}
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
