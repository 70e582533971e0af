import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Button, Skeleton } from '../../components';
import { BellIcon, CheckCircleIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { useNow } from '../api-keys/key-parts';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { NotificationItem } from './notification-item';
import { countUnread, markSeen, newestTime, useLastSeen } from './notification-seen';
import { useNotificationRead } from './use-notification-read';
import './notifications.css';

/** How often the bell asks for new events while the admin is open. */
export const NOTIFICATION_POLL_MS = 30_000;
const SHOWN = 8;

/**
 * The bell in the top bar: a dot while there are events newer than the last time the user
 * opened it, and a popover with the latest ones, each linking to the key it is about.
 */
export function NotificationBell(): ReactNode {
  const { organization } = useCurrentOrganization();
  const orgId = organization.id;
  const clock = useNow();
  const [open, setOpen] = useState(false);
  const { markRead } = useNotificationRead(orgId);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const list = useQuery({
    ...trpc.notification.list.queryOptions({ orgId, limit: 20 }),
    refetchInterval: NOTIFICATION_POLL_MS,
  });
  const lastSeen = useLastSeen(orgId, list.data !== undefined);
  const items = list.data?.data ?? [];
  const now = Math.max(clock, list.dataUpdatedAt);
  const unread = countUnread(
    items.filter((item) => !item.read),
    lastSeen,
  );

  // Opening marks everything shown as seen; events that arrive while it is open are marked too.
  useEffect(() => {
    if (!open) return;
    const newest = newestTime(items);
    if (newest !== null) markSeen(orgId, newest);
  }, [open, items, orgId]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && rootRef.current?.contains(event.target)) return;
      setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const toggle = () => setOpen((value) => !value);
  const label = unread > 0 ? `Notifications, ${unread > 19 ? '20 or more' : unread} unread` : 'Notifications';

  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="bell__button"
        aria-label={label}
        title="Notifications"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        data-open={open || undefined}
        onClick={toggle}
      >
        <BellIcon size={18} />
        {unread > 0 ? <span className="bell__dot" data-testid="notification-dot" aria-hidden="true" /> : null}
      </button>
      {open ? (
        <section className="bell__panel" id={panelId} aria-label="Recent notifications">
          <header className="bell__header">
            <h2 className="bell__title">Notifications</h2>
            <Link
              to={organizationPath(organization.slug, 'notifications')}
              className="bell__all"
              onClick={() => setOpen(false)}
            >
              View all
            </Link>
          </header>
          <div className="bell__list">
            {list.isPending ? (
              <div className="bell__loading" aria-busy="true">
                {[0, 1, 2].map((i) => (
                  <div key={i} className="bell__skeleton">
                    <Skeleton width={32} height={32} radius={999} />
                    <span className="stack stack--xs" style={{ flex: 1 }}>
                      <Skeleton width="80%" height={12} />
                      <Skeleton width="55%" height={10} />
                    </span>
                  </div>
                ))}
              </div>
            ) : list.isError ? (
              <div className="bell__state">
                <p className="bell__state-title">Couldn't load notifications</p>
                <p className="bell__state-text">{describeError(list.error).message}</p>
                <Button size="sm" onClick={() => void list.refetch()} loading={list.isFetching}>
                  Try again
                </Button>
              </div>
            ) : items.length === 0 ? (
              <div className="bell__state">
                <span className="bell__state-icon" aria-hidden="true">
                  <CheckCircleIcon size={20} />
                </span>
                <p className="bell__state-title">No notifications yet</p>
                <p className="bell__state-text">
                  Expiring and expired keys, exhausted quotas, blocked IPs, new IPs and revocations show up
                  here.
                </p>
              </div>
            ) : (
              <ul>
                {items.slice(0, SHOWN).map((notification) => (
                  <li key={notification.id}>
                    <NotificationItem
                      notification={notification}
                      orgSlug={organization.slug}
                      now={now}
                      onRead={markRead}
                      onNavigate={() => setOpen(false)}
                    />
                  </li>
                ))}
              </ul>
            )}
          </div>
          {items.length > SHOWN ? (
            <footer className="bell__footer">
              <Link to={organizationPath(organization.slug, 'notifications')} onClick={() => setOpen(false)}>
                See all notifications
              </Link>
            </footer>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
