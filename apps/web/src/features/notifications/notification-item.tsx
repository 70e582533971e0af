import type { ReactNode } from 'react';
import {
  AlertTriangleIcon,
  BanIcon,
  CheckIcon,
  ClockIcon,
  GaugeAlertIcon,
  GlobeIcon,
  InfoIcon,
  PauseIcon,
  RotateIcon,
  ShieldAlertIcon,
  XIcon,
} from '../../components/icons';
import { classNames } from '../../lib/class-names';
import { Link } from '../../lib/router';
import { RelativeTime } from '../api-keys/key-parts';
import { organizationPath } from '../organization/organization-preference';
import { describeNotification, type Notification, type NotificationType } from './notification-display';

const ICON: Record<NotificationType, ReactNode> = {
  'key.expiring': <ClockIcon size={16} />,
  'key.expired': <AlertTriangleIcon size={16} />,
  'key.quota_exceeded': <GaugeAlertIcon size={16} />,
  'key.revoked': <XIcon size={16} />,
  'key.new_ip': <GlobeIcon size={16} />,
  'ip.blocked': <BanIcon size={16} />,
  'ip.failed_auth_burst': <AlertTriangleIcon size={16} />,
  'key.idle_deactivated': <PauseIcon size={16} />,
  'key.rotation_due': <RotateIcon size={16} />,
  'key.leaked': <ShieldAlertIcon size={16} />,
};

/** One notification: icon, sentence, detail and time; a link to the key (or screen) it is about. */
export function NotificationItem({
  notification,
  orgSlug,
  now,
  onNavigate,
  onRead: markRead,
}: {
  notification: Notification;
  orgSlug: string;
  now: number;
  onNavigate?: () => void;
  /** Marks an entry read (server-side) by id; called when it is opened, or by its own button. */
  onRead?: (id: string) => void;
}): ReactNode {
  const view = describeNotification(notification);
  const unread = !notification.read;
  const onRead = markRead ? () => markRead(notification.id) : undefined;
  const body = (
    <>
      <span className="tone-icon" data-tone={view.tone} aria-hidden="true">
        {ICON[notification.type] ?? <InfoIcon size={16} />}
      </span>
      <span className="notification__body">
        <span className="notification__title">
          {view.title}
          {unread ? <span className="sr-only"> (new)</span> : null}
        </span>
        {view.detail ? <span className="notification__detail">{view.detail}</span> : null}
        <span className="notification__meta">
          <RelativeTime iso={notification.createdAt} now={now} />
          {notification.count > 1 ? (
            <>
              <span aria-hidden="true">·</span>
              <span className="notification__count">{notification.count} events</span>
            </>
          ) : null}
          <span aria-hidden="true">·</span>
          <code>{notification.type}</code>
        </span>
      </span>
      {unread ? <span className="notification__dot" aria-hidden="true" /> : null}
    </>
  );
  const className = classNames('notification', unread && 'is-unread');
  const open = () => {
    if (unread) onRead?.();
    onNavigate?.();
  };
  const item = view.section ? (
    <Link
      to={organizationPath(orgSlug, view.section)}
      className={className}
      onClick={open}
      data-type={notification.type}
    >
      {body}
    </Link>
  ) : (
    <div className={className} data-type={notification.type}>
      {body}
    </div>
  );
  if (!onRead || !unread) return item;
  return (
    <span className="notification-row">
      {item}
      <button
        type="button"
        className="notification__mark"
        title="Mark as read"
        aria-label={`Mark as read: ${view.title}`}
        onClick={onRead}
      >
        <CheckIcon size={14} />
      </button>
    </span>
  );
}
